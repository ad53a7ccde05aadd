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
using gongkai::test::source_themes_dir;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

namespace {

const std::string project = "projects/2020-001/index.html";
const std::string report = "projects/2020-001/reports/2020-10/index.html";

// A report whose body and title try to inject HTML and Mustache.
Files hostile_site() {
    Files files = basic_site();
    files["reports/2020-001/2020-10.md"] = R"md(+++
title = "<script>alert(0)</script> {{site.title}} & {{{t.date}}}"
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-10-21
completion = 90

[[contacts]]
name = "<b>宗宏</b>"
phone = "\"onmouseover=alert(1)"
+++
正文 <script>alert(1)</script> 继续

<img src=x onerror="alert(2)">

<a href="#" onclick="alert(3)">点击</a> [链接](javascript:alert(4))

模板语法 {{site.title}} 与 {{> head}} 和 {{#report}}x{{/report}} 照原样显示。
)md";
    return files;
}

fs::path build(const GitRepo& repo, const TempDir& out, const std::string& themes) {
    auto r = gongkai_cli({"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", themes});
    INFO(r.output);
    REQUIRE(r.status == 0);
    return out / "site";
}

}  // namespace

TEST_CASE("safety: raw HTML in a report never reaches the page", "[integration][safety]") {
    GitRepo repo;
    repo.write(hostile_site());
    repo.commit("Hostile report");
    TempDir out;
    auto site = build(repo, out, fixture_themes_dir());
    for (const auto& page : {report, project}) {
        CHECK(file_contains(site, page, "正文"));
        CHECK(file_lacks(site, page, "<script"));
        CHECK(file_lacks(site, page, "onerror"));
        CHECK(file_lacks(site, page, "onclick"));
        CHECK(file_lacks(site, page, "<img"));
        CHECK(file_lacks(site, page, "href=\"javascript:"));
    }
}

TEST_CASE("safety: front matter values are escaped", "[integration][safety]") {
    GitRepo repo;
    repo.write(hostile_site());
    repo.commit("Hostile report");
    TempDir out;
    auto site = build(repo, out, fixture_themes_dir());
    CHECK(file_contains(site, report, "<h1>&lt;script&gt;alert(0)&lt;/script&gt;"));
    CHECK(file_contains(site, report, "&lt;b&gt;宗宏&lt;/b&gt;"));
    CHECK(file_contains(site, report, "&quot;onmouseover=alert(1)"));
    CHECK(file_lacks(site, report, "<b>宗宏</b>"));
    CHECK(file_lacks(site, report, "\"onmouseover"));
}

TEST_CASE("safety: Mustache tags in content are printed literally", "[integration][safety]") {
    GitRepo repo;
    repo.write(hostile_site());
    repo.commit("Hostile report");
    TempDir out;
    auto site = build(repo, out, fixture_themes_dir());
    CHECK(file_contains(site, report,
                        "模板语法 {{site.title}} 与 {{&gt; head}} 和 {{#report}}x{{/report}} 照原样显示。"));
    CHECK(file_contains(site, report,
                        "<h1>&lt;script&gt;alert(0)&lt;/script&gt; {{site.title}} &amp; {{{t.date}}}</h1>"));
    // The site's title is where the theme puts it, not where the content wrote the tag.
    CHECK(file_lacks(site, report, "模板语法 测试区"));
}

TEST_CASE("safety: the default theme escapes the same content", "[integration][safety][default-theme]") {
    GitRepo repo;
    repo.write(hostile_site());
    repo.commit("Hostile report");
    TempDir out;
    auto site = build(repo, out, source_themes_dir());
    for (const auto& page : {report, project, std::string("index.html")}) {
        CHECK(file_lacks(site, page, "<script"));
        CHECK(file_lacks(site, page, "onerror"));
        CHECK(file_lacks(site, page, "<b>宗宏</b>"));
    }
    CHECK(file_contains(site, report, "{{site.title}}"));
}
