#include <catch2/catch.hpp>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::file_contains;
using gongkai::test::file_lacks;
using gongkai::test::Files;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::gongkai_cli;
using gongkai::test::TempDir;

namespace {

const std::string report = "projects/2020-001/reports/2020-10/index.html";

// The basic site served from a sub-path.
Files progress_site() {
    Files files = basic_site();
    files["gongkai.toml"] =
        "title = \"测试区重点工作推进情况\"\nlanguage = \"zh-CN\"\nbase_url = \"https://example.org/progress/\"\n"
        "publisher = \"测试区人民政府\"\n";
    return files;
}

}  // namespace

TEST_CASE("base URL: a sub-path, pages linked relatively, the 404 page from the sub-path", "[integration][url]") {
    GitRepo repo;
    repo.write(progress_site());
    repo.commit("Served under /progress/");
    TempDir out;
    auto r = gongkai_cli(
        {"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", fixture_themes_dir()});
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto site = out / "site";

    CHECK(file_contains(site, "index.html", "href=\"assets/style.css\""));
    CHECK(file_contains(site, "index.html", "href=\"projects/2020-001/\""));
    CHECK(file_contains(site, "projects/2020-001/index.html", "href=\"../../departments/education/\""));
    CHECK(file_contains(site, report, "href=\"../../../../projects/2020-001/\""));
    CHECK(file_contains(site, report, "href=\"../../../../assets/style.css\""));
    // No page but the 404 links by absolute path, so the site works wherever it is copied.
    for (const auto& page : {"index.html", "departments/index.html", "departments/education/index.html",
                             "projects/2020-001/index.html", report.c_str()}) {
        CHECK(file_lacks(site, page, "href=\"/"));
        CHECK(file_lacks(site, page, "src=\"/"));
    }

    CHECK(file_contains(site, "404.html", "href=\"/progress/assets/style.css\""));
    CHECK(file_contains(site, "404.html", "<a class=\"home\" href=\"/progress/\">"));
    CHECK(file_contains(site, "404.html", "href=\"/progress/departments/\""));

    CHECK(file_contains(site, report,
                        "rel=\"canonical\" href=\"https://example.org/progress/projects/2020-001/reports/2020-10/\""));
    CHECK(file_contains(site, "index.html", "rel=\"canonical\" href=\"https://example.org/progress/\""));
}

TEST_CASE("base URL: --base-url overrides gongkai.toml", "[integration][url]") {
    GitRepo repo;
    repo.write(progress_site());
    repo.commit("Seed");
    TempDir out;
    auto r = gongkai_cli({"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir",
                          fixture_themes_dir(), "--base-url", "https://gov.example.cn/zdgz"});
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto site = out / "site";
    CHECK(file_contains(site, "404.html", "href=\"/zdgz/assets/style.css\""));
    CHECK(file_contains(site, "projects/2020-001/index.html",
                        "rel=\"canonical\" href=\"https://gov.example.cn/zdgz/projects/2020-001/\""));
    CHECK(file_lacks(site, "projects/2020-001/index.html", "example.org/progress"));
}

TEST_CASE("base URL: at the root of its host", "[integration][url]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    auto r = gongkai_cli({"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir",
                          fixture_themes_dir(), "--base-url", "https://example.org"});
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(file_contains(out / "site", "404.html", "<a class=\"home\" href=\"/\">"));
    CHECK(file_contains(out / "site", "index.html", "rel=\"canonical\" href=\"https://example.org/\""));
}
