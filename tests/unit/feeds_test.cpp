#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "feeds.h"
#include "open_data_fixture.h"

using namespace gongkai;
using namespace gongkai::test;

namespace {

const std::string& base = open_data_base;

// The zh-CN strings a feed uses, as the default theme has them.
Strings strings() {
    return Strings({{"period_months", "{year} 年 {from}–{to} 月"},
                    {"period_month", "{year} 年 {month} 月"},
                    {"period_dates", "{from} 至 {to}"},
                    {"date", "{year} 年 {month} 月 {day} 日"},
                    {"percent", "{value}%"},
                    {"completion", "完成率"},
                    {"colon", "："},
                    {"on_schedule_yes", "达到序时进度"},
                    {"on_schedule_no", "未达到序时进度"},
                    {"sample_data_title_prefix", "【示例】"}});
}

// The pages a build has written before the feeds, plus a stylesheet and the 404 page.
SiteFiles pages() {
    SiteFiles files;
    for (const char* path :
         {"index.html", "404.html", "assets/style.css", "departments/index.html", "departments/education/index.html",
          "departments/finance/index.html", "projects/2020-043/index.html", "projects/2020-050/index.html",
          "projects/2020-060/index.html", "projects/2020-043/reports/2020-06/index.html",
          "projects/2020-043/reports/2020-10/index.html", "projects/2020-050/reports/2020-q3/index.html", "print.html"})
        files.add(path, "<html></html>");
    return files;
}

std::map<std::string, std::string> build(const Library& lib, const Analysis& a) {
    SiteFiles files = pages();
    add_feeds(lib, a, strings(), base, files);
    return files.files();
}

std::size_t count(const std::string& s, const std::string& text) {
    std::size_t n = 0;
    for (std::size_t pos = s.find(text); pos != std::string::npos; pos = s.find(text, pos + 1)) ++n;
    return n;
}

// The report URLs of a feed's entries, in order.
std::vector<std::string> entry_ids(const std::string& feed) {
    std::vector<std::string> ids;
    for (std::size_t pos = feed.find("<entry>\n    <id>"); pos != std::string::npos;
         pos = feed.find("<entry>\n    <id>", pos + 1)) {
        std::size_t start = pos + 16;
        ids.push_back(feed.substr(start, feed.find("</id>", start) - start));
    }
    return ids;
}

const std::string r06 = "https://example.org/progress/projects/2020-043/reports/2020-06/";
const std::string r10 = "https://example.org/progress/projects/2020-043/reports/2020-10/";
const std::string rq3 = "https://example.org/progress/projects/2020-050/reports/2020-q3/";

}  // namespace

TEST_CASE("feeds: the site's feed names itself, the site and its newest change", "[feeds]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    // updated is the amendment of 2020-10, newer than every first publication.
    CHECK(files["atom.xml"].starts_with(R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>https://example.org/progress/atom.xml</id>
  <title type="text">长宁区重点工作推进情况</title>
  <link rel="self" type="application/atom+xml" href="https://example.org/progress/atom.xml"/>
  <link rel="alternate" type="text/html" href="https://example.org/progress/"/>
  <updated>2020-10-23T10:00:00+08:00</updated>
  <author>
    <name>长宁区人民政府</name>
  </author>
  <generator>gongkai</generator>
  <entry>
)"));
    CHECK(files["atom.xml"].ends_with("  </entry>\n</feed>\n"));
}

TEST_CASE("feeds: an entry links the report's permanent page and dates it from git", "[feeds]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    CHECK_THAT(files["atom.xml"], Catch::Contains(R"(  <entry>
    <id>https://example.org/progress/projects/2020-043/reports/2020-10/</id>
    <title type="text">长宁区教育局关于 1-10 月推进情况的反馈</title>
    <link rel="alternate" type="text/html" href="https://example.org/progress/projects/2020-043/reports/2020-10/"/>
    <published>2020-10-21T09:30:00+08:00</published>
    <updated>2020-10-23T10:00:00+08:00</updated>
    <author>
      <name>长宁区教育局</name>
    </author>
    <summary type="text">2020 年 1–10 月 · 完成率：90%</summary>
  </entry>
)"));
}

TEST_CASE("feeds: entries are newest first by first publication, else by report date", "[feeds]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    // 2020-10 published 21 Oct (git); 2020-q3 dated 15 Oct (no history); 2020-06 published 1 July (git),
    // although 2020-06's report date (28 June) is not what orders it.
    CHECK(entry_ids(files["atom.xml"]) == std::vector<std::string>{r10, rq3, r06});
    CHECK_THAT(files["atom.xml"], Catch::Contains(R"(    <published>2020-10-15T00:00:00Z</published>
    <updated>2020-10-15T00:00:00Z</updated>
)"));
}

TEST_CASE("feeds: titles are escaped text, defaulted from the project, and marked when fictional", "[feeds]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    for (const auto& path : {"atom.xml", "departments/education/atom.xml", "departments/finance/atom.xml"}) {
        INFO(path);
        CHECK(files[path].find("<script") == std::string::npos);
        CHECK(files[path].find("\"http://x\"") == std::string::npos);
    }
    // 2020-q3 has no title of its own, and its project's department is sample data.
    CHECK_THAT(files["atom.xml"],
               Catch::Contains("<title type=\"text\">【示例】预算 &lt;script&gt;alert(1)&lt;/script&gt; &amp; 公开 "
                               "2020 年 7–9 月</title>"));
    CHECK_THAT(files["atom.xml"], Catch::Contains("<summary type=\"text\">2020 年 7–9 月 · 未达到序时进度</summary>"));
    CHECK_THAT(files["atom.xml"],
               Catch::Contains("<title type=\"text\">=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</title>"));
    CHECK(count(files["atom.xml"], "【示例】") == 1);
}

TEST_CASE("feeds: a sample site marks its feed and every entry", "[feeds]") {
    Library lib = open_data_library();
    lib.config.sample_data = true;
    auto files = build(lib, open_data_analysis(lib));
    CHECK_THAT(files["atom.xml"], Catch::Contains("<title type=\"text\">【示例】长宁区重点工作推进情况</title>"));
    CHECK(count(files["atom.xml"], "<title type=\"text\">【示例】") == 4);
    CHECK_THAT(files["departments/education/atom.xml"],
               Catch::Contains("<title type=\"text\">【示例】长宁区重点工作推进情况 — 长宁区教育局</title>"));
}

TEST_CASE("feeds: control characters, which XML cannot carry, are dropped", "[feeds]") {
    Library lib = open_data_library();
    lib.reports[1].title = "bell\x07 and\x01 tab\tok";
    auto files = build(lib, open_data_analysis(lib));
    CHECK_THAT(files["atom.xml"], Catch::Contains("<title type=\"text\">bell and tab\tok</title>"));
}

TEST_CASE("feeds: each department's feed holds the reports of the projects it leads", "[feeds]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    const std::string& education = files["departments/education/atom.xml"];
    CHECK_THAT(education, Catch::Contains(R"(  <id>https://example.org/progress/departments/education/atom.xml</id>
  <title type="text">长宁区重点工作推进情况 — 长宁区教育局</title>
  <link rel="self" type="application/atom+xml" href="https://example.org/progress/departments/education/atom.xml"/>
  <link rel="alternate" type="text/html" href="https://example.org/progress/departments/education/"/>
  <updated>2020-10-23T10:00:00+08:00</updated>
)"));
    // education is co-responsible for nothing here; finance is co-responsible for 2020-043 but does not lead it.
    CHECK(entry_ids(education) == std::vector<std::string>{r10, r06});
    const std::string& finance = files["departments/finance/atom.xml"];
    CHECK(entry_ids(finance) == std::vector<std::string>{rq3});
    CHECK_THAT(finance,
               Catch::Contains("  <title type=\"text\">【示例】长宁区重点工作推进情况 — 长宁区财政局</title>\n"));
    CHECK_THAT(finance, Catch::Contains("  <updated>2020-10-15T00:00:00Z</updated>\n"));
    CHECK_THAT(finance, Catch::Contains("      <name>长宁区财政局</name>\n"));
}

TEST_CASE("feeds: a department without reports still has a valid feed, updated at the commit's time", "[feeds]") {
    Library lib = open_data_library();
    Department health;
    health.id = "health";
    health.name = "长宁区卫生健康委员会";
    lib.departments.push_back(health);
    auto files = build(lib, open_data_analysis(lib));
    const std::string& feed = files["departments/health/atom.xml"];
    CHECK(feed.find("<entry>") == std::string::npos);
    // The commit was made at 12:00 in Shanghai.
    CHECK_THAT(feed, Catch::Contains("  <updated>2020-11-01T04:00:00Z</updated>\n"));
    CHECK_THAT(feed, Catch::Contains("  <author>\n    <name>长宁区人民政府</name>\n  </author>\n"));
    CHECK(feed.ends_with("  <generator>gongkai</generator>\n</feed>\n"));
}

TEST_CASE("feeds: only the newest 50 reports, ties broken by path", "[feeds]") {
    Library lib = open_data_library();
    for (int i = 0; i < 60; ++i) {
        char id[8];
        std::snprintf(id, sizeof id, "r%02d", i);
        lib.reports.push_back(open_data_report("2020-060", id, {2020, 11, 1}, {2020, 11, 30}, {2020, 12, 1}));
    }
    Analysis a = open_data_analysis(lib);
    auto files = build(lib, a);
    auto ids = entry_ids(files["atom.xml"]);
    REQUIRE(ids.size() == 50);
    CHECK(ids.front() == "https://example.org/progress/projects/2020-060/reports/r00/");
    CHECK(ids.back() == "https://example.org/progress/projects/2020-060/reports/r49/");
    CHECK(files["atom.xml"].find("/r50/") == std::string::npos);
    CHECK(files["atom.xml"].find(r10) == std::string::npos);
    // Department feeds are capped the same way; finance, which leads none of them, keeps its one.
    CHECK(entry_ids(files["departments/finance/atom.xml"]) == std::vector<std::string>{rq3});
    CHECK(entry_ids(files["departments/education/atom.xml"]).size() == 50);
}

TEST_CASE("feeds: sitemap.xml lists every page by its absolute URL, with git's last change", "[feeds]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    CHECK(files["sitemap.xml"] == R"(<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>https://example.org/progress/</loc>
  </url>
  <url>
    <loc>https://example.org/progress/departments/</loc>
  </url>
  <url>
    <loc>https://example.org/progress/departments/education/</loc>
  </url>
  <url>
    <loc>https://example.org/progress/departments/finance/</loc>
  </url>
  <url>
    <loc>https://example.org/progress/print.html</loc>
  </url>
  <url>
    <loc>https://example.org/progress/projects/2020-043/</loc>
    <lastmod>2020-10-23</lastmod>
  </url>
  <url>
    <loc>https://example.org/progress/projects/2020-043/reports/2020-06/</loc>
    <lastmod>2020-07-01</lastmod>
  </url>
  <url>
    <loc>https://example.org/progress/projects/2020-043/reports/2020-10/</loc>
    <lastmod>2020-10-23</lastmod>
  </url>
  <url>
    <loc>https://example.org/progress/projects/2020-050/</loc>
  </url>
  <url>
    <loc>https://example.org/progress/projects/2020-050/reports/2020-q3/</loc>
  </url>
  <url>
    <loc>https://example.org/progress/projects/2020-060/</loc>
  </url>
</urlset>
)");
}

TEST_CASE("feeds: only a project's or a report's own page carries its last change", "[feeds]") {
    Library lib = open_data_library();
    SiteFiles files = pages();
    // Static pages of the content, beside and below a report's page, and pages that look like a
    // project's or a report's but name none of them.
    for (const char* path : {"projects/2020-043/reports/2020-06/extra/index.html", "projects/2020-043/notes.html",
                             "projects/2020-043/reports/2099-01/index.html", "projects/2099-999/index.html",
                             "projects/2020-043/reports/index.html"})
        files.add(path, "<html></html>");
    add_feeds(lib, open_data_analysis(lib), strings(), base, files);
    const std::string& sitemap = files.files().at("sitemap.xml");
    for (const char* address :
         {"projects/2020-043/reports/2020-06/extra/", "projects/2020-043/notes.html",
          "projects/2020-043/reports/2099-01/", "projects/2099-999/", "projects/2020-043/reports/"}) {
        INFO(address);
        CHECK_THAT(sitemap, Catch::Contains("<loc>" + base + address + "</loc>\n  </url>"));
    }
    CHECK_THAT(sitemap, Catch::Contains("<loc>" + base + "projects/2020-043/reports/2020-06/</loc>\n" +
                                        "    <lastmod>2020-07-01</lastmod>"));
    CHECK_THAT(sitemap, Catch::Contains("<loc>" + base + "projects/2020-043/</loc>\n" +
                                        "    <lastmod>2020-10-23</lastmod>"));
}

TEST_CASE("feeds: sitemap dates are the committer's local day", "[feeds]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    // 23:30 in New York on 30 June is already 1 July in UTC; the sitemap says 30 June.
    Revision late{std::string(40, 'f'), local_time({2020, 6, 30}, 23, 30, -240), -240, "late", {}, false};
    a.history.files["reports/2020-043/2020-06.md"] = FileHistory{late, {}, false};
    auto files = build(lib, a);
    CHECK_THAT(files["sitemap.xml"], Catch::Contains(R"(reports/2020-06/</loc>
    <lastmod>2020-06-30</lastmod>)"));
}

TEST_CASE("feeds: robots.txt allows everything and points at the sitemap", "[feeds]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    CHECK(files["robots.txt"] == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/progress/sitemap.xml\n");
}

TEST_CASE("feeds: only the feeds, the sitemap and robots.txt are added", "[feeds]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    std::vector<std::string> added;
    for (const auto& [path, bytes] : files)
        if (!pages().files().contains(path)) added.push_back(path);
    CHECK(added == std::vector<std::string>{"atom.xml", "departments/education/atom.xml",
                                            "departments/finance/atom.xml", "robots.txt", "sitemap.xml"});
}

TEST_CASE("feeds: the same content gives the same bytes", "[feeds]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    CHECK(build(lib, a) == build(lib, a));
}

TEST_CASE("feeds: a history entry without a publication falls back to the report date", "[feeds]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    a.history.files["reports/2020-050/2020-q3.md"] = FileHistory{};
    auto files = build(lib, a);
    CHECK_THAT(files["atom.xml"], Catch::Contains("    <published>2020-10-15T00:00:00Z</published>\n"));
    CHECK_THAT(files["sitemap.xml"], Catch::Contains("reports/2020-q3/</loc>\n  </url>"));
}
