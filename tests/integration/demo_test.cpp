#include <catch2/catch.hpp>

#include "git_repo.h"
#include "site.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::file_contains;
using gongkai::test::file_lacks;
using gongkai::test::source_dir;
using gongkai::test::source_themes_dir;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

// The demo content in content/ is the Changning district's report on item 043. These tests read
// it from the working tree, whatever has been committed, with the real default theme, and look
// for the report's facts where a reader looks for them.

namespace {

const std::string home = "index.html";
const std::string department = "departments/education/index.html";
const std::string project = "projects/2020-043/index.html";
const std::string report = "projects/2020-043/reports/2020-10/index.html";

// Builds the demo into out/site through the library, as `--worktree --content-dir content` does.
fs::path build_demo(const TempDir& out) {
    DirectorySource source(source_dir() + "/content", "content");
    BuildOptions options;
    options.themes_dir = source_themes_dir();
    options.out = out / "site";
    BuildResult result = build_site(source, options);
    INFO(test::listing(result.diagnostics));
    REQUIRE(result.ok());
    CHECK(result.diagnostics.warning_count() == 0);
    return out / "site";
}

}  // namespace

TEST_CASE("demo: the home page shows item 043 at 90%", "[demo][default-theme]") {
    TempDir out;
    auto site = build_demo(out);
    CHECK(file_contains(site, home, "第 043 项"));
    CHECK(file_contains(site, home, "推进教育“优质+均衡”发展三年行动计划"));
    CHECK(file_contains(site, home, "90%"));
    CHECK(file_contains(site, home, "长宁区人民政府 2020 年重点工作推进情况"));
    CHECK(file_contains(site, home, "href=\"projects/2020-043/\""));
}

TEST_CASE("demo: the project page shows the item, its goals and its completion", "[demo][default-theme]") {
    TempDir out;
    auto site = build_demo(out);
    CHECK(file_contains(site, project, "第 043 项"));
    CHECK(file_contains(site, project, "90%"));
    CHECK(file_contains(site, project, "以教育现代化为主线"));
    CHECK(file_contains(site, project, "形成完善的区域教育优秀人才引进及流动机制"));
    CHECK(file_contains(site, project, "有序逐步推进三所信息化标杆校建设"));
    CHECK(file_contains(site, project, "长宁区教育局"));
    CHECK(file_contains(site, project, "href=\"../../projects/2020-043/reports/2020-10/\""));
}

TEST_CASE("demo: the report page shows the date, the rate and both contacts", "[demo][default-theme]") {
    TempDir out;
    auto site = build_demo(out);
    CHECK(file_contains(site, report, "90%"));
    CHECK(file_contains(site, report, "2020 年 10 月 21 日"));
    CHECK(file_contains(site, report, "datetime=\"2020-10-21\""));
    CHECK(file_contains(site, report, "2020 年 1–10 月"));
    CHECK(file_contains(site, report, "宗宏"));
    CHECK(file_contains(site, report, "黄丽灵"));
    CHECK(file_contains(site, report, "22050725"));
    CHECK(file_contains(site, report, "22050779"));
    CHECK(file_contains(site, report, "区府办"));
    CHECK(file_contains(site, report, "（一）目前进展情况"));
    CHECK(file_contains(site, report, "（二）存在的困难"));
    CHECK(file_contains(site, report, "（三）下一步工作措施"));
    CHECK(file_contains(site, report, "id=\"section-1\""));
    CHECK(file_contains(site, report, "区域缺乏教材审核的专业团队。"));
}

TEST_CASE("demo: the department page names the Changning education bureau", "[demo][default-theme]") {
    TempDir out;
    auto site = build_demo(out);
    CHECK(file_contains(site, department, "长宁区教育局"));
    CHECK(file_contains(site, department, "推进教育“优质+均衡”发展三年行动计划"));
    CHECK(file_contains(site, "departments/index.html", "长宁区教育局"));
}

TEST_CASE("demo: every page is complete HTML without template leftovers", "[demo][default-theme]") {
    TempDir out;
    auto site = build_demo(out);
    for (const auto& page : test::list_files(site)) {
        if (!page.ends_with(".html")) continue;
        CHECK(file_contains(site, page, "<html lang=\"zh-CN\""));
        CHECK(file_contains(site, page, "</html>"));
        CHECK(file_contains(site, page, "长宁区人民政府"));
        CHECK(file_lacks(site, page, "{{"));
    }
    CHECK(file_contains(site, "404.html", "href=\"/progress/"));
}

TEST_CASE("demo: the command line previews the working tree of this repository", "[demo][default-theme]") {
    // The preview takes its "now" and history from the checkout's HEAD, so it needs one.
    if (!fs::exists(fs::path(source_dir()) / ".git")) {
        WARN("the source tree is not a git checkout; the command-line demo build is not tried");
        return;
    }
    TempDir out;
    auto r = test::gongkai_cli({"build", "--repo", source_dir(), "--worktree", "--content-dir", "content", "--out",
                                (out / "site").string(), "--theme-dir", source_themes_dir()});
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto site = out / "site";
    CHECK(file_contains(site, home, "第 043 项"));
    CHECK(file_contains(site, project, "90%"));
    CHECK(file_contains(site, report, "2020 年 10 月 21 日"));
    CHECK(file_contains(site, report, "宗宏"));
    CHECK(file_contains(site, report, "22050779"));
    CHECK(file_contains(site, department, "长宁区教育局"));
}
