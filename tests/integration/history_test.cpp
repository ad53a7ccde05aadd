#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "git_repo.h"
#include "site_files.h"
#include "utf8.h"

using namespace gongkai;
using gongkai::test::commit_at;
using gongkai::test::never_says;
using gongkai::test::says;
using gongkai::test::squeezed;
using gongkai::test::differences;
using gongkai::test::file_exists;
using gongkai::test::GitRepo;
using gongkai::test::parse_fixture;
using gongkai::test::read_file;
using gongkai::test::run;
using gongkai::test::shell_quote;
using gongkai::test::source_themes_dir;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

// The record from git: when each report was first published and every later amendment, as the
// report's page, the open data and the feeds tell it; and a shallow clone said to be one.

namespace {

struct Built {
    int status = -1;
    std::string err;  // what gongkai said on stderr
};

// Builds the repository in repo_dir with the default theme into out; more arguments after.
Built build(const std::string& repo_dir, const fs::path& out, const std::vector<std::string>& more = {},
            const std::string& env = "") {
    TempDir tmp;
    std::string command = "{ " + env + " " + shell_quote(GONGKAI_TEST_BINARY) + " build --repo " +
                          shell_quote(repo_dir) + " --out " + shell_quote(out.string()) + " --theme-dir " +
                          shell_quote(source_themes_dir());
    for (const auto& m : more) command += " " + shell_quote(m);
    // In a group of its own: run() sends the group's stderr to its stdout.
    command += " 2>" + shell_quote((tmp / "err").string()) + "; }";
    auto r = run(command);
    Built b{r.status, read_file(tmp / "err")};
    UNSCOPED_INFO("gongkai build exited " << b.status << "; stderr:\n" << b.err << r.output);
    return b;
}

// The JSON object of data/reports.json for one report, white space squeezed.
std::string report_json(const fs::path& site, const std::string& project, const std::string& id) {
    std::string json = read_file(site / "data/reports.json");
    auto at = json.find("{\n      \"id\": \"" + id + "\",\n      \"project\": \"" + project + "\"");
    if (at == std::string::npos) return "(no report " + project + "/" + id + " in data/reports.json)";
    auto end = json.find("\n    }", at);
    return squeezed(json.substr(at, end + 6 - at));
}

const std::string site_files = R"(
-- gongkai.toml --
title = "示例区重点工作推进情况"
language = "zh-CN"
base_url = "https://example.org/progress/"
publisher = "示例区人民政府"
-- departments/transport.toml --
name = "示例区交通委员会"
-- projects/2020-007.md --
+++
title = "完善慢行交通网络"
year = 2020
number = "007"
department = "transport"
+++
建设慢行步道。
-- reports/2020-007/2020-09.md --
+++
period_start = 2020-01-01
period_end = 2020-09-30
date = 2020-10-09
completion = 70
+++
前三季度推进情况。
)";

std::string october(const std::string& completion, const std::string& more = "",
                    const std::string& body = "1–10 月推进情况。\n") {
    return "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-10-31\ndate = 2020-11-02\ncompletion = " + completion +
           "\n" + more + "+++\n" + body;
}

// Three commits: September's report; October's (80%); October's amended to 85%.
struct Amended {
    GitRepo repo;
    std::string seeded, published, amended;
    explicit Amended(const std::string& folder = "") {
        for (const auto& [path, text] : parse_fixture(site_files)) repo.write(folder + path, text);
        seeded = commit_at(repo, "发布 9 月报告", "2020-10-21T12:00:00+08:00");
        repo.write(folder + "reports/2020-007/2020-10.md", october("80"));
        published = commit_at(repo, "发布 10 月报告", "2020-11-03T09:30:00+08:00");
        repo.write(folder + "reports/2020-007/2020-10.md", october("85"));
        amended = commit_at(repo, "更正 10 月完成率", "2020-11-05T16:45:00+08:00");
    }
};

const std::string october_page = "projects/2020-007/reports/2020-10/index.html";
const std::string september_page = "projects/2020-007/reports/2020-09/index.html";

}  // namespace

TEST_CASE("history: a report's page shows when it was published and the amendment of its completion",
          "[integration][history]") {
    Amended a;
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(a.repo.dir(), site).status == 0);

    CHECK(says(site, october_page,
               "<p class=\"gk-figure gk-figure--large\"><span class=\"gk-figure__value\">85%</span>"));
    CHECK(says(site, october_page,
               "<strong class=\"gk-history__what\">首次发布</strong> <span class=\"gk-history__date\">2020 年 11 月 3 "
               "日</span>"));
    CHECK(says(site, october_page, "<code>" + a.published.substr(0, 7) + "</code> 发布 10 月报告"));
    CHECK(says(
        site, october_page,
        "<strong class=\"gk-history__what\">修改</strong> <span class=\"gk-history__date\">2020 年 11 月 5 日</span>"));
    CHECK(says(site, october_page, "<code>" + a.amended.substr(0, 7) + "</code> 更正 10 月完成率"));
    CHECK(says(site, october_page,
               "<li class=\"gk-change gk-change--completion\"><span class=\"gk-change__label\">完成率</span>："
               "<del class=\"gk-change__before\">80%</del>"));
    CHECK(says(site, october_page, "<ins class=\"gk-change__after\">85%</ins></li>"));
    CHECK(never_says(site, october_page, "正文有改动"));
    CHECK(never_says(site, october_page, "发布后未作修改。"));
    CHECK(never_says(site, october_page, a.seeded.substr(0, 7)));

    // September's report was published with the first commit and never changed.
    CHECK(says(site, september_page, "<span class=\"gk-history__date\">2020 年 10 月 21 日</span>"));
    CHECK(says(site, september_page, "<code>" + a.seeded.substr(0, 7) + "</code> 发布 9 月报告"));
    CHECK(says(site, september_page, "<p>发布后未作修改。</p>"));

    // The project page: when it last changed.
    CHECK(says(site, "projects/2020-007/index.html", "<dt>最近更新</dt> <dd>2020 年 11 月 5 日</dd>"));
}

TEST_CASE("history: data/reports.json, reports.csv, the feed and the sitemap carry the same record",
          "[integration][history]") {
    Amended a;
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(a.repo.dir(), site).status == 0);

    std::string json = report_json(site, "2020-007", "2020-10");
    CHECK(json.find("\"completion\": 85,") != std::string::npos);
    CHECK(json.find("\"first_published\": { \"commit\": \"" + a.published +
                    "\", \"time\": \"2020-11-03T09:30:00+08:00\" }") != std::string::npos);
    CHECK(
        json.find(
            "\"amendments\": [ { \"commit\": \"" + a.amended +
            "\", \"time\": \"2020-11-05T16:45:00+08:00\", \"summary\": \"更正 10 月完成率\", \"changes\": [ { \"key\": "
            "\"completion\", \"before\": \"80\", \"after\": \"85\" } ], \"body_changed\": false } ]") !=
        std::string::npos);
    CHECK(json.find("\"history_truncated\": false") != std::string::npos);
    INFO(json);
    CHECK(report_json(site, "2020-007", "2020-09").find("\"amendments\": []") != std::string::npos);

    CHECK(says(site, "data/reports.csv",
               ",2020-11-03T09:30:00+08:00,1,https://example.org/progress/projects/2020-007/reports/2020-10/,"));
    CHECK(says(site, "data/projects.json", "\"last_updated\": \"2020-11-05T16:45:00+08:00\""));
    CHECK(says(site, "atom.xml", "<id>https://example.org/progress/projects/2020-007/reports/2020-10/</id>"));
    CHECK(says(site, "atom.xml",
               "<published>2020-11-03T09:30:00+08:00</published> <updated>2020-11-05T16:45:00+08:00</updated>"));
    CHECK(says(site, "atom.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">"));
    CHECK(says(site, "atom.xml", "<updated>2020-11-05T16:45:00+08:00</updated> <author>"));
    CHECK(says(
        site, "sitemap.xml",
        "<loc>https://example.org/progress/projects/2020-007/reports/2020-10/</loc> <lastmod>2020-11-05</lastmod>"));
    CHECK(says(
        site, "sitemap.xml",
        "<loc>https://example.org/progress/projects/2020-007/reports/2020-09/</loc> <lastmod>2020-10-21</lastmod>"));
}

TEST_CASE("history: changes to other keys and to the text are named", "[integration][history]") {
    Amended a;
    a.repo.write(
        "reports/2020-007/2020-10.md",
        october("85", "addressee = \"区府办\"\n\n[goal_completion]\n\"1\" = 60\n", "1–10 月推进情况（修订）。\n"));
    a.repo.write("projects/2020-007.md",
                 "+++\ntitle = \"完善慢行交通网络\"\nyear = 2020\nnumber = \"007\"\ndepartment = \"transport\"\n\n"
                 "[[goals]]\nid = \"1\"\ntitle = \"步道\"\n+++\n建设慢行步道。\n");
    std::string revised = commit_at(a.repo, "补充报送对象和分目标", "2020-11-06T10:00:00+08:00");
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(a.repo.dir(), site).status == 0);

    CHECK(says(site, october_page, "<code>" + revised.substr(0, 7) + "</code> 补充报送对象和分目标"));
    CHECK(says(site, october_page,
               "<li class=\"gk-change\"><code class=\"gk-change__key\">addressee</code>：<del "
               "class=\"gk-change__before\">（无）</del>"));
    CHECK(says(site, october_page, "<ins class=\"gk-change__after\">区府办</ins>"));
    CHECK(says(site, october_page, "<code class=\"gk-change__key\">goal_completion</code>"));
    CHECK(says(site, october_page, "<p class=\"gk-history__body\">正文有改动</p>"));
    // Two amendments now, oldest first.
    std::string page = squeezed(read_file(site / october_page));
    CHECK(page.find(a.amended.substr(0, 7)) < page.find(revised.substr(0, 7)));
    CHECK(says(site, "projects/2020-007/index.html", "<dt>最近更新</dt> <dd>2020 年 11 月 6 日</dd>"));
    CHECK(report_json(site, "2020-007", "2020-10")
              .find("{ \"key\": \"addressee\", \"before\": \"\", \"after\": \"区府办\" }") != std::string::npos);
}

TEST_CASE("history: a commit message in another encoding is shown in UTF-8", "[integration][history]") {
    // git keeps a message's bytes as written, and names their encoding in the commit when it is
    // set (i18n.commitEncoding). Latin-1's þ and ÿ are also the bytes the page templates' blanks
    // are marked with (see mark_blanks).
    Amended a;
    struct Message {
        std::string bytes, encoding, shown;
    };
    const std::string r = "\uFFFD";
    const std::vector<Message> messages = {
        {"\xbd\xf8\xd5\xb9\xb8\xfc\xd5\xfd", "GBK", "进展更正"},
        {"Sk\xfdrsla \xferi\xf0ja \xff", "ISO-8859-1", "Skýrsla þriðja ÿ"},
        {"Sk\xfdrsla \xfe", "x-no-such-encoding", "Sk" + r + "rsla " + r},  // shown as a browser would
    };
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        a.repo.write("reports/2020-007/2020-10.md", october(std::to_string(90 + i)));
        ids.push_back(commit_at(a.repo, messages[i].bytes, "2020-11-0" + std::to_string(6 + i) + "T10:00:00+08:00",
                                messages[i].encoding));
    }
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(a.repo.dir(), site).status == 0);
    for (std::size_t i = 0; i < messages.size(); ++i) {
        INFO(messages[i].encoding);
        CHECK(says(site, october_page, "<code>" + ids[i].substr(0, 7) + "</code> " + messages[i].shown + "</p>"));
        CHECK(report_json(site, "2020-007", "2020-10").find("\"summary\": \"" + messages[i].shown + "\"") !=
              std::string::npos);
    }
    for (const std::string& file : {october_page, std::string("data/reports.json"), std::string("atom.xml")}) {
        INFO(file);
        CHECK_FALSE(first_invalid_utf8(read_file(site / file)));
    }
}

TEST_CASE("history: an older commit is built with the history up to it", "[integration][history]") {
    Amended a;
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(a.repo.dir(), site, {"--ref", a.published}).status == 0);
    CHECK(says(site, october_page, "<span class=\"gk-figure__value\">80%</span>"));
    CHECK(says(site, october_page, "<code>" + a.published.substr(0, 7) + "</code> 发布 10 月报告"));
    CHECK(says(site, october_page, "<p>发布后未作修改。</p>"));
    CHECK(never_says(site, october_page, a.amended.substr(0, 7)));
}

TEST_CASE("history: content in a sub-folder of the repository has its record too", "[integration][history]") {
    Amended a("content/");
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(a.repo.dir(), site, {"--content-dir", "content"}).status == 0);
    CHECK(says(site, october_page, "<code>" + a.published.substr(0, 7) + "</code> 发布 10 月报告"));
    CHECK(says(site, october_page, "<ins class=\"gk-change__after\">85%</ins>"));
    CHECK(says(site, september_page, "<code>" + a.seeded.substr(0, 7) + "</code> 发布 9 月报告"));
}

TEST_CASE("history: a shallow clone is said to be one, on stderr and on the pages, and shows no dates from git",
          "[integration][history]") {
    Amended a;
    TempDir tmp;
    auto r = run("git clone -q --depth 1 " + shell_quote("file://" + a.repo.dir()) + " " +
                 shell_quote((tmp / "shallow").string()));
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto site = tmp / "site";
    Built b = build((tmp / "shallow").string(), site);
    REQUIRE(b.status == 0);
    CHECK(b.err.find("shallow") != std::string::npos);

    CHECK(says(site, october_page,
               "<p class=\"gk-notice gk-notice--info\">本站构建时只获得了不完整的 git "
               "历史（浅克隆），因此无法显示发布与修改日期。</p>"));
    CHECK(says(site, september_page, "不完整的 git 历史（浅克隆）"));
    for (const auto& page : {october_page, september_page}) {
        CHECK(never_says(site, page, "首次发布"));
        CHECK(never_says(site, page, "gk-history__date"));
        CHECK(never_says(site, page, "2020 年 11 月 5 日"));
        CHECK(never_says(site, page, "2020 年 10 月 21 日"));
        CHECK(never_says(site, page, a.amended.substr(0, 7)));
    }
    CHECK(never_says(site, "projects/2020-007/index.html", "最近更新"));

    // The open data says there is no record rather than a wrong one.
    std::string json = report_json(site, "2020-007", "2020-10");
    INFO(json);
    CHECK(json.find("\"first_published\": null") != std::string::npos);
    CHECK(json.find("\"amendments\": []") != std::string::npos);
    CHECK(json.find("\"history_truncated\": true") != std::string::npos);
    CHECK(says(site, "data/projects.json", "\"last_updated\": null"));
    CHECK(never_says(site, "sitemap.xml", "<lastmod>"));
    CHECK(never_says(site, "atom.xml", "2020-11-05T16:45:00+08:00"));
}

TEST_CASE("history: a full clone is not shallow and keeps the whole record", "[integration][history]") {
    Amended a;
    TempDir tmp;
    auto r = run("git clone -q " + shell_quote("file://" + a.repo.dir()) + " " + shell_quote((tmp / "full").string()));
    INFO(r.output);
    REQUIRE(r.status == 0);
    Built b = build((tmp / "full").string(), tmp / "site");
    REQUIRE(b.status == 0);
    CHECK(b.err.find("shallow") == std::string::npos);
    CHECK(says(tmp / "site", october_page, "<code>" + a.amended.substr(0, 7) + "</code> 更正 10 月完成率"));
}

TEST_CASE("history: the same commit gives the same bytes, from any clone, in any time zone", "[integration][history]") {
    Amended a;
    TempDir tmp;
    auto r = run("git clone -q " + shell_quote("file://" + a.repo.dir()) + " " + shell_quote((tmp / "clone").string()));
    INFO(r.output);
    REQUIRE(r.status == 0);
    REQUIRE(build(a.repo.dir(), tmp / "first", {}, "TZ=Asia/Shanghai LC_ALL=C").status == 0);
    REQUIRE(build(a.repo.dir(), tmp / "second", {}, "TZ=America/New_York").status == 0);
    REQUIRE(build((tmp / "clone").string(), tmp / "third", {}, "TZ=UTC").status == 0);
    auto twice = differences(tmp / "first", tmp / "second");
    auto cloned = differences(tmp / "first", tmp / "third");
    for (const auto& d : twice) UNSCOPED_INFO("two builds: " << d);
    for (const auto& d : cloned) UNSCOPED_INFO("a clone: " << d);
    CHECK(twice.empty());
    CHECK(cloned.empty());
}

TEST_CASE("history: dates are the committer's own day, times in the committer's own offset", "[integration][history]") {
    Amended a;
    a.repo.write("reports/2020-007/2020-10.md", october("86"));
    // 23:30 on 6 November in New York is already the 7th in UTC and in Shanghai.
    std::string late = commit_at(a.repo, "再次更正", "2020-11-06T23:30:00-05:00");
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(a.repo.dir(), site).status == 0);
    CHECK(says(site, october_page,
               "<strong class=\"gk-history__what\">修改</strong> <span class=\"gk-history__date\">2020 年 11 月 6 "
               "日</span></p> "
               "<p class=\"gk-history__commit\"><span class=\"gk-secondary\">提交</span> <code>" +
                   late.substr(0, 7) + "</code>"));
    CHECK(report_json(site, "2020-007", "2020-10").find("\"time\": \"2020-11-06T23:30:00-05:00\"") !=
          std::string::npos);
    CHECK(says(site, "atom.xml", "<updated>2020-11-06T23:30:00-05:00</updated>"));
    CHECK(says(
        site, "sitemap.xml",
        "<loc>https://example.org/progress/projects/2020-007/reports/2020-10/</loc> <lastmod>2020-11-06</lastmod>"));
}
