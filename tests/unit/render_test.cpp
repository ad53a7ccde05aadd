#include <catch2/catch.hpp>

#include "content/library.h"
#include "fixture.h"
#include "schedule.h"
#include "site.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::Files;
using gongkai::test::listing;
using gongkai::test::page_contains;
using gongkai::test::page_lacks;

namespace {

// Loads content; the test fails on any diagnostic error.
Library library(const Files& files) {
    Diagnostics diags;
    MemorySource source(files);
    auto lib = load_library(source.read(diags), diags);
    INFO(listing(diags));
    REQUIRE(lib);
    return std::move(*lib);
}

// Renders content with the fixture theme; the test fails on any diagnostic error.
SiteFiles render(const Files& files) {
    Library lib = library(files);
    // The build's "now" is fixed, as a commit's date is: a few days after the October report.
    Analysis analysis;
    analysis.today = Date{2020, 10, 25};
    analysis.schedules = judge_schedules(lib, analysis.today);
    Diagnostics diags;
    Theme theme = load_theme(test::fixture_themes_dir(), "default", diags);
    SiteFiles site = render_site(lib, theme, analysis, diags);
    INFO(listing(diags));
    REQUIRE_FALSE(diags.has_errors());
    return site;
}

const std::string home = "index.html";
const std::string project = "projects/2020-001/index.html";
const std::string report = "projects/2020-001/reports/2020-10/index.html";
const std::string education = "departments/education/index.html";
const std::string health = "departments/health/index.html";

}  // namespace

TEST_CASE("render: every page at its documented path", "[render]") {
    SiteFiles site = render(basic_site());
    for (const char* path :
         {"404.html", "assets/style.css", "departments/education/index.html", "departments/health/index.html",
          "departments/index.html", "index.html", "projects/2020-001/index.html",
          "projects/2020-001/reports/2020-06/index.html", "projects/2020-001/reports/2020-10/index.html"}) {
        INFO(path);
        CHECK(site.files().contains(path));
    }
    // Nothing else is an HTML page.
    std::size_t html = 0;
    for (const auto& [path, bytes] : site.files()) html += path.ends_with(".html");
    CHECK(html == 8);
    CHECK(page_contains(site, home, "class=\"kind-index\""));
    CHECK(page_contains(site, "departments/index.html", "class=\"kind-departments\""));
    CHECK(page_contains(site, education, "class=\"kind-department\""));
    CHECK(page_contains(site, project, "class=\"kind-project\""));
    CHECK(page_contains(site, report, "class=\"kind-report\""));
    CHECK(page_contains(site, "404.html", "class=\"kind-404\""));
}

TEST_CASE("render: links are relative to each page", "[render]") {
    SiteFiles site = render(basic_site());
    CHECK(page_contains(site, home, "href=\"assets/style.css\""));
    CHECK(page_contains(site, home, "href=\"projects/2020-001/\""));
    CHECK(page_contains(site, "departments/index.html", "href=\"../assets/style.css\""));
    CHECK(page_contains(site, education, "href=\"../../projects/2020-001/\""));
    CHECK(page_contains(site, project, "href=\"../../departments/education/\""));
    CHECK(page_contains(site, project, "href=\"../../projects/2020-001/reports/2020-10/\""));
    CHECK(page_contains(site, report, "href=\"../../../../assets/style.css\""));
    CHECK(page_contains(site, report, "href=\"../../../../projects/2020-001/\""));
    // The 404 page is served at any address, so it links from the base URL's path.
    CHECK(page_contains(site, "404.html", "href=\"/assets/style.css\""));
    CHECK(page_contains(site, report,
                        "<link rel=\"canonical\" href=\"https://example.org/projects/2020-001/reports/2020-10/\">"));
}

TEST_CASE("render: the home page lists projects with their figures", "[render]") {
    SiteFiles site = render(basic_site());
    CHECK(page_contains(site, home, "第 001 项 推进教育优质均衡发展"));
    CHECK(page_contains(site, home, "<span class=\"completion\">87.5%</span>"));
    CHECK(page_contains(site, home, "aria-label=\"完成率 87.5%\""));
    CHECK(page_contains(site, home, "<span class=\"status\">推进中</span>"));
    CHECK(page_contains(site, home, "2020 年 1–10 月 2020 年 10 月 21 日"));
    CHECK(page_contains(site, home, "projects=1 departments=2 reports=2 average=87.5% complete=0 in_progress=1"));
    CHECK(page_contains(site, home, "<title>首页 · 测试区重点工作推进情况</title>"));
}

TEST_CASE("render: the project page", "[render]") {
    SiteFiles site = render(basic_site());
    CHECK(page_contains(site, project, "<h1><span class=\"number\">第 001 项</span> 推进教育优质均衡发展</h1>"));
    CHECK(page_contains(site, project, "year=2020 official=李副区长 start=2020-01-01 end=2020-12-31 reports=2"));
    CHECK(page_contains(site, project, "<p class=\"completion\">87.5%</p>"));
    CHECK(page_contains(site, project, "class=\"gk-bar-fill\" x=\"0\" y=\"0\" width=\"87.5\""));
    CHECK(page_contains(site, project, "<strong>三所</strong>"));
    CHECK(page_contains(site, project, "<p>以教育现代化为主线，推进各项举措落地。</p>"));
    CHECK(page_contains(site, project, ">测试区卫生健康委员会</a>"));
    // Goals carry the latest report's completion, nested goals included.
    CHECK(page_contains(site, project, "1 标杆校建设 <span class=\"goal-completion\">80%</span>"));
    CHECK(page_contains(site, project, "1.1 信息化标杆校 <span class=\"goal-completion\">70%</span>"));
    // Reports newest first.
    const std::string& page = site.files().at(project);
    auto october = page.find("2020 年 1–10 月</a>");
    auto june = page.find("2020 年 1–6 月</a>");
    REQUIRE(october != std::string::npos);
    REQUIRE(june != std::string::npos);
    CHECK(october < june);
}

TEST_CASE("render: the report page", "[render]") {
    SiteFiles site = render(basic_site());
    CHECK(page_contains(site, report, "<h1>测试区教育局关于 1-10 月推进情况的反馈</h1>"));
    CHECK(page_contains(
        site, report,
        "period=2020 年 1–10 月 from=2020-01-01 to=2020-10-31 date=2020-10-21 signed=2020 年 10 月 21 日"));
    CHECK(page_contains(site, report, "<p class=\"completion\">87.5%</p>"));
    CHECK(page_contains(site, report, "<p class=\"on-schedule\">达到序时进度</p>"));
    CHECK(page_contains(site, report, "<p class=\"contacts\">张三、李四 11110001、11110002</p>"));
    CHECK(page_contains(
        site, report,
        "<li><a href=\"#section-1\">（一）目前进展情况</a></li><li><a href=\"#section-2\">（二）存在的困难</a></li>"));
    CHECK(page_contains(site, report, "<h2 id=\"section-1\">（一）目前进展情况</h2>"));
    CHECK(page_contains(site, report, "<li>1.1 信息化标杆校 70%"));
    CHECK(page_contains(site, report, "第 001 项 推进教育优质均衡发展</a>"));
    // Without a title, a report is named after its project and period.
    CHECK(page_contains(site, "projects/2020-001/reports/2020-06/index.html",
                        "<h1>推进教育优质均衡发展 2020 年 1–6 月</h1>"));
}

TEST_CASE("render: department pages list lead and co-responsible projects", "[render]") {
    SiteFiles site = render(basic_site());
    CHECK(page_contains(site, education, "<h1>测试区教育局</h1>"));
    CHECK(page_contains(site, education, "<p>主管全区教育工作。</p>"));
    CHECK(page_contains(site, education, "<li>王老师 12345678</li>"));
    CHECK(page_contains(site, education, "推进教育优质均衡发展</a> <span class=\"lead\">lead</span>"));
    CHECK(page_contains(site, health, "推进教育优质均衡发展</a>"));
    CHECK(page_lacks(site, health, "class=\"lead\""));
    CHECK(page_contains(site, "departments/index.html", "测试区教育局</a> projects=1 average=87.5%"));
}

TEST_CASE("render: a project's status follows its latest report", "[render]") {
    Files files = basic_site();
    files["projects/2020-002.md"] = "+++\ntitle = \"未报告项目\"\nyear = 2020\ndepartment = \"health\"\n+++\n";
    files["projects/2020-003.md"] = "+++\ntitle = \"已完成项目\"\nyear = 2020\ndepartment = \"health\"\n+++\n";
    files["reports/2020-003/2020-12.md"] =
        "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-12-31\ndate = 2020-12-31\ncompletion = 100\n+++\n";
    SiteFiles site = render(files);
    CHECK(page_contains(site, home, "<li class=\"status-no-report\"><a href=\"projects/2020-002/\"> 未报告项目</a>"));
    CHECK(page_contains(site, home, "<li class=\"status-complete\"><a href=\"projects/2020-003/\"> 已完成项目</a>"));
    CHECK(page_contains(site, home, "complete=1 in_progress=1 not_started=0 no_report=1"));
}

TEST_CASE("render: sample data is marked on every page it reaches", "[render]") {
    Files files = basic_site();
    files["departments/health.toml"] = "name = \"示例卫健委\"\nsample_data = true\n";
    files["projects/2020-002.md"] = "+++\ntitle = \"示例项目\"\nyear = 2020\ndepartment = \"health\"\n+++\n";
    SiteFiles site = render(files);
    const std::string banner = "class=\"sample-banner\"";
    CHECK(page_contains(site, health, banner));
    CHECK(page_contains(site, "projects/2020-002/index.html", banner));
    CHECK(page_contains(site, home, banner));
    CHECK(page_lacks(site, project, banner));
    CHECK(page_lacks(site, report, banner));
}

TEST_CASE("render: an English site uses the English strings", "[render]") {
    Files files = basic_site();
    files["gongkai.toml"] = "title = \"Progress\"\nlanguage = \"en\"\nbase_url = \"/\"\npublisher = \"District\"\n";
    SiteFiles site = render(files);
    CHECK(page_contains(site, home, "<html lang=\"en\">"));
    CHECK(page_contains(site, home, "Item 001 "));
    CHECK(page_contains(site, report, "period=January–October 2020"));
    CHECK(page_contains(site, report, "signed=21 October 2020"));
    CHECK(page_contains(site, report, "张三, 李四 11110001, 11110002"));
    CHECK(page_contains(site, report, "On schedule"));
}

TEST_CASE("render: a parent goal's stated completion far from its parts' mean is a warning", "[render]") {
    Files files = basic_site();
    std::string& october = files["reports/2020-001/2020-10.md"];
    october.replace(october.find("\"1\" = 80"), 8, "\"1\" = 95");
    Diagnostics diags;
    check_roll_ups(library(files), diags);
    CHECK_FALSE(diags.has_errors());
    // "1" is on line 20 of the report; its parts, 70% and 90%, average 80%.
    CHECK(test::has_warning(diags, "reports/2020-001/2020-10.md", 20,
                            "goal_completion.1: states 95% but its parts average 80%"));

    Diagnostics clean;
    check_roll_ups(library(basic_site()), clean);
    CHECK(clean.items().empty());
}
