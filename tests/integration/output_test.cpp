#include <catch2/catch.hpp>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::CommandResult;
using gongkai::test::differences;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::gongkai_cli;
using gongkai::test::read_tree;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

namespace {

CommandResult build(const GitRepo& repo, const fs::path& out, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"build",      "--repo",      repo.dir(),          "--out",
                                     out.string(), "--theme-dir", fixture_themes_dir()};
    args.insert(args.end(), more.begin(), more.end());
    return gongkai_cli(args);
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

TEST_CASE("output: two builds of one commit are byte-identical", "[integration][output]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir a, b;
    REQUIRE(build(repo, a / "site").status == 0);
    REQUIRE(build(repo, b / "site").status == 0);
    auto diff = differences(a / "site", b / "site");
    INFO(joined(diff));
    CHECK(diff.empty());
    CHECK(test::list_files(a / "site").size() >= 9);
}

TEST_CASE("output: a build of broken content leaves the previous site untouched", "[integration][output]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    REQUIRE(build(repo, out / "site").status == 0);
    auto before = read_tree(out / "site");

    repo.write("reports/2020-001/2020-10.md", "+++\nperiod_start = 2020-01-01\ncompletion = \"90%\"\n+++\n");
    repo.commit("Broken report");
    auto r = build(repo, out / "site");
    INFO(r.output);
    CHECK(r.status == 1);
    CHECK(r.output.find("reports/2020-001/2020-10.md:3") != std::string::npos);
    CHECK(r.output.find("nothing was written") != std::string::npos);
    CHECK(read_tree(out / "site") == before);
    // Nothing is left beside it either, but the build cache.
    std::vector<std::string> beside;
    for (const auto& e : fs::directory_iterator(out.path()))
        if (e.path().filename() != ".site.gongkai-cache") beside.push_back(e.path().filename().string());
    CHECK(beside == std::vector<std::string>{"site"});
}

TEST_CASE("output: a newer commit replaces the whole site", "[integration][output]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    REQUIRE(build(repo, out / "site").status == 0);
    REQUIRE(fs::exists(out / "site/projects/2020-001/reports/2020-06/index.html"));

    repo.remove("reports/2020-001/2020-06.md");
    repo.commit("Withdraw the June report");
    auto r = build(repo, out / "site");
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK_FALSE(fs::exists(out / "site/projects/2020-001/reports/2020-06"));
    CHECK(fs::exists(out / "site/projects/2020-001/reports/2020-10/index.html"));
}

TEST_CASE("output: a folder gongkai did not write is replaced only with --force", "[integration][output]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    test::write_file(out / "site/notes.txt", "someone's notes");
    auto r = build(repo, out / "site");
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("--force") != std::string::npos);
    CHECK(r.output.find("the previous site was left as it was") != std::string::npos);
    CHECK(test::list_files(out / "site") == std::vector<std::string>{"notes.txt"});

    auto forced = build(repo, out / "site", {"--force"});
    INFO(forced.output);
    CHECK(forced.status == 0);
    CHECK_FALSE(fs::exists(out / "site/notes.txt"));
    CHECK(fs::exists(out / "site/index.html"));
}
