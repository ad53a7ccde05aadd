#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::commit_at;
using gongkai::test::never_says;
using gongkai::test::says;
using gongkai::test::differences;
using gongkai::test::file_exists;
using gongkai::test::GitRepo;
using gongkai::test::list_files;
using gongkai::test::parse_fixture;
using gongkai::test::read_file;
using gongkai::test::run;
using gongkai::test::shell_quote;
using gongkai::test::source_themes_dir;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

// The open data, the feeds and the sitemap of a built site, and the links that lead readers to
// them. tests/scripts/validate_site.py (a CTest of its own) parses the same files as JSON and
// XML and validates the JSON against the published schemas.

namespace {

// Builds HEAD of repo with the default theme into out, with more arguments and an environment.
bool build(const GitRepo& repo, const fs::path& out, const std::vector<std::string>& more = {},
           const std::string& env = "") {
    std::string command = "cd / && " + env + " " + shell_quote(GONGKAI_TEST_BINARY) + " build --repo " +
                          shell_quote(repo.dir()) + " --out " + shell_quote(out.string()) + " --theme-dir " +
                          shell_quote(source_themes_dir());
    for (const auto& m : more) command += " " + shell_quote(m);
    auto r = run(command);
    if (r.status == 0) return true;
    UNSCOPED_INFO("gongkai build exited " << r.status << ":\n" << r.output);
    return false;
}

// Every text between open and close in s, in order.
std::vector<std::string> all_between(const std::string& s, const std::string& open, const std::string& close) {
    std::vector<std::string> out;
    for (auto at = s.find(open); at != std::string::npos; at = s.find(open, at)) {
        at += open.size();
        auto end = s.find(close, at);
        if (end == std::string::npos) break;
        out.push_back(s.substr(at, end - at));
        at = end;
    }
    return out;
}

const std::string base = "https://example.org/progress/";

const std::string fixture = R"(
-- gongkai.toml --
title = "示例区重点工作推进情况"
language = "zh-CN"
base_url = "https://example.org/progress/"
publisher = "示例区人民政府"
programme = "区政府重点工作"
-- departments/transport.toml --
name = "示例区交通委员会"
-- departments/education.toml --
name = "示例区教育局"
-- departments/culture.toml --
name = "示例区文化旅游局"
-- projects/2020-007.md --
+++
title = "完善慢行交通网络 & <步道>"
year = 2020
number = "007"
department = "transport"
co_departments = ["education"]
+++
建设慢行步道。
-- projects/2020-012.md --
+++
title = "建设智慧校园"
year = 2020
number = "012"
department = "education"
+++
推进校园信息化。
-- reports/2020-007/2020-06.md --
+++
period_start = 2020-01-01
period_end = 2020-06-30
date = 2020-07-02
completion = 45
+++
上半年推进情况。
-- reports/2020-007/2020-10.md --
+++
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-11-02
completion = 80

[[contacts]]
name = "张三"
phone = "=1+1"
+++
## （一）目前进展情况

1–10 月推进情况。
-- reports/2020-012/2020-10.md --
+++
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-11-03
on_schedule = true
+++
1–10 月推进情况。
)";

struct Site {
    GitRepo repo;
    TempDir out;
    fs::path dir;
    std::string commit;
    Site() {
        repo.write(parse_fixture(fixture));
        commit = commit_at(repo, "发布报告", "2020-11-05T12:00:00+08:00");
        dir = out / "site";
    }
};

const std::vector<std::string> report_urls = {
    base + "projects/2020-007/reports/2020-06/",
    base + "projects/2020-007/reports/2020-10/",
    base + "projects/2020-012/reports/2020-10/",
};

}  // namespace

TEST_CASE("open data: JSON, CSV, schemas and feeds are published and linked from the pages",
          "[integration][open-data]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    for (const char* f :
         {"data/projects.json", "data/reports.json", "data/projects.csv", "data/reports.csv",
          "data/projects.schema.json", "data/reports.schema.json", "atom.xml", "sitemap.xml", "robots.txt",
          "departments/transport/atom.xml", "departments/education/atom.xml", "departments/culture/atom.xml"})
        CHECK(file_exists(s.dir, f));
    // Every page's footer, with its own way to the root.
    for (const auto& [page, root] : std::vector<std::pair<std::string, std::string>>{
             {"index.html", ""},
             {"departments/transport/index.html", "../../"},
             {"projects/2020-007/index.html", "../../"},
             {"projects/2020-007/reports/2020-10/index.html", "../../../../"}}) {
        CHECK(says(s.dir, page,
                   "<a href=\"" + root + "data/projects.json\" type=\"application/json\">全部项目（JSON）</a>"));
        CHECK(says(s.dir, page, "<a href=\"" + root + "data/reports.csv\" type=\"text/csv\">全部报告（CSV）</a>"));
        CHECK(says(s.dir, page, "<a href=\"" + root + "data/reports.schema.json\" type=\"application/schema+json\">"));
        CHECK(says(s.dir, page, "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"" + root + "atom.xml\""));
    }
    CHECK(says(s.dir, "departments/transport/index.html",
               "<a class=\"gk-feed\" href=\"../../departments/transport/atom.xml\" "
               "type=\"application/atom+xml\">订阅本部门报告（Atom）</a>"));
    CHECK(says(s.dir, "departments/transport/index.html",
               "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"../../departments/transport/atom.xml\""));
}

TEST_CASE("open data: projects.json and reports.json state the site's figures and name their schemas",
          "[integration][open-data]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    CHECK(says(s.dir, "data/projects.json", "{ \"$schema\": \"" + base + "data/projects.schema.json\","));
    CHECK(says(s.dir, "data/reports.json", "{ \"$schema\": \"" + base + "data/reports.schema.json\","));
    CHECK(says(s.dir, "data/projects.json", "\"as_of\": \"2020-11-05\""));
    CHECK(says(s.dir, "data/projects.schema.json",
               "\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"$id\": \"" + base +
                   "data/projects.schema.json\""));
    CHECK(says(s.dir, "data/reports.schema.json", "\"$id\": \"" + base + "data/reports.schema.json\""));
    // Text that would be markup is escaped, so the JSON stays inert inside a page.
    CHECK(says(s.dir, "data/projects.json", "\"title\": \"完善慢行交通网络 \\u0026 \\u003c步道\\u003e\""));
    CHECK(says(s.dir, "data/projects.json",
               "\"id\": \"2020-007\", \"url\": \"" + base + "projects/2020-007/\", \"number\": \"007\""));
    CHECK(
        says(s.dir, "data/projects.json",
             "\"latest_report\": \"2020-10\", \"completion\": 80, \"on_schedule\": null, \"expected_progress\": 83.3, "
             "\"expected_at\": \"2020-10-31\", \"behind_schedule\": true"));
    CHECK(says(
        s.dir, "data/projects.json",
        "\"latest_report\": \"2020-10\", \"completion\": null, \"on_schedule\": true, \"expected_progress\": 83.3"));
    CHECK(says(s.dir, "data/reports.json", "\"url\": \"" + base + "projects/2020-007/reports/2020-10/\""));
    CHECK(says(s.dir, "data/reports.json", "\"sections\": [ { \"id\": \""));
    CHECK(says(s.dir, "data/reports.json", "\"title\": \"（一）目前进展情况\" } ]"));
}

TEST_CASE("open data: CSV files start with a byte-order mark, keep Chinese as UTF-8 and defuse formulas",
          "[integration][open-data]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    for (const char* f : {"data/projects.csv", "data/reports.csv"}) {
        INFO(f);
        std::string csv = read_file(s.dir / f);
        CHECK(csv.starts_with("\xEF\xBB\xBF"));
        CHECK(csv.find("\r\n") != std::string::npos);
        CHECK(csv.find("\n") == csv.find("\r\n") + 1);
    }
    CHECK(
        read_file(s.dir / "data/projects.csv")
            .starts_with("\xEF\xBB\xBFid,number,title,year,department,department_name,completion,expected_progress,"));
    CHECK(says(s.dir, "data/projects.csv",
               "2020-007,007,完善慢行交通网络 & <步道>,2020,transport,示例区交通委员会,80,83.3,true,"));
    CHECK(says(s.dir, "data/reports.csv", ",张三,'=1+1,"));
}

TEST_CASE("feeds: atom.xml lists every report by its absolute permanent URL", "[integration][open-data]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    const std::string feed = read_file(s.dir / "atom.xml");
    CHECK(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    CHECK(says(s.dir, "atom.xml", "<id>" + base + "atom.xml</id>"));
    CHECK(says(s.dir, "atom.xml", "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + base + "atom.xml\"/>"));
    CHECK(says(s.dir, "atom.xml", "<link rel=\"alternate\" type=\"text/html\" href=\"" + base + "\"/>"));
    CHECK(says(s.dir, "atom.xml", "<title type=\"text\">示例区重点工作推进情况</title>"));
    auto ids = all_between(feed, "<entry>\n    <id>", "</id>");
    CHECK(std::set<std::string>(ids.begin(), ids.end()) ==
          std::set<std::string>(report_urls.begin(), report_urls.end()));
    for (const auto& url : report_urls)
        CHECK(says(s.dir, "atom.xml", "<link rel=\"alternate\" type=\"text/html\" href=\"" + url + "\"/>"));
    // Titles are text: escaped once.
    CHECK(says(s.dir, "atom.xml", "<title type=\"text\">完善慢行交通网络 &amp; &lt;步道&gt; 2020 年 1–10 月</title>"));
    CHECK(says(s.dir, "atom.xml", "<summary type=\"text\">2020 年 1–10 月 · 完成率：80%</summary>"));
    CHECK(says(s.dir, "atom.xml", "<published>2020-11-05T12:00:00+08:00</published>"));
}

TEST_CASE("feeds: a department's feed holds the reports of the projects it leads, and an empty one is still a feed",
          "[integration][open-data]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    const std::string transport = "departments/transport/atom.xml";
    CHECK(says(s.dir, transport, "<id>" + base + transport + "</id>"));
    CHECK(says(s.dir, transport,
               "<link rel=\"alternate\" type=\"text/html\" href=\"" + base + "departments/transport/\"/>"));
    CHECK(says(s.dir, transport, "<title type=\"text\">示例区重点工作推进情况 — 示例区交通委员会</title>"));
    CHECK(says(s.dir, transport, "<id>" + report_urls[0] + "</id>"));
    CHECK(says(s.dir, transport, "<id>" + report_urls[1] + "</id>"));
    CHECK(never_says(s.dir, transport, "2020-012"));
    CHECK(says(s.dir, "departments/education/atom.xml", "<id>" + report_urls[2] + "</id>"));
    CHECK(never_says(s.dir, "departments/education/atom.xml", "2020-007"));
    // No reports: the commit's time is the feed's.
    CHECK(says(s.dir, "departments/culture/atom.xml", "<updated>2020-11-05T12:00:00+08:00</updated>"));
    CHECK(never_says(s.dir, "departments/culture/atom.xml", "<entry>"));
}

TEST_CASE("sitemap: every page by its absolute URL, and every URL a page of the site", "[integration][open-data]") {
    Site s;
    // A page the content publishes as it is, among its static files.
    s.repo.write("static/guides/how-to-read.html", "<!doctype html><title>如何阅读</title>\n");
    commit_at(s.repo, "添加阅读指南", "2020-11-05T13:00:00+08:00");
    REQUIRE(build(s.repo, s.dir));
    const std::string sitemap = read_file(s.dir / "sitemap.xml");
    CHECK(
        sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    std::set<std::string> listed;
    for (const auto& loc : all_between(sitemap, "<loc>", "</loc>")) {
        INFO("the sitemap lists " << loc);
        REQUIRE(loc.starts_with(base));
        std::string path = loc.substr(base.size());
        if (path.empty() || path.ends_with("/")) path += "index.html";
        CHECK(file_exists(s.dir, path));
        CHECK(listed.insert(path).second);
    }
    for (const auto& f : list_files(s.dir)) {
        if (!f.ends_with(".html") || f == "404.html") continue;
        INFO("the page " << f);
        CHECK(listed.contains(f));
    }
    // Home, the departments list and 3 departments, 2 projects, 3 reports, the static page.
    CHECK(listed.size() == 11);
    CHECK(says(s.dir, "sitemap.xml", "<loc>" + base + "guides/how-to-read.html</loc>"));
    CHECK(says(s.dir, "sitemap.xml", "<loc>" + base + "</loc>"));
    CHECK(says(s.dir, "sitemap.xml", "<loc>" + base + "projects/2020-007/</loc> <lastmod>2020-11-05</lastmod>"));
    CHECK(never_says(s.dir, "sitemap.xml", "404"));
    CHECK(read_file(s.dir / "robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: " + base + "sitemap.xml\n");
}

TEST_CASE("open data: --base-url moves every absolute URL", "[integration][open-data]") {
    Site s;
    const std::string moved = "https://data.example.gov.cn/gongkai/";
    REQUIRE(build(s.repo, s.dir, {"--base-url", moved}));
    for (const char* f : {"data/projects.json", "data/reports.json", "data/projects.csv", "data/reports.csv",
                          "data/projects.schema.json", "data/reports.schema.json", "atom.xml",
                          "departments/transport/atom.xml", "sitemap.xml", "robots.txt", "index.html"}) {
        INFO(f);
        CHECK(never_says(s.dir, f, "example.org/progress"));
    }
    CHECK(says(s.dir, "data/projects.json", "\"$schema\": \"" + moved + "data/projects.schema.json\""));
    CHECK(says(s.dir, "atom.xml", "<id>" + moved + "projects/2020-007/reports/2020-10/</id>"));
    CHECK(says(s.dir, "sitemap.xml", "<loc>" + moved + "departments/culture/</loc>"));
    CHECK(says(s.dir, "robots.txt", "Sitemap: " + moved + "sitemap.xml"));
}

TEST_CASE("open data: the data, feeds and sitemap are the same bytes in every build of a commit",
          "[integration][open-data]") {
    Site s;
    REQUIRE(build(s.repo, s.out / "first", {}, "TZ=Asia/Shanghai"));
    REQUIRE(build(s.repo, s.out / "second", {}, "TZ=Pacific/Honolulu LC_ALL=C.UTF-8"));
    auto diff = differences(s.out / "first", s.out / "second");
    for (const auto& d : diff) UNSCOPED_INFO(d);
    CHECK(diff.empty());
    // Built again a day later from a new commit of the same content, only "now" may move.
    commit_at(s.repo, "无内容改动", "2020-11-06T12:00:00+08:00");
    REQUIRE(build(s.repo, s.out / "later"));
    CHECK(says(s.out / "later", "data/projects.json", "\"as_of\": \"2020-11-06\""));
    CHECK(read_file(s.out / "later/atom.xml") == read_file(s.out / "first/atom.xml"));
}

TEST_CASE("sitemap and feeds: a base URL without a host never yields relative URLs in them",
          "[integration][open-data]") {
    // The sitemap protocol wants absolute URLs and Atom absolute ids: with base_url = "/progress/"
    // gongkai must either say it cannot write them or leave them out, not write relative ones.
    GitRepo repo;
    auto files = parse_fixture(fixture);
    auto& config = files["gongkai.toml"];
    const std::string absolute = "base_url = \"https://example.org/progress/\"";
    config.replace(config.find(absolute), absolute.size(), "base_url = \"/progress/\"");
    repo.write(files);
    commit_at(repo, "发布报告", "2020-11-05T12:00:00+08:00");
    TempDir out;
    auto r = gongkai::test::gongkai_cli(
        {"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", source_themes_dir()});
    INFO(r.output);
    if (r.status != 0) {
        CHECK(r.output.find("base_url") != std::string::npos);
        return;
    }
    std::vector<std::string> relative;
    for (const char* f : {"sitemap.xml", "atom.xml", "departments/transport/atom.xml"}) {
        if (!fs::exists(out / "site" / f)) continue;
        std::string xml = read_file(out / "site" / f);
        for (const auto& [open, close] : std::vector<std::pair<std::string, std::string>>{
                 {"<loc>", "</loc>"}, {"<id>", "</id>"}, {"href=\"", "\""}})
            for (const auto& url : all_between(xml, open, close))
                if (!url.starts_with("https://") && !url.starts_with("http://"))
                    relative.push_back(std::string(f) + ": " + url);
    }
    for (const auto& u : relative) UNSCOPED_INFO(u);
    CHECK(relative.empty());
}
