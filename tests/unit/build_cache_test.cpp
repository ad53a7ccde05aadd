// The build cache keeps where each report's entry went in data/reports.json, with its checksum;
// the next build copies the entries from the published file while it is as written (see
// writer_test and data_test).
#include "cache/build_cache.h"

#include <catch2/catch.hpp>

#include <bit>
#include <cstring>
#include <random>

#include "cache/hash.h"
#include "fixture.h"

using namespace gongkai;
using gongkai::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string data = "{\n  \"reports\": [\n    {\"id\": \"一\"},\n    {\"id\": \"二\"}\n  ]\n}\n";
const std::string first = "{\"id\": \"一\"}", second = "{\"id\": \"二\"}";

// The two entries of data, as a build that wrote it notes them.
std::vector<ReportJson> entries_of_data() {
    std::vector<ReportJson> entries(2);
    entries[0].key = Hash128{1, 2};
    entries[0].offset = data.find(first);
    entries[0].size = first.size();
    entries[0].sum = hash_bytes(first);
    entries[1].key = Hash128{3, 4};
    entries[1].offset = data.find(second);
    entries[1].size = second.size();
    entries[1].sum = hash_bytes(second);
    return entries;
}

}  // namespace

TEST_CASE("build cache: where each entry is, its checksum, and the content's folders are kept", "[cache]") {
    TempDir dir;
    std::vector<Report> reports(2);
    std::vector<CachedFile> files;
    BuildCache cache;
    cache.commit = "c0ffee";
    const auto entries = entries_of_data();
    for (std::size_t i = 0; i < reports.size(); ++i) {
        reports[i].id = "2020-0" + std::to_string(i + 1);
        reports[i].project = "2020-001";
        reports[i].body = "## 进展 " + reports[i].id + "\n";
        const std::string path = "reports/2020-001/" + reports[i].id + ".md";
        files.push_back(CachedFile{path, "oid" + std::to_string(i), nullptr, nullptr, &reports[i], nullptr});
        cache.report_json.emplace(path, entries[i]);
    }
    cache.trees["reports/2020-001/"] = TreeListing{
        std::string(40, 'a'), {{"2020-01.md", std::string(40, 'b'), 'f'}, {"附件", std::string(40, 'c'), 't'}}};
    cache.trees[""] = TreeListing{std::string(40, 'd'), {{"link", std::string(40, 'e'), 'l'}, {"sub", std::string(40, 'f'), 'c'}}};
    save_build_cache(dir / "cache", "site", cache, files, nullptr);
    std::string why;
    auto loaded = load_build_cache(dir / "cache", "site", why);
    INFO(why);
    REQUIRE(loaded);
    CHECK(loaded->parsed.size() == 2);
    // The content's folders, as listed.
    REQUIRE(loaded->trees.size() == 2);
    for (const auto& [folder, listing] : cache.trees) {
        INFO(folder);
        const TreeListing& back = loaded->trees.at(folder);
        CHECK(back.oid == listing.oid);
        REQUIRE(back.entries.size() == listing.entries.size());
        for (std::size_t i = 0; i < back.entries.size(); ++i) {
            CHECK(back.entries[i].name == listing.entries[i].name);
            CHECK(back.entries[i].oid == listing.entries[i].oid);
            CHECK(back.entries[i].kind == listing.entries[i].kind);
        }
    }
    REQUIRE(loaded->report_json.size() == 2);
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const ReportJson& e = loaded->report_json.at(files[i].path);
        CHECK(e.key == entries[i].key);
        CHECK(e.offset == entries[i].offset);
        CHECK(e.size == entries[i].size);
        CHECK(e.sum == entries[i].sum);
    }
}

TEST_CASE("build cache: content files written first, and the state once the rest is known, load as one save",
          "[cache]") {
    // A build writes the content files while it still takes the folders' times (see build_site),
    // and the state after: what the state gains in between is kept, and the state lists the
    // content files written before it.
    TempDir dir;
    std::vector<Report> reports(2);
    std::vector<CachedFile> files;
    for (std::size_t i = 0; i < reports.size(); ++i) {
        reports[i].id = "2020-0" + std::to_string(i + 1);
        reports[i].project = "2020-001";
        files.push_back(CachedFile{"reports/2020-001/" + reports[i].id + ".md", "oid" + std::to_string(i), nullptr,
                                   nullptr, &reports[i], nullptr});
    }
    BuildCache cache;
    cache.commit = "c0ffee";
    save_content_files(dir / "cache", "site", cache, files, nullptr);
    std::string why;
    CHECK_FALSE(load_build_cache(dir / "cache", "site", why));  // no state yet: nothing to trust
    CHECK_FALSE(why.empty());
    const auto entries = entries_of_data();
    for (std::size_t i = 0; i < files.size(); ++i) cache.report_json.emplace(files[i].path, entries[i]);
    cache.live_folders.emplace("reports", 42);
    save_build_state(dir / "cache", "site", cache, nullptr);
    auto loaded = load_build_cache(dir / "cache", "site", why);
    INFO(why);
    REQUIRE(loaded);
    CHECK(loaded->parsed.size() == 2);
    REQUIRE(loaded->report_json.size() == 2);
    CHECK(loaded->report_json.at(files[1].path).sum == entries[1].sum);
    REQUIRE(loaded->live_folders.contains("reports"));
    CHECK(loaded->live_folders.at("reports") == 42);
    // A content file written again with other entries, without a state after it, is found out.
    std::vector<CachedFile> fewer{files[0]};
    BuildCache other = cache;
    save_content_files(dir / "cache", "site", other, fewer, nullptr);
    CHECK_FALSE(load_build_cache(dir / "cache", "site", why));
    CHECK(why.find("different builds") != std::string::npos);
}

TEST_CASE("build cache: a report's Markdown is not kept, and reads back as to be read again", "[cache]") {
    TempDir dir;
    Report report;
    report.id = "2020-01";
    report.project = "2020-001";
    report.title = "十月";
    report.body = "## 进展 only-in-the-markdown\n";
    report.body_line = 7;
    const std::string path = "reports/2020-001/2020-01.md";
    std::vector<CachedFile> files{CachedFile{path, "oid", nullptr, nullptr, &report, nullptr}};
    BuildCache cache;
    cache.commit = "c0ffee";
    save_build_cache(dir / "cache", "site", cache, files, nullptr);
    for (const auto& f : fs::directory_iterator(dir / "cache")) {
        INFO(f.path());
        CHECK(gongkai::test::read_file(f.path()).find("only-in-the-markdown") == std::string::npos);
    }
    std::string why;
    auto loaded = load_build_cache(dir / "cache", "site", why);
    INFO(why);
    REQUIRE(loaded);
    const Report& back = std::get<Report>(loaded->parsed.at(path).value);
    CHECK(back.title == "十月");
    CHECK(back.body.empty());
    CHECK(back.body_unread);
    CHECK(back.body_line == 7);
}

TEST_CASE("build cache: a folder listing with a malformed object id is not trusted", "[cache]") {
    // A cache written otherwise than by a build (by hand, or by a fault): the next build must be
    // a full one, not fail at every build on the id.
    TempDir dir;
    BuildCache cache;
    cache.commit = "c0ffee";
    const std::string good(40, 'a');
    std::string why;
    SECTION("a well-formed listing is kept") {
        cache.trees["reports/"] = TreeListing{good, {{"2020-001", good, 't'}}};
        save_build_cache(dir / "cache", "site", cache, {}, nullptr);
        CHECK(load_build_cache(dir / "cache", "site", why));
    }
    SECTION("the folder's own id") {
        cache.trees["reports/"] = TreeListing{"not an id", {{"2020-001", good, 't'}}};
        save_build_cache(dir / "cache", "site", cache, {}, nullptr);
        CHECK_FALSE(load_build_cache(dir / "cache", "site", why));
        CHECK(why.find("malformed object id") != std::string::npos);
    }
    SECTION("an entry's id, of the right length but not hex") {
        cache.trees["reports/"] = TreeListing{good, {{"2020-001", std::string(40, 'g'), 't'}}};
        save_build_cache(dir / "cache", "site", cache, {}, nullptr);
        CHECK_FALSE(load_build_cache(dir / "cache", "site", why));
        CHECK(why.find("malformed object id") != std::string::npos);
    }
}

TEST_CASE("build cache: a path that would lead out of the site makes the cache untrusted", "[cache]") {
    // The checksums find damage, not intent: a cache whose lists were made by hand to name files
    // or folders outside the site (with checksums to match) is not used, as the build would
    // remove, write or link what they name.
    TempDir dir;
    BuildCache cache;
    cache.commit = "c0ffee";
    OutputEntry entry;
    entry.size = 3;
    cache.live.emplace("projects/2020-001/index.html", entry);
    cache.live_folders.emplace("", 1);
    cache.live_folders.emplace("projects/2020-001", 2);
    cache.spare.emplace("data/reports.json", entry);
    bool trusted = false;
    SECTION("well-formed lists are kept") { trusted = true; }
    SECTION("a published file above the site") { cache.live.emplace("../outside.html", entry); }
    SECTION("a file of the second copy, through ..") { cache.spare.emplace("projects/../../outside.html", entry); }
    SECTION("an absolute path") { cache.spare.emplace("/etc/passwd", entry); }
    SECTION("a file with no name (the folder itself)") { cache.live.emplace("", entry); }
    SECTION("a file named by an empty part") { cache.live.emplace("projects//index.html", entry); }
    SECTION("a folder above the site") { cache.spare_folders.emplace("..", 1); }
    SECTION("a folder named .") { cache.live_folders.emplace("projects/.", 1); }
    save_build_cache(dir / "cache", "site", cache, {}, nullptr);
    std::string why;
    const bool loaded = load_build_cache(dir / "cache", "site", why).has_value();
    INFO(why);
    CHECK(loaded == trusted);
    if (!trusted) CHECK(why.find("outside the site") != std::string::npos);
}

TEST_CASE("build cache: a site of many short paths keeps its cache", "[cache]") {
    // The smallest entry of a site's list is a path and a job name of no bytes, six numbers and a
    // checksum: 64 bytes and the path. A site of mostly short paths (images, no page job) must
    // read back, not be taken for a damaged cache at every build.
    TempDir dir;
    BuildCache cache;
    cache.commit = "c0ffee";
    for (int i = 0; i < 200; ++i) {
        OutputEntry entry;
        entry.size = static_cast<std::uint64_t>(i);
        cache.live.emplace("i/" + std::to_string(i) + ".png", entry);
    }
    cache.live_folders.emplace("", 1);
    cache.live_folders.emplace("i", 2);
    save_build_cache(dir / "cache", "site", cache, {}, nullptr);
    std::string why;
    auto loaded = load_build_cache(dir / "cache", "site", why);
    INFO(why);
    REQUIRE(loaded);
    CHECK(loaded->live.size() == 200);
    CHECK(loaded->live.at("i/7.png").size == 7);
}

TEST_CASE("Hasher: the digest is XXH3's of the bytes added, however they fall in its buffer", "[cache]") {
    // The keys of caches written before Hasher gathered its bytes were XXH3's streaming digest of
    // the same bytes, which is XXH3's digest of them in one call: hash_bytes, the reference here.
    std::mt19937_64 random(512);
    for (int round = 0; round < 400; ++round) {
        Hasher h;
        std::string bytes;
        auto put_number = [&](std::uint64_t v) {
            char raw[8];
            std::memcpy(raw, &v, 8);
            bytes.append(raw, 8);
        };
        const int adds = static_cast<int>(random() % 200);
        for (int i = 0; i < adds; ++i) {
            switch (random() % 5) {
            case 0: {
                const std::uint64_t v = random();
                h.add(v);
                put_number(v);
                break;
            }
            case 1: {
                // Texts from empty to three times the buffer, so some fill it exactly or pass it whole.
                const std::size_t size = random() % 4 == 0 ? random() % 1600 : random() % 40;
                std::string text(size, '\0');
                for (auto& c : text) c = static_cast<char>(random());
                h.add(text);
                put_number(text.size());
                bytes += text;
                break;
            }
            case 2: {
                const double v = static_cast<double>(random()) / 7.0;
                h.add(v);
                put_number(std::bit_cast<std::uint64_t>(v));
                break;
            }
            case 3: {
                const Hash128 v{random(), random()};
                h.add(v);
                put_number(v.low);
                put_number(v.high);
                break;
            }
            default: {
                const bool v = random() % 2 == 1;
                h.add(v);
                put_number(v ? 1 : 0);
                break;
            }
            }
            if (random() % 50 == 0) {
                INFO("round " << round << ", a digest taken midway after " << bytes.size() << " bytes");
                REQUIRE(h.digest() == hash_bytes(bytes));  // and adding goes on from there
            }
        }
        INFO("round " << round << ", " << bytes.size() << " bytes");
        REQUIRE(h.digest() == hash_bytes(bytes));
        CHECK(h.digest() == hash_bytes(bytes));  // a second digest is the same
    }
    // Exactly the buffer, one byte over, and nothing at all.
    for (std::size_t size : {std::size_t{504}, std::size_t{505}, std::size_t{512}, std::size_t{0}}) {
        Hasher h;
        const std::string text(size, 'x');
        h.add(text);
        std::string bytes(8, '\0');
        std::memcpy(bytes.data(), &size, 8);
        CHECK(h.digest() == hash_bytes(bytes + text));
    }
    CHECK(Hasher().digest() == hash_bytes(""));
}
