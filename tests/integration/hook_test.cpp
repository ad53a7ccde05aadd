#include <catch2/catch.hpp>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

namespace {

bool says(const std::string& output, const std::string& text) {
    if (output.find(text) != std::string::npos) return true;
    UNSCOPED_INFO("the push output does not say \"" << text << "\":\n" << output);
    return false;
}

// A bare repository on "the server", with hooks/post-receive from this source tree installed and
// configured the way docs/publishing.md says.
struct Server {
    TempDir dir;
    fs::path bare = dir / "progress.git";
    fs::path webroot = dir / "www/progress";

    Server() {
        auto r = test::run("git init -q --bare -b main " + test::shell_quote(bare.string()));
        REQUIRE(r.status == 0);
        fs::copy_file(test::source_dir() + "/hooks/post-receive", bare / "hooks/post-receive");
        fs::permissions(bare / "hooks/post-receive", fs::perms::owner_all | fs::perms::group_read |
                                                         fs::perms::group_exec | fs::perms::others_read |
                                                         fs::perms::others_exec);
        fs::create_directories(webroot.parent_path());
        config("gongkai.webroot", webroot.string());
        config("gongkai.bin", GONGKAI_TEST_BINARY);
        config("gongkai.themedir", fixture_themes_dir());
    }

    void config(const std::string& key, const std::string& value) {
        auto r = test::run("git --git-dir=" + test::shell_quote(bare.string()) + " config " + key + " " +
                           test::shell_quote(value));
        REQUIRE(r.status == 0);
    }
};

}  // namespace

TEST_CASE("post-receive hook: a good push publishes, a broken one keeps the good site and tells the pusher",
          "[integration][hook]") {
    Server server;
    GitRepo clone;
    clone.git("remote add origin " + test::shell_quote(server.bare.string()));

    clone.write(basic_site());
    clone.commit("First reports");
    std::string good = clone.git("push origin main");
    CHECK(says(good, "gongkai: published"));
    REQUIRE(test::file_exists(server.webroot, "index.html"));
    CHECK(test::file_contains(server.webroot, "index.html", "测试区重点工作推进情况"));
    CHECK(test::file_exists(server.webroot, "projects/2020-001/reports/2020-06/index.html"));
    auto published = test::read_tree(server.webroot);

    clone.write("reports/2020-001/2020-12.md",
                "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-12-31\ndate = 2020-12-20\ncompletion = \"90%\"\n+++\n");
    clone.commit("A report with a quoted percentage");
    std::string broken = clone.git("push origin main");
    CHECK(says(broken, "reports/2020-001/2020-12.md:5:14: error: completion: expected a percentage"));
    CHECK(says(broken, "NOT published"));
    auto diff = test::differences(server.webroot, server.webroot);  // the helper itself is sane
    CHECK(diff.empty());
    CHECK(test::read_tree(server.webroot) == published);  // byte-identical: the good site stayed

    // Fixed and pushed again: the new report is published.
    clone.write("reports/2020-001/2020-12.md",
                "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-12-31\ndate = 2020-12-20\ncompletion = 90\n+++\n");
    clone.commit("Fix the percentage");
    CHECK(says(clone.git("push origin main"), "gongkai: published"));
    CHECK(test::file_exists(server.webroot, "projects/2020-001/reports/2020-12/index.html"));
}

TEST_CASE("post-receive hook: other branches are not published, and a content folder is honoured",
          "[integration][hook]") {
    Server server;
    server.config("gongkai.contentdir", "site-content");
    GitRepo clone;
    clone.git("remote add origin " + test::shell_quote(server.bare.string()));
    for (const auto& [path, text] : basic_site()) clone.write("site-content/" + path, text);
    clone.commit("Content in a folder");
    clone.git("checkout -q -b draft");
    std::string draft = clone.git("push origin draft");
    CHECK(draft.find("gongkai: publishing") == std::string::npos);
    CHECK_FALSE(fs::exists(server.webroot));
    CHECK(says(clone.git("push origin draft:main"), "gongkai: published"));
    CHECK(test::file_exists(server.webroot, "index.html"));
}

TEST_CASE("post-receive hook: without a web root it says how to set one", "[integration][hook]") {
    Server server;
    test::run("git --git-dir=" + test::shell_quote(server.bare.string()) + " config --unset gongkai.webroot");
    GitRepo clone;
    clone.git("remote add origin " + test::shell_quote(server.bare.string()));
    clone.write(basic_site());
    clone.commit("Seed");
    CHECK(says(clone.git("push origin main"), "git config gongkai.webroot"));
}
