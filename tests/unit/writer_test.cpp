#include "writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "fixture.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::file_contains;
using gongkai::test::list_files;
using gongkai::test::read_tree;
using gongkai::test::TempDir;

namespace {

SiteFiles pages(std::initializer_list<std::pair<std::string, std::string>> files) {
    SiteFiles out;
    for (const auto& [path, data] : files) out.add(path, data);
    return out;
}

// Everything in parent, including hidden folders a half-finished build might leave.
std::vector<std::string> entries(const std::filesystem::path& parent) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(parent)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// Makes the file at path of folder (a folder store's, holding current) with make; returns the
// store's manifest after.
Manifest stream_into(const std::filesystem::path& folder, const std::string& path, const MakeBytes& make,
                     Manifest current = {}) {
    std::filesystem::create_directories(folder);
    FolderStore store(folder, std::move(current));
    SiteFiles files(&store);
    files.add_streamed(path, make, "data");
    return store.finish();
}

}  // namespace

TEST_CASE("site files: a path that would leave the site is refused", "[writer]") {
    SiteFiles files;
    CHECK_THROWS_AS(files.add("../evil", "x"), WriteError);
    CHECK_THROWS_AS(files.add("/etc/passwd", "x"), WriteError);
    CHECK_THROWS_AS(files.add("projects/../../evil", "x"), WriteError);
    CHECK_THROWS_WITH(files.add("../evil", "x"), Catch::Contains("'../evil'"));
    CHECK(files.files().empty());
}

TEST_CASE("site files: two files at one path are refused", "[writer]") {
    SiteFiles files;
    files.add("index.html", "first");
    CHECK_THROWS_WITH(files.add("index.html", "second"), Catch::Contains("same file 'index.html'"));
    CHECK(files.files().at("index.html") == "first");
}

TEST_CASE("write_site: creates the folder with every file and the marker", "[writer]") {
    TempDir tmp;
    auto out = tmp / "site";
    write_site(out, pages({{"index.html", "<h1>首页</h1>"}, {"projects/2020-043/index.html", "项目"}}));
    CHECK(list_files(out) == std::vector<std::string>{".gongkai-site", "index.html", "projects/2020-043/index.html"});
    CHECK(file_contains(out, "index.html", "<h1>首页</h1>"));
    CHECK(entries(tmp.path()) == std::vector<std::string>{"site"});
}

TEST_CASE("write_site: a second build replaces the whole site", "[writer]") {
    TempDir tmp;
    auto out = tmp / "site";
    write_site(out, pages({{"index.html", "old"}, {"old-page/index.html", "gone soon"}}));
    write_site(out, pages({{"index.html", "new"}}));
    CHECK(list_files(out) == std::vector<std::string>{".gongkai-site", "index.html"});
    CHECK(file_contains(out, "index.html", "new"));
    // No temporary folder is left beside the site.
    CHECK(entries(tmp.path()) == std::vector<std::string>{"site"});
}

TEST_CASE("write_site: an empty folder may be used", "[writer]") {
    TempDir tmp;
    auto out = tmp / "site";
    std::filesystem::create_directory(out);
    write_site(out, pages({{"index.html", "x"}}));
    CHECK(file_contains(out, "index.html", "x"));
}

TEST_CASE("write_site: refuses a folder it did not write, unless forced", "[writer]") {
    TempDir tmp;
    auto out = tmp / "documents";
    test::write_file(out / "thesis.docx", "years of work");
    CHECK_THROWS_WITH(write_site(out, pages({{"index.html", "x"}})), Catch::Contains("--force"));
    CHECK(list_files(out) == std::vector<std::string>{"thesis.docx"});
    CHECK(entries(tmp.path()) == std::vector<std::string>{"documents"});

    write_site(out, pages({{"index.html", "x"}}), WriteOptions{.force = true});
    CHECK(list_files(out) == std::vector<std::string>{".gongkai-site", "index.html"});
}

TEST_CASE("write_site: a file where the folder should be is an error", "[writer]") {
    TempDir tmp;
    test::write_file(tmp / "site", "a file");
    CHECK_THROWS_AS(write_site(tmp / "site", pages({{"index.html", "x"}})), WriteError);
    CHECK(test::read_file(tmp / "site") == "a file");
}

TEST_CASE("write_site: a failed write leaves the previous site as it was", "[writer]") {
    TempDir tmp;
    auto out = tmp / "site";
    write_site(out, pages({{"index.html", "previous"}, {"assets/style.css", "body{}"}}));
    auto before = read_tree(out);

    // "a" is written as a file, so the folder "a/" cannot be made: the write fails half-way.
    SiteFiles broken = pages({{"a", "file"}, {"a/b/index.html", "page"}, {"index.html", "next"}});
    CHECK_THROWS_AS(write_site(out, broken), WriteError);
    CHECK(read_tree(out) == before);
    CHECK(entries(tmp.path()) == std::vector<std::string>{"site"});
}

TEST_CASE("write_site: folders left by a killed build are cleared", "[writer]") {
    TempDir tmp;
    auto stale = tmp / ".site.gongkai-new-999999";
    test::write_file(stale / ".gongkai-site", "marker");
    test::write_file(stale / "index.html", "half");
    write_site(tmp / "site", pages({{"index.html", "x"}}));
    CHECK(entries(tmp.path()) == std::vector<std::string>{"site"});
}

TEST_CASE("site files: a file made piece by piece is written as made, in memory and on disk", "[writer]") {
    // Pieces smaller than the store's buffer, one larger than it, and empty ones.
    std::vector<std::string> pieces = {"{\n", "", std::string(3 << 20, 'a'), "  \"x\": 1,\n"};
    for (int i = 0; i < 20000; ++i) pieces.push_back("\"进展 " + std::to_string(i) + "\",\n");
    pieces.push_back("}\n");
    std::string whole;
    for (const auto& p : pieces) whole += p;
    auto make = [&](ByteSink& sink) {
        for (const auto& p : pieces) sink(p);
        return hash_bytes(whole);
    };

    SiteFiles memory;
    memory.add_streamed("data/big.json", make);
    CHECK(memory.files().at("data/big.json") == whole);
    CHECK(memory.paths() == std::vector<std::string>{"data/big.json"});
    CHECK_THROWS_AS(memory.add_streamed("data/big.json", make), WriteError);
    CHECK_THROWS_AS(memory.add_streamed("../big.json", make), WriteError);

    TempDir dir;
    Manifest written = stream_into(dir / "site", "data/big.json", make);
    CHECK(gongkai::test::read_file(dir / "site" / "data/big.json") == whole);
    REQUIRE(written.contains("data/big.json"));
    CHECK(written.at("data/big.json").hash == hash_bytes(whole));
    CHECK(written.at("data/big.json").size == whole.size());
    CHECK(written.at("data/big.json").job == "data");

    // Made again with the same bytes into the folder that holds them, the file is left as it is
    // (a folder that shares it, and tools that look at times, see no change); other bytes replace it.
    {
        FolderStore again(dir / "site", written);
        SiteFiles same(&again);
        same.add_streamed("data/big.json", make, "data");
        Manifest kept = again.finish();
        CHECK(kept.at("data/big.json").inode == written.at("data/big.json").inode);
        CHECK(kept.at("data/big.json").mtime_ns == written.at("data/big.json").mtime_ns);
        FolderStore other(dir / "site", kept);
        SiteFiles changed(&other);
        changed.add_streamed(
            "data/big.json",
            [](ByteSink& sink) {
                sink("{}\n");
                return hash_bytes("{}\n");
            },
            "data");
        Manifest replaced = other.finish();
        CHECK(replaced.at("data/big.json").inode != kept.at("data/big.json").inode);
        CHECK(gongkai::test::read_file(dir / "site" / "data/big.json") == "{}\n");
        CHECK(entries(dir / "site") == std::vector<std::string>{"data"});  // no draft left behind
        // Back as it was, for what follows.
        FolderStore back(dir / "site", replaced);
        SiteFiles restore(&back);
        restore.add_streamed("data/big.json", make, "data");
        written = back.finish();
    }

    // What makes the file may fail: the error comes through, and no half-written file is kept.
    FolderStore failing(dir / "site", written);
    SiteFiles broken(&failing);
    CHECK_THROWS_WITH(broken.add_streamed("data/big.json",
                                          [](ByteSink& sink) -> Hash128 {
                                              sink("{");
                                              throw std::runtime_error("no more");
                                          }),
                      "no more");
    CHECK_THROWS_WITH(broken.add_streamed("data/new.json",
                                          [](ByteSink& sink) -> Hash128 {
                                              sink("[");
                                              throw std::runtime_error("stopped");
                                          }),
                      "stopped");
    Manifest after = failing.finish();
    CHECK_FALSE(after.contains("data/big.json"));
    CHECK_FALSE(std::filesystem::exists(dir / "site" / "data/big.json"));
    CHECK_FALSE(std::filesystem::exists(dir / "site" / "data/new.json"));
    CHECK(entries(dir / "site").empty());  // no draft left behind (and the emptied folder removed)
}

TEST_CASE("site files: a file made piece by piece copies from another file, and cuts back", "[writer]") {
    namespace fs = std::filesystem;
    // Bytes copied from a file as it is when copied (in the kernel on disk, through memory in
    // memory), bytes dropped from a point on (within the store's buffer and before it), and a
    // copy from a file that ends sooner.
    TempDir dir;
    const std::string source(3 << 20, 's');
    std::string text = source;
    for (std::size_t i = 0; i < text.size(); i += 4099) text[i] = static_cast<char>('a' + i % 26);
    gongkai::test::write_file(dir / "source", text);
    const int fd = ::open((dir / "source").c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    bool short_copy = true;
    auto make = [&](ByteSink& sink) {
        sink("head:");
        CHECK(sink.copy(fd, 10, 100));
        CHECK(sink.size() == 105);
        sink("|");
        const std::uint64_t mark = sink.size();
        CHECK(sink.copy(fd, 1000, 2 << 20));  // larger than the buffer
        sink("dropped");
        sink.cut_back(mark);  // before what the buffer holds
        CHECK(sink.size() == mark);
        sink("kept");
        const std::uint64_t second = sink.size();
        sink("dropped too");
        sink.cut_back(second);  // within what the buffer holds
        short_copy = sink.copy(fd, text.size() - 5, 10);
        sink.cut_back(second);
        sink(":tail");
        return hash_bytes("made");
    };
    const std::string expected = "head:" + text.substr(10, 100) + "|kept:tail";

    SiteFiles memory;
    memory.add_streamed("data/copied.json", make);
    CHECK(memory.files().at("data/copied.json") == expected);
    CHECK_FALSE(short_copy);

    short_copy = true;
    Manifest written = stream_into(dir / "site", "data/copied.json", make);
    CHECK(gongkai::test::read_file(dir / "site" / "data/copied.json") == expected);
    CHECK(written.at("data/copied.json").hash == hash_bytes("made"));  // the checksum make gives
    CHECK(written.at("data/copied.json").size == expected.size());
    CHECK_FALSE(short_copy);
    ::close(fd);

    // From another file system (/dev/shm, where the test's folder is not on one): where the
    // kernel does not copy between the two, the bytes come through memory.
    const fs::path shm = "/dev/shm";
    if (fs::is_directory(shm) && ::access(shm.c_str(), W_OK) == 0) {
        const fs::path other = shm / ("gongkai-test-" + std::to_string(::getpid()));
        gongkai::test::write_file(other, text);
        const int elsewhere = ::open(other.c_str(), O_RDONLY | O_CLOEXEC);
        fs::remove(other);  // open still
        REQUIRE(elsewhere >= 0);
        stream_into(
            dir / "site", "data/across.json",
            [&](ByteSink& sink) {
                sink("<");
                CHECK(sink.copy(elsewhere, 7, 3 << 19));  // larger than a copy's buffer
                sink(">");
                return hash_bytes("across");
            },
            written);
        ::close(elsewhere);
        CHECK(gongkai::test::read_file(dir / "site" / "data/across.json") == "<" + text.substr(7, 3 << 19) + ">");
    }
}

TEST_CASE("published file: open only as its manifest entry says, and unchanged until written to", "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    const fs::path file = dir / "reports.json";
    const std::string data = "[\n    {\"id\": \"一\"},\n    {\"id\": \"二\"}\n]\n";
    gongkai::test::write_file(file, data);
    OutputEntry as_written;
    restat(file, as_written);

    SECTION("as written: open, and unchanged") {
        const PublishedFile published(file, as_written);
        REQUIRE(published.is_open());
        CHECK(published.size() == data.size());
        CHECK(published.unchanged());
        char first = 0;
        CHECK(::pread(published.fd(), &first, 1, 0) == 1);
        CHECK(first == '[');
    }
    SECTION("changed in place after it was opened, at the same size, with the time put back") {
        const PublishedFile published(file, as_written);
        REQUIRE(published.is_open());
        gongkai::test::wait_past_last_change(file);
        {
            std::ofstream over(file, std::ios::binary | std::ios::in | std::ios::out);
            over << std::string(data.size(), 'x');
        }
        std::error_code ec;
        fs::last_write_time(file, fs::last_write_time(file) - std::chrono::hours(1), ec);
        CHECK_FALSE(published.unchanged());
    }
    SECTION("cut short after it was opened") {
        const PublishedFile published(file, as_written);
        REQUIRE(published.is_open());
        gongkai::test::wait_past_last_change(file);
        fs::resize_file(file, data.size() / 2);
        CHECK_FALSE(published.unchanged());
    }
    SECTION("written again before it was opened: not open") {
        gongkai::test::wait_past_last_change(file);
        gongkai::test::write_file(file, data);
        const PublishedFile published(file, as_written);
        CHECK_FALSE(published.is_open());
        CHECK_FALSE(published.unchanged());
    }
    SECTION("no file, a folder or a pipe with no writer in its place: not open, and no wait") {
        fs::remove(file);
        CHECK_FALSE(PublishedFile(file, as_written).is_open());
        fs::create_directories(file);
        CHECK_FALSE(PublishedFile(file, as_written).is_open());
        fs::remove(file);
        REQUIRE(::mkfifo(file.c_str(), 0600) == 0);
        CHECK_FALSE(PublishedFile(file, as_written).is_open());
    }
}

TEST_CASE("folder store: a file written or kept where one already is replaces that one alone", "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    fs::create_directories(dir / "site/a");
    fs::create_directories(dir / "other");
    fs::create_directories(dir / "live/a");
    gongkai::test::write_file(dir / "site/a/page.html", "old\n");
    fs::create_hard_link(dir / "site/a/page.html", dir / "other/page.html");  // as the cache's copy shares
    gongkai::test::write_file(dir / "live/a/kept.html", "live\n");
    gongkai::test::write_file(dir / "site/a/kept.html", "stale\n");

    // The file at the path is not in the store's manifest: written over, it is replaced, not
    // written through, so the folder that shares it keeps the old bytes.
    Manifest live;
    {
        FolderStore store(dir / "live", {});
        SiteFiles files(&store);
        files.add("a/kept.html", "live\n", "kept");
        live = store.finish();
    }
    FolderStore store(dir / "site", {}, dir / "live", &live);
    SiteFiles files(&store);
    files.add("a/page.html", "new\n", "page");
    store.keep("a/kept.html", "kept");
    Manifest written = store.finish();
    CHECK(gongkai::test::read_file(dir / "site/a/page.html") == "new\n");
    CHECK(gongkai::test::read_file(dir / "other/page.html") == "old\n");
    CHECK(gongkai::test::read_file(dir / "site/a/kept.html") == "live\n");
    CHECK(fs::hard_link_count(dir / "live/a/kept.html") == 2);

    // What the manifest says of each file is what stat says of it.
    for (const auto& [path, entry] : written) {
        struct stat st {};
        REQUIRE(::lstat((dir / "site" / path).c_str(), &st) == 0);
        CHECK(entry.inode == static_cast<std::uint64_t>(st.st_ino));
        CHECK(entry.size == static_cast<std::uint64_t>(st.st_size));
        CHECK(entry.mtime_ns == static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
        CHECK(entry.ctime_ns == static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec);
    }
    CHECK(written.size() == 2);
}

TEST_CASE("folder store: files put in parallel from several threads, into folders they share, are all written",
          "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    fs::create_directories(dir / "site");
    fs::create_directories(dir / "other");
    // The folder as a build left it: one file the new site holds as it is, one it replaces (shared
    // with another folder, which keeps its bytes), one it no longer has.
    Manifest current;
    {
        FolderStore store(dir / "site", {});
        SiteFiles files(&store);
        files.add("projects/p0/held.html", "held\n", "held");
        files.add("projects/p1/replaced.html", "old\n", "replaced");
        files.add("projects/p2/reports/gone/index.html", "gone\n", "gone");
        current = store.finish();
    }
    fs::create_hard_link(dir / "site/projects/p1/replaced.html", dir / "other/replaced.html");
    const std::uint64_t held_inode = current.at("projects/p0/held.html").inode;
    const std::uint64_t replaced_inode = current.at("projects/p1/replaced.html").inode;

    // Four threads put pages into the same few projects' folders, each page in a folder of its
    // own below them (as report pages are), so they race to make the folders they share.
    FolderStore store(dir / "site", current);
    SiteFiles files(&store);
    constexpr int threads = 4, per_thread = 150;
    auto path_of = [](int t, int i) {
        return "projects/p" + std::to_string(i % 5) + "/reports/r" + std::to_string(t) + "-" + std::to_string(i) +
               "/index.html";
    };
    std::vector<std::string> errors(threads);
    {
        std::vector<std::thread> writers;
        for (int t = 0; t < threads; ++t)
            writers.emplace_back([&, t] {
                try {
                    for (int i = 0; i < per_thread; ++i)
                        files.add(path_of(t, i), "page " + path_of(t, i) + "\n", "page");
                    if (t == 0) files.add("projects/p0/held.html", "held\n", "held");
                    if (t == 1) files.add("projects/p1/replaced.html", "new\n", "replaced");
                } catch (const std::exception& e) {
                    errors[t] = e.what();
                }
            });
        for (auto& w : writers) w.join();
    }
    for (const auto& error : errors) CHECK(error == "");
    Manifest written = store.finish();

    CHECK(written.size() == threads * per_thread + 2);
    for (int t = 0; t < threads; ++t)
        for (int i = 0; i < per_thread; ++i) {
            const std::string path = path_of(t, i);
            REQUIRE(written.contains(path));
            CHECK(gongkai::test::read_file(dir / "site" / path) == "page " + path + "\n");
            CHECK(written.at(path).job == "page");
        }
    // The file held is left as it was; the one replaced is a new file, and the folder that shared
    // the old one keeps it; the one the site no longer has is removed, with its emptied folders.
    CHECK(written.at("projects/p0/held.html").inode == held_inode);
    CHECK(gongkai::test::read_file(dir / "site/projects/p1/replaced.html") == "new\n");
    CHECK(written.at("projects/p1/replaced.html").inode != replaced_inode);
    CHECK(gongkai::test::read_file(dir / "other/replaced.html") == "old\n");
    CHECK(store.touched().contains(replaced_inode));
    CHECK_FALSE(store.touched().contains(held_inode));
    CHECK_FALSE(fs::exists(dir / "site/projects/p2/reports/gone"));
    // Nothing else is in the folder: every file on disk is one the manifest lists, as stat says.
    std::size_t on_disk = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir / "site")) {
        if (!e.is_regular_file()) continue;
        ++on_disk;
        const std::string path = fs::relative(e.path(), dir / "site").string();
        REQUIRE(written.contains(path));
        struct stat st {};
        REQUIRE(::lstat(e.path().c_str(), &st) == 0);
        CHECK(written.at(path).inode == static_cast<std::uint64_t>(st.st_ino));
        CHECK(written.at(path).size == static_cast<std::uint64_t>(st.st_size));
    }
    CHECK(on_disk == written.size());
}

TEST_CASE("folder store: a published file changed after it was found as written is kept but not trusted",
          "[writer]") {
    // A build checks the published files first and links the pages it keeps later; a page edited
    // by hand in between is published as it now is, and listed so that the next build writes it
    // again. Linking moves a file's ctime only; the edit moved its size and modification time.
    namespace fs = std::filesystem;
    TempDir dir;
    fs::create_directories(dir / "live");
    fs::create_directories(dir / "site");
    Manifest live;
    {
        FolderStore store(dir / "live", {});
        SiteFiles files(&store);
        files.add("a/edited.html", "as written\n", "edited");
        files.add("a/kept.html", "as written\n", "kept");
        live = store.finish();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a later modification time
    {
        std::ofstream edit(dir / "live/a/edited.html", std::ios::app);
        edit << "手工修改\n";
    }
    FolderStore store(dir / "site", {}, dir / "live", &live);
    store.keep("a/edited.html", "edited");
    store.keep("a/kept.html", "kept");
    Manifest written = store.finish();
    CHECK(gongkai::test::read_file(dir / "site/a/edited.html") == "as written\n手工修改\n");
    REQUIRE(written.contains("a/edited.html"));
    CHECK(written.at("a/edited.html").size == untrusted_size);
    REQUIRE(written.contains("a/kept.html"));
    CHECK(written.at("a/kept.html").size == 11);
    CHECK(written.at("a/kept.html").mtime_ns == live.at("a/kept.html").mtime_ns);

    // The same when the entry is taken again after the build (the copy that was published).
    OutputEntry entry = live.at("a/edited.html");
    restat_linked(dir / "live/a/edited.html", entry);
    CHECK(entry.size == untrusted_size);
    entry = live.at("a/kept.html");
    restat_linked(dir / "live/a/kept.html", entry);
    CHECK(entry.size == 11);

    // An edit of the same size moves the modification time; another file put in the place of
    // one, with the same size and modification time, has another inode.
    const OutputEntry kept = live.at("a/kept.html");
    SECTION("rewritten in place, the same size") {
        std::fstream edit(dir / "live/a/kept.html", std::ios::in | std::ios::out);
        edit << "AS";
    }
    SECTION("replaced by another file of the same size and time") {
        gongkai::test::write_file(dir / "other.html", "as written\n");
        fs::last_write_time(dir / "other.html", fs::last_write_time(dir / "live/a/kept.html"));
        fs::rename(dir / "other.html", dir / "live/a/kept.html");
    }
    entry = kept;
    restat_linked(dir / "live/a/kept.html", entry);
    CHECK(entry.size == untrusted_size);
}

namespace {

// A site of one page at each path (each made by the job of its name), written into folder as a
// build writes it; its manifest.
Manifest write_pages(const std::filesystem::path& folder, std::initializer_list<const char*> pages) {
    std::filesystem::create_directories(folder);
    FolderStore store(folder, {});
    SiteFiles files(&store);
    for (const char* page : pages) files.add(page, std::string(page) + "\n", page);
    return store.finish();
}

}  // namespace

TEST_CASE("folder store: a published folder or file replaced by a symbolic link while a build runs is not followed",
          "[writer]") {
    // A build finds the published files as written first and links the pages it keeps later. A
    // folder of the published site replaced meanwhile by a link to a folder outside it (or a page
    // by a link) must not bring what is outside into the site: the build stops, naming the path,
    // and the copy it was making holds nothing of it.
    namespace fs = std::filesystem;
    TempDir dir;
    const Manifest live = write_pages(dir / "live", {"a/kept.html", "b/kept.html"});
    fs::create_directories(dir / "outside");
    gongkai::test::write_file(dir / "outside/kept.html", "a/kept.html\n");  // the same bytes, another file
    fs::create_directories(dir / "site");
    FolderStore store(dir / "site", {}, dir / "live", &live);

    SECTION("a folder") {
        fs::remove_all(dir / "live/a");
        fs::create_directory_symlink(dir / "outside", dir / "live/a");
        try {
            store.keep("a/kept.html", "a/kept.html");
            FAIL("the link was followed");
        } catch (const WriteError& e) {
            CHECK_THAT(e.what(), Catch::Contains("a/kept.html is no longer the file the build found"));
        }
        CHECK_FALSE(fs::exists(fs::symlink_status(dir / "site/a/kept.html")));
        CHECK(fs::hard_link_count(dir / "outside/kept.html") == 1);
    }
    SECTION("a file") {
        fs::remove(dir / "live/b/kept.html");
        fs::create_symlink(dir / "outside/kept.html", dir / "live/b/kept.html");
        try {
            store.keep("b/kept.html", "b/kept.html");
            FAIL("the link was carried over");
        } catch (const WriteError& e) {
            CHECK_THAT(e.what(), Catch::Contains("b/kept.html is no longer the file the build found"));
        }
        CHECK_FALSE(fs::exists(fs::symlink_status(dir / "site/b/kept.html")));
    }
    SECTION("a folder moved on the same disk and linked: the very files") {
        fs::rename(dir / "live/a", dir / "moved");
        fs::create_directory_symlink(dir / "moved", dir / "live/a");
        store.keep("a/kept.html", "a/kept.html");
        CHECK(fs::is_directory(fs::symlink_status(dir / "site/a")));
        CHECK(fs::equivalent(dir / "site/a/kept.html", dir / "moved/kept.html"));
        CHECK(store.finish().size() == 1);
        return;
    }
    // The page left as written is carried over all the same.
    store.keep(fs::is_symlink(dir / "live/a") ? "b/kept.html" : "a/kept.html", "kept");
    CHECK(store.finish().size() == 1);
}

TEST_CASE("folder store: a folder moved and replaced by a link while it is written still gets every file",
          "[writer]") {
    // A store makes, links and removes its files from the folder it opened, not by its path: one
    // moved away, with a link to another folder left in its place, while a build writes, sends
    // nothing through the link.
    namespace fs = std::filesystem;
    TempDir dir;
    const Manifest live = write_pages(dir / "live", {"kept/index.html"});
    fs::create_directories(dir / "site/gone");
    gongkai::test::write_file(dir / "site/gone/index.html", "old\n");
    const Manifest current = write_pages(dir / "before", {"gone/index.html"});  // as if written there
    fs::create_directories(dir / "elsewhere");
    FolderStore store(dir / "site", current, dir / "live", &live);
    SiteFiles files(&store);
    files.add("a/one.html", "1\n");
    fs::rename(dir / "site", dir / "moved");
    fs::create_directory_symlink(dir / "elsewhere", dir / "site");
    files.add("a/two.html", "2\n");
    files.add("b/three.html", "3\n");
    files.add_streamed("data/all.json", [](ByteSink& sink) {
        sink.write("[1,2,3]\n");
        return hash_pieces({std::string_view("[1,2,3]\n")});
    });
    files.keep("kept/index.html", "kept/index.html");
    const Manifest written = store.finish();  // removes gone/index.html, which the site lacks now
    CHECK(gongkai::test::list_files(dir / "elsewhere").empty());
    CHECK(gongkai::test::list_files(dir / "moved") ==
          std::vector<std::string>{"a/one.html", "a/two.html", "b/three.html", "data/all.json", "kept/index.html"});
    CHECK(gongkai::test::read_file(dir / "moved/data/all.json") == "[1,2,3]\n");
    CHECK(fs::equivalent(dir / "moved/kept/index.html", dir / "live/kept/index.html"));
    CHECK(written.size() == 5);
}

TEST_CASE("open folder within: through folders alone, with openat2 or one folder at a time", "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    fs::create_directories(dir / "root/a/b");
    fs::create_directories(dir / "outside");
    gongkai::test::write_file(dir / "root/a/file", "x\n");
    fs::create_directory_symlink(dir / "outside", dir / "root/a/link");
    fs::create_directory_symlink(dir / "root/a/b", dir / "root/inner");  // a link, even to inside
    const int root = ::open((dir / "root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(root >= 0);
    for (auto* open : {&open_folder_within, &open_folder_by_steps}) {
        INFO((open == &open_folder_within ? "openat2" : "by steps"));
        for (const char* dir_ok : {"", "a", "a/b"}) {
            const int fd = open(root, dir_ok);
            CHECK(fd >= 0);
            struct stat st {};
            CHECK((fd >= 0 && ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)));
            if (fd >= 0) ::close(fd);
        }
        for (const char* refused : {"a/link", "inner", "inner/x", "a/file", "a/../a", "..", "missing"}) {
            INFO(refused);
            errno = 0;
            CHECK(open(root, refused) == -1);
            CHECK(errno != 0);
        }
        errno = 0;
        open(root, "a/link");
        CHECK(errno == ELOOP);
    }
    ::close(root);
}


TEST_CASE("verify manifest: keeps the files as written, and hands over those that are not", "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    Manifest manifest = write_pages(dir / "site", {"index.html", "a/index.html", "b/index.html", "c/index.html"});
    REQUIRE(manifest.size() == 4);
    gongkai::test::wait_past_last_change(dir / "site/a/index.html");
    gongkai::test::write_file(dir / "site/a/index.html", "edited by hand\n");
    fs::remove(dir / "site/b/index.html");

    SECTION("without a place for them, they are dropped") {
        verify_manifest(dir / "site", manifest);
        CHECK(manifest.size() == 2);
        CHECK(manifest.contains("index.html"));
        CHECK(manifest.contains("c/index.html"));
    }
    SECTION("an entry vouched for is kept without a look, the others are looked at") {
        verify_manifest(dir / "site", manifest, nullptr,
                        [](const std::string& path, const OutputEntry&) { return path == "b/index.html"; });
        CHECK(manifest.size() == 3);
        CHECK(manifest.contains("b/index.html"));  // gone, but vouched for
        CHECK_FALSE(manifest.contains("a/index.html"));
    }
    SECTION("with one, they are moved there whole, their jobs with them") {
        const Manifest before = manifest;
        Manifest dropped;
        verify_manifest(dir / "site", manifest, &dropped);
        CHECK(manifest.size() == 2);
        CHECK(manifest.contains("index.html"));
        CHECK(manifest.contains("c/index.html"));
        REQUIRE(dropped.size() == 2);
        for (const char* path : {"a/index.html", "b/index.html"}) {
            INFO(path);
            REQUIRE(dropped.contains(path));
            CHECK(dropped.at(path).job == before.at(path).job);
            CHECK(dropped.at(path).inode == before.at(path).inode);
            CHECK(dropped.at(path).hash == before.at(path).hash);
        }
    }
}

TEST_CASE("verify linked copy: a link to a published file as written, in an unchanged folder, is not looked at",
          "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    Manifest live = write_pages(dir / "site", {"index.html", "a/index.html", "b/index.html"});
    REQUIRE(live.size() == 3);
    Manifest copy;
    for (const auto& [path, entry] : live) {
        fs::create_directories((dir / "copy" / path).parent_path());
        fs::create_hard_link(dir / "site" / path, dir / "copy" / path);
    }
    for (auto& [path, entry] : live) {
        restat(dir / "site" / path, entry);  // a new link changes the file's ctime
        copy[path] = entry;
    }
    const FolderTimes unchanged = unchanged_folders(dir / "copy", folder_times(dir / "copy", copy));
    REQUIRE(unchanged.size() == 3);  // the top, a, b

    SECTION("as linked, every file is kept") {
        verify_linked_copy(dir / "copy", copy, live, unchanged);
        CHECK(copy.size() == 3);
    }
    SECTION("vouched for by its folder and the published file, a file is kept without a look") {
        fs::remove(dir / "copy/a/index.html");  // after the folders were found unchanged
        verify_linked_copy(dir / "copy", copy, live, unchanged);
        CHECK(copy.contains("a/index.html"));
    }
    SECTION("a file the published list gives otherwise, or in a folder not unchanged, is looked at") {
        fs::remove(dir / "copy/a/index.html");
        fs::remove(dir / "copy/b/index.html");
        live["a/index.html"].ctime_ns += 1;  // as if the published file were written since
        FolderTimes changed_b = unchanged;
        changed_b.erase("b");
        verify_linked_copy(dir / "copy", copy, live, changed_b);
        CHECK_FALSE(copy.contains("a/index.html"));
        CHECK_FALSE(copy.contains("b/index.html"));
        CHECK(copy.contains("index.html"));
    }
}

TEST_CASE("folder times: a folder found no folder is recorded, and never found unchanged", "[writer]") {
    // A folder replaced by a link in the moment between a build's writes and its record of the
    // folders must still be looked at by the build that brings that copy up to date again.
    namespace fs = std::filesystem;
    TempDir dir;
    const fs::path site = dir / "site";
    fs::create_directories(site / "a/b");
    fs::create_directories(dir / "elsewhere/b");
    gongkai::test::write_file(site / "a/b/index.html", "page\n");
    gongkai::test::write_file(dir / "elsewhere/b/index.html", "page\n");
    Manifest manifest;
    manifest["a/b/index.html"] = OutputEntry{};
    fs::remove_all(site / "a");
    fs::create_directory_symlink(dir / "elsewhere", site / "a");
    const FolderTimes recorded = folder_times(site, manifest);
    REQUIRE(recorded.contains("a"));
    CHECK(recorded.contains("a/b"));  // a folder, through the link
    const FolderTimes unchanged = unchanged_folders(site, recorded);
    CHECK_FALSE(unchanged.contains("a"));
    CHECK(unchanged.contains("a/b"));
    CHECK(unchanged.contains(""));
}

TEST_CASE("unchanged folders: a folder a name was added to, removed from or renamed in is not unchanged", "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    const fs::path site = dir / "site";
    for (const char* f : {"a", "b", "c", "d", "e/f"}) fs::create_directories(site / f);
    for (const char* f : {"a/index.html", "b/index.html", "c/index.html", "d/index.html", "e/f/index.html"})
        gongkai::test::write_file(site / f, "page\n");
    Manifest manifest;
    for (const char* f : {"a/index.html", "b/index.html", "c/index.html", "d/index.html", "e/f/index.html"})
        manifest[f] = OutputEntry{};
    const FolderTimes recorded = folder_times(site, manifest);
    REQUIRE(recorded.size() == 7);  // the top, a, b, c, d, e, e/f
    CHECK(unchanged_folders(site, recorded).size() == 7);

    gongkai::test::wait_past_last_change(site / "e/f/index.html");  // the last thing written
    gongkai::test::write_file(site / "a/extra.html", "added\n");
    fs::remove(site / "b/index.html");
    fs::rename(site / "c/index.html", site / "c/moved.html");
    gongkai::test::write_file(site / "d/index.html", "written in place\n");  // the folder's names are as they were
    const FolderTimes unchanged = unchanged_folders(site, recorded);
    CHECK_FALSE(unchanged.contains("a"));
    CHECK_FALSE(unchanged.contains("b"));
    CHECK_FALSE(unchanged.contains("c"));
    CHECK(unchanged.contains("d"));
    CHECK(unchanged.contains("e"));
    CHECK(unchanged.contains("e/f"));
    CHECK(unchanged.contains(""));
    fs::remove_all(site / "e/f");
    CHECK_FALSE(unchanged_folders(site, recorded).contains("e/f"));
    CHECK_FALSE(unchanged_folders(site, recorded).contains("e"));
}

TEST_CASE("remove folder: removes everything below, at any depth, and follows no link", "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    const fs::path site = dir / "site";
    // Outside the folder: what links in it point to, which must be left as it is.
    fs::create_directories(dir / "elsewhere/kept");
    gongkai::test::write_file(dir / "elsewhere/kept/page.html", "not the site's\n");
    gongkai::test::write_file(dir / "elsewhere/file.txt", "not the site's\n");
    // Files at the top, in the folders at the top and two levels down, many of them (the removal is
    // shared between threads an entry at a time).
    gongkai::test::write_file(site / "index.html", "top\n");
    for (int p = 0; p < 40; ++p) {
        const fs::path project = site / "projects" / ("p" + std::to_string(p));
        for (int r = 0; r < 3; ++r) gongkai::test::write_file(project / "reports" / std::to_string(r) / "index.html", "r\n");
        gongkai::test::write_file(project / "index.html", "p\n");
    }
    gongkai::test::write_file(site / "data/reports.json", "[]\n");
    fs::create_directories(site / "empty/also-empty");
    // Links, at each level: to a folder outside, to a file outside, dangling; and a pipe.
    fs::create_directory_symlink(dir / "elsewhere/kept", site / "linked-folder");
    fs::create_directory_symlink(dir / "elsewhere/kept", site / "projects/linked-folder");
    fs::create_directory_symlink(dir / "elsewhere/kept", site / "projects/p0/linked-folder");
    fs::create_symlink(dir / "elsewhere/file.txt", site / "data/linked-file");
    fs::create_symlink(dir / "nowhere", site / "projects/p1/dangling");
    REQUIRE(::mkfifo((site / "projects/p2/pipe").c_str(), 0600) == 0);
    // Deeper than the removal walks through open folders (256 levels): what is left goes by path.
    fs::path deep = site / "deep";
    for (int i = 0; i < 300; ++i) deep /= "d";
    gongkai::test::write_file(deep / "index.html", "deep\n");

    remove_folder(site);

    CHECK_FALSE(fs::exists(fs::symlink_status(site)));
    CHECK(entries(dir.path()) == std::vector<std::string>{"elsewhere"});
    CHECK(gongkai::test::read_file(dir / "elsewhere/kept/page.html") == "not the site's\n");
    CHECK(gongkai::test::read_file(dir / "elsewhere/file.txt") == "not the site's\n");
}

TEST_CASE("remove folder: a link, a file or nothing at the path is removed, not followed", "[writer]") {
    namespace fs = std::filesystem;
    TempDir dir;
    gongkai::test::write_file(dir / "target/page.html", "kept\n");
    fs::create_directory_symlink(dir / "target", dir / "link");
    remove_folder(dir / "link");
    CHECK_FALSE(fs::exists(fs::symlink_status(dir / "link")));
    CHECK(gongkai::test::read_file(dir / "target/page.html") == "kept\n");

    gongkai::test::write_file(dir / "file", "x\n");
    remove_folder(dir / "file");
    CHECK_FALSE(fs::exists(dir / "file"));
    remove_folder(dir / "missing");  // nothing: no error
    CHECK(entries(dir.path()) == std::vector<std::string>{"target"});
}
