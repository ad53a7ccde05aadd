#include <fcntl.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "git/packs.h"
#include "git/repository.h"
#include "git_repo.h"
#include "mapped_file.h"

// git::Packs on real repositories packed by git itself: each blob it reads is the blob libgit2
// reads, byte for byte; what it cannot read for certain (a delta, a loose object, damage, an
// index it does not know) it leaves to libgit2.

using namespace gongkai;
using gongkai::test::GitRepo;

namespace {

namespace fs = std::filesystem;

// How git stored one blob of the repository.
struct Stored {
    bool in_pack = false;
    bool whole = false;  // in a pack, and not as a delta
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
    std::uint64_t packed_size = 0;
};

std::string only_file(const GitRepo& repo, const std::string& extension) {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(repo.path() / ".git/objects/pack"))
        if (entry.path().extension() == extension) found.push_back(entry.path().string());
    REQUIRE(found.size() == 1);
    return found.front();
}

// Every blob of the repository, by id, as `git verify-pack -v` and `git cat-file` describe it.
std::map<std::string, Stored> blobs_of(const GitRepo& repo) {
    std::map<std::string, Stored> blobs;
    std::istringstream all(repo.git("cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)'"));
    for (std::string id, type; all >> id >> type;)
        if (type == "blob") blobs[id];
    for (const test::PackedObject& o : test::packed_objects(repo)) {
        if (o.type != "blob") continue;
        Stored& s = blobs.at(o.id);
        s.in_pack = true;
        s.whole = !o.delta;
        s.size = o.size;
        s.packed_size = o.packed_size;
        s.offset = o.offset;
    }
    return blobs;
}

std::string libgit2_blob(const git::Repository& repo, const std::string& id) {
    git_oid oid;
    REQUIRE(git_oid_fromstr(&oid, id.c_str()) == 0);
    git_blob* raw = nullptr;
    REQUIRE(git_blob_lookup(&raw, repo.get(), &oid) == 0);
    git::BlobPtr blob(raw);
    return std::string(static_cast<const char*>(git_blob_rawcontent(raw)),
                       static_cast<std::size_t>(git_blob_rawsize(raw)));
}

std::string git_blob_id(const GitRepo& repo, const std::string& path) {
    return repo.git("rev-parse HEAD:" + path).substr(0, 40);
}

git_oid oid_of(const std::string& id) {
    git_oid oid;
    REQUIRE(git_oid_fromstr(&oid, id.c_str()) == 0);
    return oid;
}

// Texts of many sizes and kinds: empty, one byte, Chinese prose, random bytes that deflate cannot
// shrink (stored blocks), and long repetitive text; each later commit changes some of them a
// little, so that git stores the older versions as deltas.
void fill(GitRepo& repo) {
    std::mt19937 random(20201021);
    auto noise = [&](std::size_t n) {
        std::string s(n, '\0');
        for (char& c : s) c = static_cast<char>(random() & 0xff);
        return s;
    };
    // Random Chinese characters, so that git finds no file like another.
    auto chinese = [&](std::size_t characters) {
        std::string s;
        for (std::size_t i = 0; i < characters; ++i) {
            const unsigned c = 0x4e00 + random() % 0x51a6;
            s += static_cast<char>(0xe0 | c >> 12);
            s += static_cast<char>(0x80 | (c >> 6 & 0x3f));
            s += static_cast<char>(0x80 | (c & 0x3f));
            if (i % 40 == 39) s += "\n";
        }
        return s;
    };
    std::vector<std::string> texts;
    for (int i = 0; i < 24; ++i) texts.push_back(chinese(100 + 150 * (i % 7)));
    for (int version = 0; version < 3; ++version) {
        repo.write("empty.txt", "");
        repo.write("one.txt", "x");
        // Twenty-four reports, each its own text; a third of them change.
        for (int i = 0; i < 24; ++i)
            repo.write("reports/r" + std::to_string(i) + ".md",
                       texts[i] + "版本 " + std::to_string(i % 3 == 0 ? version : 0) + "\n");
        repo.write("random-small.bin", noise(300));
        if (version == 0) repo.write("random-large.bin", noise(300000));
        repo.write("repeated.txt", std::string(200000 + version, 'a'));
        repo.commit("Version " + std::to_string(version));
    }
}

}  // namespace

TEST_CASE("packs: a blob stored whole reads as libgit2 reads it, and a delta or a loose object is left to libgit2",
          "[git][packs]") {
    GitRepo repo;
    fill(repo);
    repo.git("repack -a -d -q");
    repo.write("loose.txt", "written after the repack\n");
    repo.commit("Loose");
    git::Repository repository(repo.dir());
    git::Packs packs((repo.path() / ".git/objects").string());
    REQUIRE(packs.pack_count() == 1);

    std::size_t whole = 0, deltas = 0, loose = 0;
    for (const auto& [id, stored] : blobs_of(repo)) {
        INFO("blob " << id);
        std::string out = "left over";
        const bool read = packs.read_blob(oid_of(id), out, std::size_t(1) << 30);
        CHECK(read == stored.whole);
        if (read)
            CHECK(out == libgit2_blob(repository, id));
        else
            CHECK(out.empty());
        (stored.whole ? whole : stored.in_pack ? deltas : loose)++;
    }
    // The repository holds each kind this test is about.
    CHECK(whole >= 15);
    CHECK(deltas >= 3);
    CHECK(loose >= 1);
}

TEST_CASE("packs: offsets in the index's table of 64-bit offsets", "[git][packs]") {
    GitRepo repo;
    fill(repo);
    repo.git("repack -a -d -q");
    // Indexed again with every object past the pack's 64th byte in the large offsets' table, as
    // the objects of a pack over 2 GiB are.
    const std::string pack = only_file(repo, ".pack");
    const std::string index = only_file(repo, ".idx");
    fs::permissions(index, fs::perms::owner_write, fs::perm_options::add);
    fs::remove(index);
    repo.git("index-pack --index-version=2,64 " + test::shell_quote(pack));
    const auto blobs = blobs_of(repo);
    // The index's size past its fixed parts (header, counts, then an id, a CRC and an offset
    // for each object, two checksums) is the table.
    const std::string bytes = test::read_file(index);
    REQUIRE(bytes.size() > 8 + 1024 + 40);
    std::size_t objects = 0;
    for (int i = 0; i < 4; ++i) objects = objects << 8 | static_cast<unsigned char>(bytes[8 + 1020 + i]);
    REQUIRE(objects == std::stoull(repo.git("cat-file --batch-all-objects --batch-check | wc -l")));
    REQUIRE(bytes.size() >= 8 + 1024 + objects * 28 + 40 + 8 * 10);  // ten entries or more

    git::Repository repository(repo.dir());
    git::Packs packs((repo.path() / ".git/objects").string());
    REQUIRE(packs.pack_count() == 1);
    std::size_t read = 0;
    for (const auto& [id, stored] : blobs) {
        if (!stored.whole) continue;
        INFO("blob " << id << " at " << stored.offset);
        std::string out;
        REQUIRE(packs.read_blob(oid_of(id), out, std::size_t(1) << 30));
        CHECK(out == libgit2_blob(repository, id));
        ++read;
    }
    CHECK(read >= 15);
}

TEST_CASE("packs: damaged data, a pack its index does not describe, an unknown index, a size limit",
          "[git][packs]") {
    GitRepo repo;
    fill(repo);
    repo.git("repack -a -d -q");
    const auto blobs = blobs_of(repo);
    const std::string pack = only_file(repo, ".pack");
    const std::string index = only_file(repo, ".idx");
    const std::string objects = (repo.path() / ".git/objects").string();

    SECTION("a blob larger than the limit is not read") {
        git::Packs packs(objects);
        std::size_t tried = 0;
        for (const auto& [id, stored] : blobs)
            if (stored.whole && stored.size > 0) {
                INFO("blob " << id << " of " << stored.size << " bytes");
                std::string out;
                CHECK(packs.read_blob(oid_of(id), out, stored.size));
                CHECK(out.size() == stored.size);
                CHECK_FALSE(packs.read_blob(oid_of(id), out, stored.size - 1));
                CHECK(out.empty());
                ++tried;
            }
        CHECK(tried >= 15);
    }

    SECTION("a byte changed inside a blob's compressed data") {
        // The largest compressible blob stored whole: its middle byte is deflate's data.
        std::string victim;
        std::uint64_t largest = 0;
        for (const auto& [id, stored] : blobs)
            if (stored.whole && stored.packed_size > largest && stored.packed_size < 100000) {
                victim = id;
                largest = stored.packed_size;
            }
        REQUIRE(largest > 200);
        const Stored& stored = blobs.at(victim);
        fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
        std::string bytes = test::read_file(pack);
        bytes[stored.offset + stored.packed_size / 2] ^= 0x55;
        test::write_file(pack, bytes);
        git::Packs packs(objects);
        REQUIRE(packs.pack_count() == 1);  // the index still names this pack's checksum
        std::string out;
        CHECK_FALSE(packs.read_blob(oid_of(victim), out, std::size_t(1) << 30));
        CHECK(out.empty());
        // The others read as before.
        git::Repository repository(repo.dir());
        for (const auto& [id, s] : blobs)
            if (s.whole && id != victim) {
                INFO("blob " << id);
                CHECK(packs.read_blob(oid_of(id), out, std::size_t(1) << 30));
                CHECK(out == libgit2_blob(repository, id));
            }
    }

    SECTION("a pack cut short, which its index does not describe") {
        fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
        fs::resize_file(pack, fs::file_size(pack) - 1);
        git::Packs packs(objects);
        CHECK(packs.pack_count() == 0);
    }

    SECTION("an index of version 1") {
        fs::permissions(index, fs::perms::owner_write, fs::perm_options::add);
        fs::remove(index);
        repo.git("index-pack --index-version=1 " + test::shell_quote(pack));
        git::Packs packs(objects);
        CHECK(packs.pack_count() == 0);
        std::string out = "x";
        CHECK_FALSE(packs.read_blob(oid_of(git_blob_id(repo, "reports/r0.md")), out, std::size_t(1) << 30));
        CHECK(out.empty());
    }

    SECTION("an index with more 64-bit offsets than libgit2 accepts") {
        // A 64-bit offset for every object, before the checksums: one more than the objects but one.
        std::string bytes = test::read_file(index);
        std::size_t count = 0;
        for (int i = 0; i < 4; ++i) count = count << 8 | static_cast<unsigned char>(bytes[8 + 1020 + i]);
        REQUIRE(bytes.size() == 8 + 1024 + count * 28 + 40);  // no 64-bit offsets yet
        bytes.insert(bytes.size() - 40, 8 * count, '\0');
        fs::permissions(index, fs::perms::owner_write, fs::perm_options::add);
        test::write_file(index, bytes);
        git::Packs packs(objects);
        CHECK(packs.pack_count() == 0);
    }

    SECTION("an index cut short") {
        fs::permissions(index, fs::perms::owner_write, fs::perm_options::add);
        fs::resize_file(index, 1000);
        git::Packs packs(objects);
        CHECK(packs.pack_count() == 0);
    }

    SECTION("no object folder") {
        git::Packs packs((repo.path() / "no-such-folder").string());
        CHECK(packs.pack_count() == 0);
    }
}

namespace {

// How many of the file's pages the system holds in memory, as mincore sees them through a
// mapping of it; and how many pages it has.
std::pair<std::size_t, std::size_t> pages_in_memory(const MappedFile& file) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> in((file.bytes.size() + page - 1) / page);
    REQUIRE(::mincore(const_cast<char*>(file.bytes.data()), file.bytes.size(), in.data()) == 0);
    return {std::size_t(std::count_if(in.begin(), in.end(), [](unsigned char c) { return c & 1; })), in.size()};
}

// Writes the file out to disk and asks the system to let go of its pages.
void drop_from_memory(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    if (::fdatasync(fd) != 0) WARN("fdatasync " << path << ": " << std::strerror(errno));
    if (const int e = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
        WARN("posix_fadvise " << path << ": " << std::strerror(e));
    ::close(fd);
}

}  // namespace

TEST_CASE("packs: read_ahead brings the whole of a pack that is not in memory into memory", "[git][packs]") {
    GitRepo repo;
    repo.git("config core.compression 0");  // deflate stores the data as it is, quickly
    // 40 MiB that deflate cannot shrink: more than the kernel reads ahead of one request (its
    // read-ahead window or the disk's largest request, 128 KiB to 8 MiB), so that one call for
    // the whole pack would leave most of it out.
    std::mt19937_64 random(20261203);
    for (int i = 0; i < 8; ++i) {
        std::string noise(5 << 20, '\0');
        for (std::size_t at = 0; at + 8 <= noise.size(); at += 8) {
            const std::uint64_t r = random();
            std::memcpy(noise.data() + at, &r, 8);
        }
        repo.write("data/noise-" + std::to_string(i) + ".bin", noise);
    }
    repo.commit("Noise");
    repo.git("repack -a -d -q --window=0");  // no deltas to look for among noise
    const std::string pack_path = only_file(repo, ".pack");
    drop_from_memory(pack_path);
    drop_from_memory(only_file(repo, ".idx"));
    const MappedFile pack = map_read_only(pack_path, false);
    REQUIRE(pack.owner);
    REQUIRE(pack.bytes.size() > std::size_t(40) << 20);
    const auto [before, pages] = pages_in_memory(pack);
    if (before > pages / 2) {
        WARN("skipped: the system keeps the pack in memory (" << before << " of " << pages
                                                               << " pages), as a tmpfs does");
        return;
    }
    struct statfs fs {};
    if (::statfs(pack_path.c_str(), &fs) == 0 && static_cast<unsigned long>(fs.f_type) == 0x2fc12fc1) {
        WARN("skipped: ZFS reads ahead into a cache of its own, which mincore does not see");
        return;
    }
    git::Packs packs((repo.path() / ".git/objects").string());
    REQUIRE(packs.pack_count() == 1);
    packs.read_ahead();
    // The reads are the kernel's, asked for on a thread of read_ahead's: wait for them (some
    // 50 ms on a local disk). A system short of memory may let a few pages go again at once.
    const std::size_t enough = pages - pages / 20;
    std::size_t in_memory = 0;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while ((in_memory = pages_in_memory(pack).first) < enough && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    INFO(before << " pages in memory before, of " << pages);
    CHECK(in_memory >= enough);
}
