#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::commit_at;
using gongkai::test::never_says;
using gongkai::test::says;
using gongkai::test::squeezed;
using gongkai::test::file_exists;
using gongkai::test::Files;
using gongkai::test::GitRepo;
using gongkai::test::parse_fixture;
using gongkai::test::read_file;
using gongkai::test::run;
using gongkai::test::shell_quote;
using gongkai::test::source_themes_dir;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

// The schedule judgements as the default theme shows them, at commit times chosen for each test:
// "now" is the time of the commit built, never the wall clock.

namespace {

struct Built {
    int status = -1;
    std::string err;  // what gongkai said on stderr
};

// Builds ref of repo with the default theme into out.
Built build(const GitRepo& repo, const fs::path& out, const std::string& ref = "HEAD") {
    TempDir tmp;
    // In a group of its own: run() sends the group's stderr to its stdout.
    std::string command = "{ " + shell_quote(GONGKAI_TEST_BINARY) + " build --repo " + shell_quote(repo.dir()) +
                          " --ref " + shell_quote(ref) + " --out " + shell_quote(out.string()) + " --theme-dir " +
                          shell_quote(source_themes_dir()) + " 2>" + shell_quote((tmp / "err").string()) + "; }";
    auto r = run(command);
    Built b{r.status, read_file(tmp / "err")};
    UNSCOPED_INFO("gongkai build --ref " << ref << " said:\n" << b.err << r.output);
    return b;
}

// The value of key in the JSON object of data/projects.json whose id is id, as JSON writes it.
std::string project_field(const fs::path& site, const std::string& id, const std::string& key) {
    std::string json = read_file(site / "data/projects.json");
    auto at = json.find("\"id\": \"" + id + "\"");
    if (at == std::string::npos) return "(no project " + id + ")";
    at = json.find("\"" + key + "\": ", at);
    if (at == std::string::npos) return "(no key " + key + ")";
    at += key.size() + 4;
    // The value runs to the comma or line end outside any string, array or object.
    std::size_t end = at;
    int depth = 0;
    bool in_string = false;
    for (; end < json.size(); ++end) {
        char c = json[end];
        if (in_string) {
            if (c == '\\')
                ++end;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (depth == 0 && (c == ',' || c == '\n')) {
            break;
        }
    }
    return squeezed(json.substr(at, end - at));
}

// The site's settings, with more settings (a [calendar]) if given, and two departments.
std::string site_toml(const std::string& more = "") {
    return R"(
-- gongkai.toml --
title = "示例区重点工作推进情况"
language = "zh-CN"
base_url = "https://example.org/progress/"
publisher = "示例区人民政府"
)" + more + R"(
-- departments/transport.toml --
name = "示例区交通委员会"
short_name = "区交通委"
-- departments/education.toml --
name = "示例区教育局"
short_name = "区教育局"
)";
}

// A project of 2020 and one report of it; number is the project's number and its id's tail.
std::string project(const std::string& number, const std::string& department, const std::string& title,
                    const std::string& more = "") {
    return "-- projects/2020-" + number + ".md --\n+++\ntitle = \"" + title + "\"\nyear = 2020\nnumber = \"" + number +
           "\"\ndepartment = \"" + department + "\"\n" + more + "+++\n" + title + "。\n";
}

std::string report(const std::string& number, const std::string& id, const std::string& start, const std::string& end,
                   const std::string& date, const std::string& figure) {
    return "-- reports/2020-" + number + "/" + id + ".md --\n+++\nperiod_start = " + start + "\nperiod_end = " + end +
           "\ndate = " + date + "\n" + figure + "\n+++\n## （一）目前进展情况\n\n按计划推进。\n";
}

}  // namespace

TEST_CASE("schedule: at the end of October a 2020 project is expected at 83.3%, and 80% is behind",
          "[integration][schedule]") {
    GitRepo repo;
    repo.write(parse_fixture(site_toml() + project("007", "transport", "完善慢行交通网络") +
                             report("007", "2020-10", "2020-01-01", "2020-10-31", "2020-11-02", "completion = 80") +
                             project("008", "transport", "建设公共停车场") +
                             report("008", "2020-10", "2020-01-01", "2020-10-31", "2020-11-02", "completion = 85")));
    commit_at(repo, "发布 1–10 月报告", "2020-11-05T12:00:00+08:00");
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(repo, site).status == 0);

    const std::string page = "projects/2020-007/index.html";
    CHECK(says(site, page, "截至 2020 年 10 月 31 日的序时进度：<strong>83.3%</strong>"));
    CHECK(says(site, page, "gk-judgement--behind\">滞后于序时进度</span>"));
    CHECK(says(site, page, "<td class=\"gk-table__numeric\" data-label=\"序时进度\">83.3%</td>"));
    CHECK(says(site, page, "2020 年 1–10 月完成率 80%（序时进度 83.3%）"));
    CHECK(says(site, "projects/2020-007/reports/2020-10/index.html", "序时进度：<strong>83.3%</strong>"));
    CHECK(says(site, "projects/2020-008/index.html", "gk-judgement--on-track\">符合序时进度</span>"));
    CHECK(never_says(site, "projects/2020-008/index.html", "滞后于序时进度</span>"));
    CHECK(says(site, "index.html", "<span class=\"gk-expected\">序时进度 83.3%</span>"));
    CHECK(project_field(site, "2020-007", "expected_progress") == "83.3");
    CHECK(project_field(site, "2020-007", "expected_at") == "\"2020-10-31\"");
    CHECK(project_field(site, "2020-007", "behind_schedule") == "true");
    CHECK(project_field(site, "2020-008", "behind_schedule") == "false");
}

TEST_CASE(
    "schedule: the same content is on schedule in July and behind at the end of October, counted per department and on "
    "the home page",
    "[integration][schedule]") {
    // 2020-007 reports 60% for the whole year: even progress is 50% on 1 July, 83.3% on 31 October.
    // 2020-008 is complete; 2020-012 reported 10% by the end of June and is behind either way.
    GitRepo repo;
    repo.write(parse_fixture(site_toml() + project("007", "transport", "完善慢行交通网络") +
                             report("007", "2020", "2020-01-01", "2020-12-31", "2020-06-30", "completion = 60") +
                             project("008", "transport", "建设公共停车场") +
                             report("008", "2020", "2020-01-01", "2020-12-31", "2020-06-30", "completion = 100") +
                             project("012", "education", "建设智慧校园") +
                             report("012", "2020-06", "2020-01-01", "2020-06-30", "2020-06-30", "completion = 10")));
    std::string july = commit_at(repo, "发布报告", "2020-07-01T10:00:00+08:00");
    std::string october = commit_at(repo, "无内容改动，重新发布", "2020-10-31T10:00:00+08:00");
    TempDir out;
    auto before = out / "july", after = out / "october";
    REQUIRE(build(repo, before, july).status == 0);
    REQUIRE(build(repo, after, october).status == 0);

    const std::string page = "projects/2020-007/index.html";
    CHECK(says(before, page, "截至 2020 年 7 月 1 日的序时进度：<strong>50%</strong>"));
    CHECK(says(before, page, "gk-judgement--on-track\">符合序时进度</span>"));
    CHECK(never_says(before, page, "gk-status-card--behind"));
    CHECK(says(after, page, "截至 2020 年 10 月 31 日的序时进度：<strong>83.3%</strong>"));
    CHECK(says(after, page, "gk-judgement--behind\">滞后于序时进度</span>"));
    CHECK(says(after, page, "gk-status-card gk-status-card--behind"));

    // The department of 2020-007 counts it only in October; the other department's stays at 1.
    CHECK(says(before, "departments/transport/index.html",
               "<div class=\"gk-stats__item\"> <dt>滞后项目</dt> <dd>0</dd>"));
    CHECK(says(after, "departments/transport/index.html",
               "<div class=\"gk-stats__item gk-stats__item--alert\"> <dt>滞后项目</dt> <dd>1</dd>"));
    CHECK(says(before, "departments/education/index.html", "<dt>滞后项目</dt> <dd>1</dd>"));
    CHECK(says(after, "departments/education/index.html", "<dt>滞后项目</dt> <dd>1</dd>"));
    CHECK(says(before, "departments/transport/completion.svg",
               "第 007 项 完善慢行交通网络 60%、第 008 项 建设公共停车场 100%</desc>"));
    CHECK(says(after, "departments/transport/completion.svg",
               "第 007 项 完善慢行交通网络 60% 滞后、第 008 项 建设公共停车场 100%</desc>"));

    // The home page: the count, the departments table and the status chart's table.
    CHECK(says(before, "index.html", "<dt>滞后项目</dt> <dd>1</dd>"));
    CHECK(says(after, "index.html", "<dt>滞后项目</dt> <dd>2</dd>"));
    CHECK(says(before, "index.html", "<td class=\"gk-table__numeric\" data-label=\"滞后项目\">0</td>"));
    CHECK(says(after, "index.html",
               "<td class=\"gk-table__numeric\" data-label=\"滞后项目\"><strong class=\"gk-count "
               "gk-count--alert\">1</strong></td>"));
    CHECK(says(before, "index.html", "<th scope=\"row\">滞后于序时进度</th> <td class=\"gk-table__numeric\">1</td>"));
    CHECK(says(after, "index.html", "<th scope=\"row\">滞后于序时进度</th> <td class=\"gk-table__numeric\">2</td>"));
    CHECK(says(after, "charts/status.svg", "滞后于序时进度 2"));

    CHECK(project_field(before, "2020-007", "behind_schedule") == "false");
    CHECK(project_field(after, "2020-007", "behind_schedule") == "true");
    CHECK(project_field(before, "2020-007", "expected_at") == "\"2020-07-01\"");
}

TEST_CASE("schedule: a project's milestones set the expected progress, linear between them",
          "[integration][schedule]") {
    // By 15 May: 24.8% by the plan (10% on 31 March, 40% on 30 June), 37.2% by even progress.
    const std::string milestones =
        "\n[[milestones]]\ndate = 2020-03-31\nexpected = 10\n\n"
        "[[milestones]]\ndate = 2020-06-30\nexpected = 40\n";
    GitRepo repo;
    repo.write(parse_fixture(site_toml() + project("012", "education", "建设智慧校园", milestones) +
                             report("012", "2020-05", "2020-01-01", "2020-05-15", "2020-05-20", "completion = 30") +
                             project("013", "education", "建设智慧图书馆") +
                             report("013", "2020-05", "2020-01-01", "2020-05-15", "2020-05-20", "completion = 30")));
    commit_at(repo, "发布报告", "2020-06-01T09:00:00+08:00");
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(repo, site).status == 0);

    const std::string page = "projects/2020-012/index.html";
    CHECK(says(site, page, "<h2 id=\"gk-milestones\">计划节点</h2>"));
    CHECK(says(site, page,
               "<tr> <th scope=\"row\">2020 年 3 月 31 日</th> <td class=\"gk-table__numeric\">10%</td> </tr>"));
    CHECK(says(site, page,
               "<tr> <th scope=\"row\">2020 年 6 月 30 日</th> <td class=\"gk-table__numeric\">40%</td> </tr>"));
    CHECK(says(site, page, "截至 2020 年 5 月 15 日的序时进度：<strong>24.8%</strong>"));
    CHECK(says(site, page, "gk-judgement--on-track\">符合序时进度</span>"));
    CHECK(says(site, page, "2020 年 1 月 1 日 至 2020 年 5 月 15 日完成率 30%（序时进度 24.8%）"));
    CHECK(says(site, "projects/2020-012/reports/2020-05/index.html", "序时进度：<strong>24.8%</strong>"));
    // The expected line bends at each milestone: start, 31 March, 30 June, end.
    CHECK(says(
        site, "projects/2020-012/progress.svg",
        "<polyline class=\"gk-expected\" fill=\"none\" stroke=\"#505a5f\" stroke-width=\"2\" stroke-dasharray=\"6 4\" "
        "points=\"52,260 193.22,238.4 334.45,173.6 620,44\"/>"));
    CHECK(project_field(site, "2020-012", "expected_progress") == "24.8");
    CHECK(project_field(site, "2020-012", "milestones") ==
          "[ { \"date\": \"2020-03-31\", \"expected\": 10 }, { \"date\": \"2020-06-30\", \"expected\": 40 } ]");

    // The same report without milestones is measured against even progress, and is behind.
    CHECK(says(site, "projects/2020-013/index.html", "截至 2020 年 5 月 15 日的序时进度：<strong>37.2%</strong>"));
    CHECK(says(site, "projects/2020-013/index.html", "gk-judgement--behind\">滞后于序时进度</span>"));
    CHECK(never_says(site, "projects/2020-013/index.html", "计划节点"));
    CHECK(project_field(site, "2020-013", "milestones") == "[]");
}

namespace {

// A monthly calendar, due by the 25th, and a project running from September with September's
// report in.
Files calendar_site() {
    return parse_fixture(site_toml("\n[calendar]\nfrequency = \"monthly\"\ndue_day = 25\n") +
                         project("030", "transport", "改造老旧小区", "start = 2020-09-01\n") +
                         report("030", "2020-09", "2020-09-01", "2020-09-30", "2020-10-10", "completion = 30") +
                         project("031", "education", "新建幼儿园", "start = 2020-11-01\n"));
}

const std::string october_missing = "<li><strong>2020 年 10 月</strong> — 应于 2020 年 11 月 25 日前报送</li>";

}  // namespace

TEST_CASE("schedule: before its due day a period's report is not late, after it flagged and listed",
          "[integration][schedule]") {
    GitRepo repo;
    repo.write(calendar_site());
    std::string before_due = commit_at(repo, "发布 9 月报告", "2020-11-20T10:00:00+08:00");
    std::string past_due = commit_at(repo, "无内容改动", "2020-11-26T09:00:00+08:00");
    repo.write(parse_fixture(report("030", "2020-10", "2020-10-01", "2020-10-31", "2020-11-27", "completion = 45")));
    std::string reported = commit_at(repo, "补报 10 月报告", "2020-11-27T09:00:00+08:00");
    TempDir out;
    auto early = out / "early", late = out / "late", fixed = out / "fixed";
    REQUIRE(build(repo, early, before_due).status == 0);
    REQUIRE(build(repo, late, past_due).status == 0);
    REQUIRE(build(repo, fixed, reported).status == 0);

    const std::string page = "projects/2020-030/index.html";
    CHECK(never_says(early, page, "gk-notice--late"));
    CHECK(never_says(early, page, "应于"));
    CHECK(says(early, "index.html", "<dt>逾期未报项目</dt> <dd>0</dd>"));
    CHECK(project_field(early, "2020-030", "late_report") == "false");

    CHECK(says(late, page, "<h2 id=\"gk-missing\" class=\"gk-notice__heading\">逾期未报</h2>"));
    CHECK(says(late, page, october_missing));
    CHECK(never_says(late, page, "<strong>2020 年 9 月</strong>"));
    CHECK(says(late, page, "<dt>逾期未报期数</dt> <dd><a href=\"#gk-missing\">1</a></dd>"));
    CHECK(says(late, "index.html", "<span class=\"gk-tag gk-tag--late\">报告逾期</span>"));
    CHECK(says(late, "index.html",
               "<div class=\"gk-stats__item gk-stats__item--alert\"> <dt>逾期未报项目</dt> <dd>1</dd>"));
    CHECK(says(late, "index.html", "<th scope=\"row\">报告逾期</th> <td class=\"gk-table__numeric\">1</td>"));
    CHECK(says(late, "departments/transport/index.html", "<dt>逾期未报项目</dt> <dd>1</dd>"));
    CHECK(says(late, "departments/transport/index.html", "<span class=\"gk-tag gk-tag--late\">报告逾期</span>"));
    CHECK(says(late, "departments/education/index.html", "<dt>逾期未报项目</dt> <dd>0</dd>"));
    CHECK(project_field(late, "2020-030", "late_report") == "true");
    CHECK(project_field(late, "2020-030", "missing_periods") ==
          "[ { \"start\": \"2020-10-01\", \"end\": \"2020-10-31\", \"due\": \"2020-11-25\" } ]");
    // A project that started in November owes nothing yet.
    CHECK(project_field(late, "2020-031", "late_report") == "false");

    // October's report arrives: the flag is gone.
    CHECK(never_says(fixed, page, "gk-notice--late"));
    CHECK(says(fixed, "index.html", "<dt>逾期未报项目</dt> <dd>0</dd>"));
    CHECK(project_field(fixed, "2020-030", "late_report") == "false");
}

TEST_CASE("schedule: on its due day a report is not yet late", "[integration][schedule]") {
    GitRepo repo;
    repo.write(calendar_site());
    commit_at(repo, "发布 9 月报告", "2020-11-25T18:00:00+08:00");
    TempDir out;
    auto site = out / "site";
    REQUIRE(build(repo, site).status == 0);
    CHECK(never_says(site, "projects/2020-030/index.html", october_missing));
    CHECK(project_field(site, "2020-030", "late_report") == "false");
}

TEST_CASE("schedule: the build's day is the committer's local day, not UTC's", "[integration][schedule]") {
    GitRepo repo;
    repo.write(calendar_site());
    // 23:30 on 24 November in New York: already the 25th in UTC, still the 24th where it was committed.
    std::string evening = commit_at(repo, "发布", "2020-11-24T23:30:00-05:00");
    // 00:30 on 26 November in Shanghai: still the 25th in UTC, but past due where it was committed.
    std::string morning = commit_at(repo, "无内容改动", "2020-11-26T00:30:00+08:00");
    TempDir out;
    REQUIRE(build(repo, out / "evening", evening).status == 0);
    REQUIRE(build(repo, out / "morning", morning).status == 0);
    CHECK(project_field(out / "evening", "2020-030", "late_report") == "false");
    CHECK(project_field(out / "morning", "2020-030", "late_report") == "true");
    CHECK(says(out / "morning", "projects/2020-030/index.html", october_missing));
}

namespace {

std::string roll_up_site(const std::string& goal_completion) {
    const std::string goals =
        "\n[[goals]]\nid = \"1\"\ntitle = \"步道\"\n\n  [[goals.goals]]\n  id = \"1.1\"\n"
        "  title = \"滨江步道\"\n\n  [[goals.goals]]\n  id = \"1.2\"\n  title = \"社区步道\"\n";
    return site_toml() + project("007", "transport", "完善慢行交通网络", goals) +
           report("007", "2020-10", "2020-01-01", "2020-10-31", "2020-11-02",
                  "completion = 50\n\n[goal_completion]\n" + goal_completion);
}

struct Checked {
    int status = -1;
    std::string out, err;
};

Checked check(const GitRepo& repo) {
    TempDir tmp;
    auto r = run("{ " + shell_quote(GONGKAI_TEST_BINARY) + " check --repo " + shell_quote(repo.dir()) +
                 " --theme-dir " + shell_quote(source_themes_dir()) + " >" + shell_quote((tmp / "out").string()) +
                 " 2>" + shell_quote((tmp / "err").string()) + "; }");
    Checked c{r.status, read_file(tmp / "out"), read_file(tmp / "err")};
    UNSCOPED_INFO("gongkai check exited " << c.status << "; stdout:\n" << c.out << "stderr:\n" << c.err);
    return c;
}

}  // namespace

TEST_CASE("roll-up: check warns when a parent goal's figure disagrees with its parts, and still passes",
          "[integration][schedule]") {
    GitRepo repo;
    repo.write(parse_fixture(roll_up_site("\"1\" = 90\n\"1.1\" = 10\n\"1.2\" = 20\n")));
    repo.commit("发布");
    auto c = check(repo);
    CHECK(c.status == 0);
    CHECK(
        c.err.find("reports/2020-007/2020-10.md:8: warning: goal_completion.1: states 90% but its parts average 15%") !=
        std::string::npos);
    CHECK(c.out.find("warning") == std::string::npos);
}

TEST_CASE("roll-up: check is silent when a parent goal's figure is its parts' mean", "[integration][schedule]") {
    GitRepo repo;
    repo.write(parse_fixture(roll_up_site("\"1\" = 15\n\"1.1\" = 10\n\"1.2\" = 20\n")));
    repo.commit("发布");
    auto c = check(repo);
    CHECK(c.status == 0);
    CHECK(c.err.find("warning") == std::string::npos);
}
