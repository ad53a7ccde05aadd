#include <catch2/catch.hpp>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::CommandResult;
using gongkai::test::file_contains;
using gongkai::test::file_lacks;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::gongkai_cli;
using gongkai::test::source_themes_dir;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

namespace {

CommandResult build(const GitRepo& repo, const fs::path& out, const std::string& themes_dir) {
    return gongkai_cli({"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", themes_dir});
}

}  // namespace

TEST_CASE("theme: a template in the content's templates/ replaces the theme's", "[integration][theme]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.write(
        "templates/project.mustache",
        "<!DOCTYPE html><html><body><h1 class=\"own\">本区自定义：{{project.title}}</h1>{{> nav}}</body></html>\n");
    repo.write("templates/nav.mustache", "<nav class=\"own-nav\"><a href=\"{{root}}\">返回</a></nav>\n");
    repo.commit("Own project page and navigation");

    TempDir out;
    auto r = build(repo, out.path(), fixture_themes_dir());
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto site = out / "site";
    CHECK(
        file_contains(site, "projects/2020-001/index.html", "<h1 class=\"own\">本区自定义：推进教育优质均衡发展</h1>"));
    CHECK(file_lacks(site, "projects/2020-001/index.html", "class=\"kind-project\""));
    // A replaced partial reaches the theme's own pages too.
    CHECK(file_contains(site, "index.html", "<nav class=\"own-nav\"><a href=\"\">返回</a></nav>"));
    CHECK(file_contains(site, "projects/2020-001/index.html",
                        "<nav class=\"own-nav\"><a href=\"../../\">返回</a></nav>"));
    // Pages the content does not replace keep the theme's template.
    CHECK(file_contains(site, "departments/education/index.html", "class=\"kind-department\""));
}

TEST_CASE("theme: a project page's rows of reports show every report field its template asks for",
          "[integration][theme]") {
    // The default theme's rows show a few of a report's fields, and only those are made at once;
    // a theme that shows more gets them all, as a report's page has them.
    GitRepo repo;
    repo.write(basic_site());
    repo.write("templates/project.mustache",
               "<!DOCTYPE html><html><body><ul>\n{{#project}}"
               "{{#reports}}<li>{{period_label}}|{{addressee}}|{{signed_by}}|{{contact_names}}|"
               "{{#contacts}}[{{name}} {{phone}}]{{/contacts}}|{{#has_goal_completion}}goals:{{/has_goal_completion}}"
               "{{#goal_completion}}({{id}} {{title}}){{/goal_completion}}|{{project.title}}|{{department.name}}|"
               "{{#history}}{{#published}}published{{/published}}{{/history}}|{{title}}</li>\n"
               "{{/reports}}{{/project}}</ul></body></html>\n");
    repo.commit("Project page showing every field of each report");

    TempDir out;
    auto r = build(repo, out.path(), source_themes_dir());
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto site = out / "site";
    const std::string page = "projects/2020-001/index.html";
    CHECK(file_contains(site, page, "|区府办|测试区教育局|张三"));
    CHECK(file_contains(site, page, "[张三 11110001][李四 11110002]"));
    CHECK(file_contains(site, page, "goals:(1 标杆校建设)(1.1 信息化标杆校)(1.2 课程标杆校)(2 人才引进)"));
    CHECK(file_contains(site, page, "|推进教育优质均衡发展|测试区教育局|published|测试区教育局关于 1-10 月推进情况的反馈</li>"));
    // The first report has none of them but its project, department and record.
    CHECK(file_contains(site, page, "<li>2020 年 1–6 月||||||推进教育优质均衡发展|测试区教育局|published|"));
}

TEST_CASE("theme: a broken template in the content is a content error", "[integration][theme]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.write("templates/report.mustache", "{{#report}}<h1>{{title}}</h1>\n");
    repo.commit("Unclosed section");
    TempDir out;
    auto r = build(repo, out.path(), fixture_themes_dir());
    INFO(r.output);
    CHECK(r.status == 1);
    CHECK(r.output.find("templates/report.mustache") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "site"));
}

TEST_CASE("theme: a theme folder without the theme is reported", "[integration][theme]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir empty, out;
    auto r = build(repo, out.path(), empty.path().string());
    INFO(r.output);
    CHECK(r.status != 0);
    CHECK(r.output.find("--theme-dir") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "site"));
}

TEST_CASE("theme: the real default theme renders the basic site", "[integration][theme][default-theme]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    auto r = build(repo, out.path(), source_themes_dir());
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto site = out / "site";
    CHECK(file_contains(site, "index.html", "<html lang=\"zh-CN\">"));
    CHECK(file_contains(site, "index.html", "第 001 项"));
    CHECK(file_contains(site, "index.html", "87.5%"));
    CHECK(file_contains(site, "index.html", "href=\"projects/2020-001/\""));
    CHECK(file_contains(site, "projects/2020-001/index.html", "推进教育优质均衡发展"));
    CHECK(file_contains(site, "projects/2020-001/reports/2020-10/index.html", "2020 年 10 月 21 日"));
    CHECK(file_contains(site, "projects/2020-001/reports/2020-10/index.html", "张三、李四"));
    CHECK(file_contains(site, "projects/2020-001/reports/2020-10/index.html", "href=\"../../../../"));
    CHECK(file_contains(site, "departments/education/index.html", "测试区教育局"));
    CHECK(file_contains(site, "404.html", "href=\"/"));
    // Every page of the default theme names the site and links its style sheet.
    for (const auto& page : test::list_files(site)) {
        if (!page.ends_with(".html")) continue;
        CHECK(file_contains(site, page, "测试区重点工作推进情况"));
        CHECK(file_contains(site, page, "assets/"));
        CHECK(file_lacks(site, page, "{{"));
    }
}

TEST_CASE("theme: a static file at a page's path is a content error naming the file", "[integration][theme]") {
    GitRepo repo;
    repo.write(basic_site());
    // A page, data downloads made before and after the pages, a feed and the sitemap: all are
    // gongkai's to write. Names are compared without case, as the disks of macOS and Windows do.
    const std::string path = GENERATE(std::string("index.html"), std::string("data/reports.json"),
                                      std::string("data/reports.csv"), std::string("atom.xml"),
                                      std::string("departments/education/atom.xml"), std::string("sitemap.xml"),
                                      std::string("robots.txt"), std::string("Atom.xml"), std::string("Sitemap.xml"));
    repo.write("static/" + path, "<p>a hand-made file</p>\n");
    repo.commit("Static file in a page's place");
    TempDir out;
    auto r = build(repo, out.path(), fixture_themes_dir());
    INFO(r.output);
    // It is a mistake in the content, so the editor should see which file to rename or remove.
    CHECK(r.status == 1);
    CHECK(r.output.find("static/" + path) != std::string::npos);
    CHECK(r.output.find("would replace the page gongkai writes at " + path) != std::string::npos);
    CHECK_FALSE(fs::exists(out / "site"));
}
