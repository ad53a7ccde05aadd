#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "git/repository.h"
#include "git_repo.h"
#include "site.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::file_contains;
using gongkai::test::file_exists;
using gongkai::test::file_lacks;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::gongkai_cli;
using gongkai::test::TempDir;

TEST_CASE("git build: every page is written where the docs say", "[integration]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    auto r = gongkai_cli(
        {"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", fixture_themes_dir()});
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("wrote") != std::string::npos);
    auto site = out / "site";
    CHECK(file_exists(site, "index.html"));
    CHECK(file_exists(site, "departments/index.html"));
    CHECK(file_exists(site, "departments/education/index.html"));
    CHECK(file_exists(site, "departments/health/index.html"));
    CHECK(file_exists(site, "projects/2020-001/index.html"));
    CHECK(file_exists(site, "projects/2020-001/reports/2020-06/index.html"));
    CHECK(file_exists(site, "projects/2020-001/reports/2020-10/index.html"));
    CHECK(file_exists(site, "404.html"));
    CHECK(file_exists(site, "assets/style.css"));
    CHECK(file_exists(site, ".gongkai-site"));
}

TEST_CASE("git build: the pages carry the committed facts", "[integration]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    auto r = gongkai_cli(
        {"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", fixture_themes_dir()});
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto site = out / "site";
    CHECK(file_contains(site, "index.html", "第 001 项 推进教育优质均衡发展"));
    CHECK(file_contains(site, "index.html", "<span class=\"completion\">87.5%</span>"));
    CHECK(file_contains(site, "departments/education/index.html", "<h1>测试区教育局</h1>"));
    CHECK(file_contains(site, "projects/2020-001/index.html", "<p class=\"completion\">87.5%</p>"));
    CHECK(file_contains(site, "projects/2020-001/reports/2020-10/index.html", "signed=2020 年 10 月 21 日"));
    CHECK(file_contains(site, "projects/2020-001/reports/2020-10/index.html", "张三、李四 11110001、11110002"));
    CHECK(file_contains(site, "projects/2020-001/reports/2020-06/index.html", "<p class=\"completion\">40%</p>"));
    CHECK(file_contains(site, "assets/style.css", "font-family"));
}

TEST_CASE("git build: build_site reads a CommitSource", "[integration]") {
    GitRepo repo;
    repo.write(basic_site());
    std::string commit = repo.commit("Seed");
    git::Repository repository(repo.dir());
    git::CommitSource source(repository, "HEAD", "");

    Diagnostics diags;
    Snapshot snapshot = source.read(diags);
    CHECK(snapshot.commit == commit);
    CHECK(snapshot.commit_time == 1603252800);
    CHECK(snapshot.files.size() == basic_site().size());

    TempDir out;
    BuildOptions options;
    options.themes_dir = fixture_themes_dir();
    options.out = out / "site";
    BuildResult result = build_site(source, options);
    INFO(test::listing(result.diagnostics));
    REQUIRE(result.ok());
    // Every file written, less the marker.
    CHECK(result.files == test::list_files(out / "site").size() - 1);
    CHECK(file_contains(out / "site", "projects/2020-001/index.html", "推进教育优质均衡发展"));
}

TEST_CASE("git build: files outside the content's folders are not published", "[integration]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.write("README.md", "# 说明\n");
    repo.write("notes/draft.md", "草稿\n");
    repo.commit("Seed with notes");
    TempDir out;
    auto r = gongkai_cli(
        {"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", fixture_themes_dir()});
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK_FALSE(std::filesystem::exists(out / "site" / "README.md"));
    CHECK_FALSE(std::filesystem::exists(out / "site" / "notes"));
    CHECK(file_lacks(out / "site", "index.html", "草稿"));
}

TEST_CASE("git build: static files of the content are copied, replacing the theme's", "[integration]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.write("static/assets/style.css", "/* own style */\n");
    repo.write("static/files/plan.pdf", std::string("%PDF-1.4\0binary", 15));
    repo.commit("Seed with static files");
    TempDir out;
    auto r = gongkai_cli(
        {"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", fixture_themes_dir()});
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(file_contains(out / "site", "assets/style.css", "/* own style */"));
    CHECK(file_lacks(out / "site", "assets/style.css", "font-family"));
    CHECK(test::read_file(out / "site" / "files/plan.pdf") == std::string("%PDF-1.4\0binary", 15));
}

namespace {

// Lines of /proc/self/maps naming a file under folder.
std::size_t mappings_under(const std::string& folder) {
    std::ifstream maps("/proc/self/maps");
    std::size_t found = 0;
    for (std::string line; std::getline(maps, line);)
        if (line.find(folder) != std::string::npos) ++found;
    return found;
}

}  // namespace

TEST_CASE("git build: the repository's packs are not held in memory after reading, and it builds again",
          "[integration][git]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    repo.git("gc --quiet");  // the objects in a pack, which libgit2 maps into memory to read
    REQUIRE_FALSE(test::list_files(repo.path() / ".git/objects/pack").empty());
    // As /proc/self/maps names them: with symbolic links resolved.
    const std::string packs = std::filesystem::canonical(repo.path() / ".git/objects/pack").string();
    git::Repository repository(repo.dir());
    for (int build = 0; build < 2; ++build) {
        INFO("build " << build);
        git::CommitSource source(repository, "HEAD", "");
        TempDir out;
        BuildOptions options;
        options.themes_dir = fixture_themes_dir();
        options.out = out / "site";
        int looked = 0;
        options.progress = [&](std::string_view stage, std::size_t done, std::size_t) {
            // The packs are read while the content is: as the pages are written, they are let go.
            if (stage == "read" && done == 1) {
                CHECK(mappings_under(packs) > 0);
                ++looked;
            }
            if (stage == "render-write" && done == 0) {
                CHECK(mappings_under(packs) == 0);
                ++looked;
            }
        };
        BuildResult result = build_site(source, options);
        INFO(test::listing(result.diagnostics));
        REQUIRE(result.ok());
        REQUIRE(looked == 2);
        CHECK(file_contains(out / "site", "projects/2020-001/index.html", "推进教育优质均衡发展"));
    }
}
