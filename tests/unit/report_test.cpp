#include <catch2/catch.hpp>

#include "content/parse.h"
#include "fixture.h"

using namespace gongkai;
using gongkai::test::has_error;
using gongkai::test::has_warning;
using gongkai::test::listing;

namespace {

const std::string path = "content/reports/2020-043/2020-10.md";

std::optional<Report> parse(const std::string& text, Diagnostics& diags) {
    return parse_report(SourceFile{"reports/2020-043/2020-10.md", path, text}, diags);
}

// Every diagnostic of parsing text.
Diagnostics problems(const std::string& text) {
    Diagnostics diags;
    parse(text, diags);
    return diags;
}

// A valid report's front matter with extra lines appended from line 6 on.
std::string report_with(const std::string& extra, const std::string& completion = "completion = 90\n") {
    return "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-10-31\ndate = 2020-10-21\n" + completion + extra +
           "+++\nbody\n";
}

}  // namespace

TEST_CASE("report: the Changning report's front matter is read", "[report]") {
    Diagnostics diags;
    auto r = parse(R"(+++
title = "长宁区教育局关于区政府 2020 年重点工作目标 1-10 月推进情况的反馈"
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-10-21
completion = 90
addressee = "区府办"
signed_by = "长宁区教育局"
leader_signature = true

[[contacts]]
name = "宗宏"
phone = "22050725"

[[contacts]]
name = "黄丽灵"
phone = "22050779"

[goal_completion]
"1" = 51
"1.1" = 58.5
+++
根据督查通知的要求，现将我单位所涉项目完成情况反馈如下：
)",
                   diags);
    INFO(listing(diags));
    REQUIRE(r);
    CHECK(diags.items().empty());
    CHECK(r->id == "2020-10");
    CHECK(r->project == "2020-043");
    CHECK(r->path == path);
    CHECK(r->period_start == Date{2020, 1, 1});
    CHECK(r->period_end == Date{2020, 10, 31});
    CHECK(r->date == Date{2020, 10, 21});
    CHECK(r->completion == Approx(90));
    CHECK_FALSE(r->on_schedule);
    CHECK(r->addressee == "区府办");
    CHECK(r->signed_by == "长宁区教育局");
    CHECK(r->leader_signature);
    REQUIRE(r->contacts.size() == 2);
    CHECK(r->contacts[1].name == "黄丽灵");
    CHECK(r->contacts[1].phone == "22050779");
    REQUIRE(r->goal_completion.size() == 2);
    CHECK(r->goal_completion[1].goal_id == "1.1");
    CHECK(r->goal_completion[1].completion == Approx(58.5));
    CHECK(r->goal_completion[1].line == 21);
    CHECK(r->body_line == 23);
}

TEST_CASE("report: on_schedule may stand in for a completion rate", "[report]") {
    Diagnostics diags;
    auto r = parse(report_with("", "on_schedule = false\n"), diags);
    INFO(listing(diags));
    REQUIRE(r);
    CHECK_FALSE(diags.has_errors());
    CHECK_FALSE(r->completion);
    CHECK(r->on_schedule == false);
}

TEST_CASE("report: neither completion nor on_schedule is an error", "[report]") {
    Diagnostics diags = problems(report_with("", ""));
    CHECK(has_error(diags, path, 1, "a report needs a completion rate (completion = 90)"));
}

TEST_CASE("report: completion outside 0-100", "[report]") {
    CHECK(has_error(problems(report_with("", "completion = 120\n")), path, 5,
                    "completion: 120 is out of range: a percentage is from 0 to 100"));
    CHECK(has_error(problems(report_with("", "completion = -5\n")), path, 5, "completion: -5 is out of range"));

    Diagnostics edges;
    auto full = parse(report_with("", "completion = 100\n"), edges);
    auto none = parse(report_with("", "completion = 0\n"), edges);
    CHECK_FALSE(edges.has_errors());
    REQUIRE(full);
    REQUIRE(none);
    CHECK(full->completion == Approx(100));
    CHECK(none->completion == Approx(0));
}

TEST_CASE("report: nan and inf are not percentages", "[report]") {
    CHECK(has_error(problems(report_with("", "completion = nan\n")), path, 5, "completion: expected a percentage"));
    CHECK(has_error(problems(report_with("", "completion = inf\n")), path, 5, "completion:"));
}

TEST_CASE("report: \"90%\" as a string says to drop the quotes and the sign", "[report]") {
    Diagnostics diags = problems(report_with("", "completion = \"90%\"\n"));
    CHECK(has_error(diags, path, 5, "completion: expected a percentage from 0 to 100, found a string"));
    CHECK(has_error(diags, path, 5, "(90, not \"90%\")"));
}

TEST_CASE("report: a fraction like 0.9 is an error that says to write the percentage", "[report]") {
    // 0.9 is almost always 90% written as a fraction; publishing "0.9%" would misstate progress.
    Diagnostics diags = problems(report_with("", "completion = 0.9\n"));
    CHECK(has_error(diags, path, 5, "read as 0.9%"));
    CHECK(has_error(diags, path, 5, "write the percentage (90)"));
}

TEST_CASE("report: dates as strings or with a time", "[report]") {
    Diagnostics diags = problems(
        "+++\nperiod_start = \"2020-01-01\"\nperiod_end = 2020-10-31T00:00:00\ndate = 2020-10-21\ncompletion = "
        "90\n+++\n");
    CHECK(has_error(diags, path, 2, "period_start: expected a date, found a string (a date is written 2020-10-21"));
    CHECK(has_error(diags, path, 3, "period_end: expected a date without a time"));
}

TEST_CASE("report: the period ends before it starts", "[report]") {
    Diagnostics diags =
        problems("+++\nperiod_start = 2020-10-01\nperiod_end = 2020-09-30\ndate = 2020-10-21\ncompletion = 90\n+++\n");
    CHECK(has_error(diags, path, 3, "period_end: the period ends (2020-09-30) before it starts (2020-10-01)"));
}

TEST_CASE("report: dated before its period starts", "[report]") {
    Diagnostics diags =
        problems("+++\nperiod_start = 2020-01-01\nperiod_end = 2020-10-31\ndate = 2019-12-31\ncompletion = 90\n+++\n");
    CHECK(has_error(diags, path, 4, "date: the report is dated 2019-12-31, before its period starts (2020-01-01)"));
}

TEST_CASE("report: missing dates and wrong types", "[report]") {
    Diagnostics diags = problems("+++\ncompletion = 90\nleader_signature = \"是\"\naddressee = 1\n+++\n");
    CHECK(has_error(diags, path, 2, "period_start: missing required key; add period_start = 2020-10-21"));
    CHECK(has_error(diags, path, 2, "period_end: missing required key"));
    CHECK(has_error(diags, path, 2, "date: missing required key"));
    CHECK(has_error(diags, path, 3, "leader_signature: expected true or false, found a string; write true or false"));
    CHECK(has_error(diags, path, 4, "addressee: expected a string in quotes, found an integer"));
}

TEST_CASE("report: an unknown key is reported with its line", "[report]") {
    Diagnostics diags = problems(report_with("signed = \"长宁区教育局\"\n"));
    CHECK(has_error(diags, path, 6, "signed: unknown key; expected one of: title, period_start"));
    CHECK(diags.error_count() == 1);
}

TEST_CASE("report: goal_completion values are percentages too", "[report]") {
    Diagnostics diags = problems(report_with("\n[goal_completion]\n\"1\" = 51\n\"2\" = \"58%\"\n\"3\" = 101\n"));
    CHECK(has_error(diags, path, 9, "goal_completion.2: expected a percentage from 0 to 100, found a string"));
    CHECK(has_error(diags, path, 10, "goal_completion.3: 101 is out of range"));
    CHECK(diags.error_count() == 2);
}

TEST_CASE("report: every problem of one file is reported in one run", "[report]") {
    Diagnostics diags = problems(R"(+++
period_start = 2020-11-01
period_end = 2020-10-31
date = "2020-10-21"
completion = "90%"
contact = "宗宏"
[[contacts]]
phone = "22050725"
+++
)");
    INFO(listing(diags));
    CHECK(has_error(diags, path, 3, "period_end: the period ends"));
    CHECK(has_error(diags, path, 4, "date: expected a date, found a string"));
    CHECK(has_error(diags, path, 5, "completion: expected a percentage"));
    CHECK(has_error(diags, path, 6, "contact: unknown key"));
    CHECK(has_error(diags, path, 7, "contacts[1].name: missing required key"));
    CHECK(diags.error_count() == 5);
}
