#include <catch2/catch.hpp>

#include "commands/skeleton.h"
#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::gongkai_cli;

namespace fs = std::filesystem;

namespace {

bool says(const test::CommandResult& r, const std::string& text) {
    if (r.output.find(text) != std::string::npos) return true;
    UNSCOPED_INFO("the output does not say \"" << text << "\":\n" << r.output);
    return false;
}

bool holds(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) return true;
    UNSCOPED_INFO("the file does not hold \"" << part << "\":\n" << text);
    return false;
}

// `gongkai check --worktree` of the repository, which must pass for a file gongkai new wrote.
test::CommandResult check_worktree(const GitRepo& repo, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"check", "--worktree", "--repo", repo.dir(), "--theme-dir", fixture_themes_dir()};
    args.insert(args.end(), more.begin(), more.end());
    return gongkai_cli(args);
}

const char* previous_report = R"(+++
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-10-21
completion = 75
addressee = "区府办"
signed_by = "测试区教育局"

[goal_completion]
"1" = 80
"2" = 70

[[contacts]]
name = "王老师"
phone = "12345678"
+++
根据督查通知的要求，现将完成情况反馈如下：

## （一）目前进展情况

截至目前，项目有序推进。

### 1. 标杆校建设

#### 1.1 信息化标杆校

完成了招标。

```
## not a heading: inside a code block
```

## （二）存在的困难

资金不足。
)";

}  // namespace

TEST_CASE("new report: follows the previous report's sections, with the text left empty", "[integration][new]") {
    GitRepo repo;
    auto files = basic_site();
    files["reports/2020-001/2020-10.md"] = previous_report;
    repo.write(files);
    repo.commit("Seed");

    auto r = gongkai_cli({"new", "report", "2020-001", "2020-11"}, repo.path());
    INFO(r.output);
    REQUIRE(r.status == 0);
    fs::path written = repo.path() / "reports/2020-001/2020-11.md";
    CHECK(says(r, written.string()));
    std::string text = test::read_file(written);
    CHECK(holds(text, "period_start = 2020-01-01\nperiod_end = 2020-11-30\n"));  // 1–11 月, as the last one was
    CHECK(holds(text, "completion = 75"));
    CHECK(holds(text, "addressee = \"区府办\"\nsigned_by = \"测试区教育局\"\n"));
    CHECK(holds(text, "[goal_completion]"));
    CHECK(holds(text, "\"1\" = 80\n\"2\" = 70\n"));
    CHECK(holds(text, "[[contacts]]\nname = \"王老师\"\nphone = \"12345678\"\n"));
    CHECK(holds(text, "+++\n\n## （一）目前进展情况\n\n### 1. 标杆校建设\n\n#### 1.1 信息化标杆校\n\n## （二）存在的困难\n\n"));
    for (const char* gone : {"截至目前", "完成了招标", "资金不足", "not a heading", "根据督查通知"}) {
        INFO("the old text \"" << gone << "\" was carried over");
        CHECK(text.find(gone) == std::string::npos);
    }
    auto c = check_worktree(repo);
    INFO(c.output);
    CHECK(c.status == 0);
}

TEST_CASE("new report: a first report starts from the project's goals", "[integration][new]") {
    GitRepo repo;
    auto files = basic_site();
    files.erase("reports/2020-001/2020-06.md");
    for (auto it = files.begin(); it != files.end();) it = it->first.starts_with("reports/") ? files.erase(it) : ++it;
    repo.write(files);
    repo.commit("No reports yet");

    auto r = gongkai_cli({"new", "report", "2020-001", "2020-q2"}, repo.path());
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::string text = test::read_file(repo.path() / "reports/2020-001/2020-q2.md");
    CHECK(holds(text, "period_start = 2020-04-01\nperiod_end = 2020-06-30\n"));
    CHECK(holds(text, "## （一）目前进展情况\n\n### 1. 标杆校建设\n\n#### 1.1 信息化标杆校\n\n#### 1.2 课程标杆校\n\n"
                      "### 2. 人才引进\n\n## （二）存在的困难\n\n"));
    CHECK(holds(text, "## （三）下一步工作措施\n"));
    CHECK(check_worktree(repo).status == 0);
}

TEST_CASE("new: refuses to replace a file", "[integration][new]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    std::string before = test::read_file(repo.path() / "reports/2020-001/2020-06.md");
    auto r = gongkai_cli({"new", "report", "2020-001", "2020-06"}, repo.path());
    CHECK(r.status == 1);
    CHECK(says(r, "reports/2020-001/2020-06.md already exists"));
    CHECK(test::read_file(repo.path() / "reports/2020-001/2020-06.md") == before);
    auto d = gongkai_cli({"new", "department", "education"}, repo.path());
    CHECK(d.status == 1);
    CHECK(says(d, "departments/education.toml already exists"));
}

TEST_CASE("new: refuses what it cannot name or place", "[integration][new]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    auto bad_id = gongkai_cli({"new", "department", "Health_Bureau"}, repo.path());
    CHECK(bad_id.status == 1);
    CHECK(says(bad_id, "'Health_Bureau' is not a valid department id"));
    auto unknown = gongkai_cli({"new", "report", "2020-999"}, repo.path());
    CHECK(unknown.status == 1);
    CHECK(says(unknown, "no project '2020-999'"));
    CHECK(says(unknown, "gongkai new project 2020-999"));
    auto period = gongkai_cli({"new", "report", "2020-001", "autumn"}, repo.path());
    CHECK(period.status == 1);
    CHECK(says(period, "cannot tell the dates of period 'autumn'"));
    test::TempDir plain;
    CHECK(gongkai_cli({"new", "department", "x"}, plain.path()).status == 2);
    CHECK(gongkai_cli({"new", "widget", "x"}, repo.path()).status == 2);
}

TEST_CASE("new: a whole site from nothing, valid as written, under --content-dir", "[integration][new]") {
    GitRepo repo;
    test::TempDir elsewhere;
    auto in = [&](std::vector<std::string> args) {
        args.insert(args.end(), {"--repo", repo.dir(), "--content-dir", "content"});
        auto r = gongkai_cli(args, elsewhere.path());
        INFO(r.output);
        CHECK(r.status == 0);
        return r;
    };
    in({"new", "site", "--title", "测试站"});
    in({"new", "department", "education", "--name", "测试区教育局"});
    in({"new", "project", "2021-001", "--title", "推进教育发展", "--year", "2021"});
    in({"new", "report", "2021-001", "2021-03"});
    for (const char* file : {"gongkai.toml", "departments/education.toml", "projects/2021-001.md",
                             "reports/2021-001/2021-03.md"})
        CHECK(fs::exists(repo.path() / "content" / file));
    CHECK(holds(test::read_file(repo.path() / "content/projects/2021-001.md"), "department = \"education\""));
    CHECK(test::list_files(elsewhere.path()).empty());
    auto c = check_worktree(repo, {"--content-dir", "content"});
    INFO(c.output);
    CHECK(c.status == 0);
}

TEST_CASE("period_dates and current_period: the periods a report can be named after", "[new]") {
    auto month = period_dates("2020-10");
    REQUIRE(month);
    CHECK(month->start.iso() == "2020-10-01");
    CHECK(month->end.iso() == "2020-10-31");
    CHECK(period_dates("2020-02")->end.iso() == "2020-02-29");
    CHECK(period_dates("2020-q4")->start.iso() == "2020-10-01");
    CHECK(period_dates("2021-h1")->end.iso() == "2021-06-30");
    CHECK(period_dates("2021")->end.iso() == "2021-12-31");
    for (const char* bad : {"2020-13", "2020-q5", "2020-h3", "20-10", "2020-1", "autumn", "2020-00"}) {
        INFO(bad);
        CHECK_FALSE(period_dates(bad));
    }
    Calendar calendar;
    CHECK(current_period(calendar, {2020, 11, 5}) == "2020-11");
    calendar.frequency = Calendar::Frequency::quarterly;
    CHECK(current_period(calendar, {2020, 11, 5}) == "2020-q4");
    calendar.frequency = Calendar::Frequency::half_yearly;
    CHECK(current_period(calendar, {2020, 6, 30}) == "2020-h1");
}
