#include "writer.h"

#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>

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
    auto make = [&](const ByteSink& sink) {
        for (const auto& p : pieces) sink(p);
    };

    SiteFiles memory;
    memory.add_streamed("data/big.json", make);
    CHECK(memory.files().at("data/big.json") == whole);
    CHECK(memory.paths() == std::vector<std::string>{"data/big.json"});
    CHECK_THROWS_AS(memory.add_streamed("data/big.json", make), WriteError);
    CHECK_THROWS_AS(memory.add_streamed("../big.json", make), WriteError);

    TempDir dir;
    std::filesystem::create_directories(dir / "site");
    FolderStore store(dir / "site", {});
    SiteFiles disk(&store);
    disk.add_streamed("data/big.json", make, "data");
    Manifest written = store.finish();
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
        changed.add_streamed("data/big.json", [](const ByteSink& sink) { sink("{}\n"); }, "data");
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
                                          [](const ByteSink& sink) {
                                              sink("{");
                                              throw std::runtime_error("no more");
                                          }),
                      "no more");
    CHECK_THROWS_WITH(broken.add_streamed("data/new.json",
                                          [](const ByteSink& sink) {
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
