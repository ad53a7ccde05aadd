#include "schedule.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "content/library.h"
#include "content/source.h"
#include "fixture.h"
#include "site.h"

using namespace gongkai;
using Catch::Matchers::WithinAbs;
using gongkai::test::has_warning;
using gongkai::test::listing;

namespace {

Project project(Date start, Date end, std::vector<Milestone> milestones = {}) {
    Project p;
    p.id = "2020-007";
    p.year = start.year;
    p.department = "transport";
    p.start = start;
    p.end = end;
    p.milestones = std::move(milestones);
    return p;
}

Project calendar_year(int year) {
    return project({year, 1, 1}, {year, 12, 31});
}

// Expected progress as the site states it: rounded to one decimal.
double stated(const Project& p, Date at) {
    return std::round(expected_progress(p, at) * 10) / 10;
}

Report report(const std::string& id, Date start, Date end, std::optional<double> completion,
              std::optional<bool> on_schedule = std::nullopt) {
    Report r;
    r.project = "2020-007";
    r.id = id;
    r.path = "reports/2020-007/" + id + ".md";
    r.period_start = start;
    r.period_end = end;
    r.date = end;
    r.completion = completion;
    r.on_schedule = on_schedule;
    return r;
}

Library library(Project p, std::vector<Report> reports, Calendar calendar = {}) {
    Library lib;
    lib.config.calendar = calendar;
    lib.projects = {std::move(p)};
    lib.reports = std::move(reports);
    return lib;
}

Calendar monthly(int due_day) {
    return Calendar{Calendar::Frequency::monthly, due_day};
}

std::vector<std::string> starts(const std::vector<CalendarPeriod>& periods) {
    std::vector<std::string> out;
    for (const auto& p : periods) out.push_back(p.start.iso() + ".." + p.end.iso() + " due " + p.due.iso());
    return out;
}

// Seconds since the epoch of a local time at a UTC offset in minutes.
std::int64_t at(Date d, int hour, int minute, int offset) {
    return d.days() * 86400 + hour * 3600 + minute * 60 - static_cast<std::int64_t>(offset) * 60;
}

}  // namespace

TEST_CASE("序时进度: at the end of October a calendar-year project should be 83.3% done", "[schedule]") {
    // 2020 is a leap year: 305 of 366 days have passed at the end of 31 October.
    CHECK_THAT(expected_progress(calendar_year(2020), {2020, 10, 31}), WithinAbs(305.0 / 366 * 100, 1e-9));
    CHECK(stated(calendar_year(2020), {2020, 10, 31}) == 83.3);
    // And in a common year, 304 of 365.
    CHECK(stated(calendar_year(2021), {2021, 10, 31}) == 83.3);
}

TEST_CASE("序时进度: whole days count, from the first day to the last", "[schedule]") {
    const Project p = calendar_year(2020);
    CHECK(stated(p, {2020, 6, 30}) == 49.7);  // 182 / 366
    CHECK(stated(p, {2020, 7, 1}) == 50.0);   // 183 / 366
    CHECK(stated(p, {2020, 1, 1}) == 0.3);    // the first day done
    CHECK(expected_progress(p, {2020, 12, 31}) == 100.0);
}

TEST_CASE("序时进度: nothing before the project starts, everything after it ends", "[schedule]") {
    const Project p = calendar_year(2020);
    CHECK(expected_progress(p, {2019, 12, 31}) == 0.0);
    CHECK(expected_progress(p, {2019, 1, 1}) == 0.0);
    CHECK(expected_progress(p, {2021, 1, 1}) == 100.0);
    CHECK(expected_progress(p, {2025, 6, 1}) == 100.0);
}

TEST_CASE("序时进度: a project's own start and end bound its duration", "[schedule]") {
    // 1 September to 30 November: 91 days; by the end of October 61 of them.
    const Project p = project({2020, 9, 1}, {2020, 11, 30});
    CHECK_THAT(expected_progress(p, {2020, 10, 31}), WithinAbs(61.0 / 91 * 100, 1e-9));
    CHECK(expected_progress(p, {2020, 8, 31}) == 0.0);
    CHECK(expected_progress(p, {2020, 11, 30}) == 100.0);
}

TEST_CASE("milestones: expected progress is each milestone's figure on its date", "[schedule]") {
    const Project p =
        project({2020, 1, 1}, {2020, 12, 31}, {{{2020, 3, 31}, 10}, {{2020, 6, 30}, 40}, {{2020, 9, 30}, 80}});
    CHECK(expected_progress(p, {2020, 3, 31}) == 10.0);
    CHECK(expected_progress(p, {2020, 6, 30}) == 40.0);
    CHECK(expected_progress(p, {2020, 9, 30}) == 80.0);
    CHECK(expected_progress(p, {2020, 12, 31}) == 100.0);
}

TEST_CASE("milestones: between two milestones progress is linear in days", "[schedule]") {
    const Project p =
        project({2020, 1, 1}, {2020, 12, 31}, {{{2020, 3, 31}, 10}, {{2020, 6, 30}, 40}, {{2020, 9, 30}, 80}});
    // From the start (0%) to 31 March (10%): 91 days; 15 February is day 46.
    CHECK_THAT(expected_progress(p, {2020, 2, 15}), WithinAbs(10.0 * 46 / 91, 1e-9));
    // 31 March (10%) to 30 June (40%): 91 days; 15 May is 45 days on.
    CHECK_THAT(expected_progress(p, {2020, 5, 15}), WithinAbs(10 + 30.0 * 45 / 91, 1e-9));
    CHECK(stated(p, {2020, 5, 15}) == 24.8);
    // 30 September (80%) to the end (100%): 92 days; 15 November is 46 days on, half way.
    CHECK_THAT(expected_progress(p, {2020, 11, 15}), WithinAbs(90.0, 1e-9));
}

TEST_CASE("milestones: the plan replaces even progress, ahead of or behind it", "[schedule]") {
    const Project slow_start = project({2020, 1, 1}, {2020, 12, 31}, {{{2020, 6, 30}, 20}});
    const Project fast_start = project({2020, 1, 1}, {2020, 12, 31}, {{{2020, 6, 30}, 70}});
    CHECK(expected_progress(slow_start, {2020, 6, 30}) == 20.0);
    CHECK(expected_progress(fast_start, {2020, 6, 30}) == 70.0);
    CHECK(stated(calendar_year(2020), {2020, 6, 30}) == 49.7);
}

TEST_CASE("date_of: the build's day is the committer's local day", "[schedule]") {
    CHECK(date_of(at({2020, 10, 21}, 12, 0, 480), 480) == Date{2020, 10, 21});
    // 00:30 on 1 November in Shanghai is still 31 October in UTC.
    CHECK(date_of(at({2020, 11, 1}, 0, 30, 480), 480) == Date{2020, 11, 1});
    CHECK(date_of(at({2020, 11, 1}, 0, 30, 480), 0) == Date{2020, 10, 31});
    // 23:30 on 25 November in New York is already the 26th in UTC.
    CHECK(date_of(at({2020, 11, 25}, 23, 30, -300), -300) == Date{2020, 11, 25});
    CHECK(date_of(at({2020, 11, 25}, 23, 30, -300), 0) == Date{2020, 11, 26});
    CHECK(date_of(-1, 0) == Date{1969, 12, 31});
}

TEST_CASE("calendar: monthly reports fall due on due_day of the following month", "[schedule]") {
    auto periods = due_periods(monthly(25), {2020, 1, 1}, {2020, 12, 31}, {2020, 4, 30});
    CHECK(starts(periods) == std::vector<std::string>{"2020-01-01..2020-01-31 due 2020-02-25",
                                                      "2020-02-01..2020-02-29 due 2020-03-25",
                                                      "2020-03-01..2020-03-31 due 2020-04-25"});
}

TEST_CASE("calendar: December's report falls due in January of the next year", "[schedule]") {
    auto periods = due_periods(monthly(10), {2020, 12, 1}, {2020, 12, 31}, {2021, 1, 11});
    REQUIRE(periods.size() == 1);
    CHECK(periods[0].due == Date{2021, 1, 10});
    CHECK(due_periods(monthly(10), {2020, 12, 1}, {2020, 12, 31}, {2020, 12, 31}).empty());
}

TEST_CASE("calendar: a report is late only after its due day, not on it", "[schedule]") {
    // "Due by the 25th": October's report may still arrive on 25 November.
    CHECK(due_periods(monthly(25), {2020, 10, 1}, {2020, 12, 31}, {2020, 11, 24}).empty());
    CHECK(due_periods(monthly(25), {2020, 10, 1}, {2020, 12, 31}, {2020, 11, 25}).empty());
    CHECK(due_periods(monthly(25), {2020, 10, 1}, {2020, 12, 31}, {2020, 11, 26}).size() == 1);
}

TEST_CASE("calendar: quarters, half-years and years are aligned to the calendar year", "[schedule]") {
    using F = Calendar::Frequency;
    CHECK(starts(due_periods({F::quarterly, 15}, {2020, 1, 1}, {2020, 12, 31}, {2020, 10, 20})) ==
          std::vector<std::string>{"2020-01-01..2020-03-31 due 2020-04-15", "2020-04-01..2020-06-30 due 2020-07-15",
                                   "2020-07-01..2020-09-30 due 2020-10-15"});
    CHECK(starts(due_periods({F::half_yearly, 20}, {2020, 1, 1}, {2020, 12, 31}, {2021, 2, 1})) ==
          std::vector<std::string>{"2020-01-01..2020-06-30 due 2020-07-20", "2020-07-01..2020-12-31 due 2021-01-20"});
    CHECK(starts(due_periods({F::yearly, 25}, {2020, 1, 1}, {2020, 12, 31}, {2021, 2, 1})) ==
          std::vector<std::string>{"2020-01-01..2020-12-31 due 2021-01-25"});
}

TEST_CASE("calendar: only the periods the project runs in, across a year's end", "[schedule]") {
    // A project from 15 September 2020 to 31 March 2021: September counts, it overlaps.
    auto periods = due_periods(monthly(25), {2020, 9, 15}, {2021, 3, 31}, {2022, 1, 1});
    REQUIRE(periods.size() == 7);
    CHECK(periods.front().start == Date{2020, 9, 1});
    CHECK(periods.back().start == Date{2021, 3, 1});
    CHECK(periods.back().due == Date{2021, 4, 25});
    auto quarters = due_periods({Calendar::Frequency::quarterly, 25}, {2020, 5, 10}, {2020, 8, 1}, {2022, 1, 1});
    CHECK(starts(quarters) ==
          std::vector<std::string>{"2020-04-01..2020-06-30 due 2020-07-25", "2020-07-01..2020-09-30 due 2020-10-25"});
}

TEST_CASE("calendar: a site without a calendar has no due periods", "[schedule]") {
    CHECK(due_periods(Calendar{}, {2020, 1, 1}, {2020, 12, 31}, {2030, 1, 1}).empty());
}

TEST_CASE("judgement: behind when the latest completion falls short of expected progress", "[schedule]") {
    auto lib = library(calendar_year(2020), {report("2020-06", {2020, 1, 1}, {2020, 6, 30}, 60),
                                             report("2020-10", {2020, 1, 1}, {2020, 10, 31}, 80)});
    auto s = judge_schedules(lib, {2020, 11, 5}).at("2020-007");
    REQUIRE(s.latest != nullptr);
    CHECK(s.latest->id == "2020-10");
    CHECK(s.expected_at == Date{2020, 10, 31});
    CHECK(s.expected == 83.3);
    CHECK(s.behind);
}

TEST_CASE("judgement: on schedule when the completion reaches the rounded expected figure", "[schedule]") {
    auto exactly = library(calendar_year(2020), {report("2020-10", {2020, 1, 1}, {2020, 10, 31}, 83.3)});
    CHECK_FALSE(judge_schedules(exactly, {2020, 11, 5}).at("2020-007").behind);
    auto ahead = library(calendar_year(2020), {report("2020-10", {2020, 1, 1}, {2020, 10, 31}, 90)});
    CHECK_FALSE(judge_schedules(ahead, {2020, 11, 5}).at("2020-007").behind);
}

TEST_CASE("judgement: a period not yet over is measured at the build's day", "[schedule]") {
    // A whole-year report of 60%: on schedule on 1 July (50%), behind on 31 October (83.3%).
    auto lib = library(calendar_year(2020), {report("2020", {2020, 1, 1}, {2020, 12, 31}, 60)});
    auto july = judge_schedules(lib, {2020, 7, 1}).at("2020-007");
    CHECK(july.expected_at == Date{2020, 7, 1});
    CHECK(july.expected == 50.0);
    CHECK_FALSE(july.behind);
    auto october = judge_schedules(lib, {2020, 10, 31}).at("2020-007");
    CHECK(october.expected == 83.3);
    CHECK(october.behind);
}

TEST_CASE("judgement: without a completion, the department's own yes/no decides", "[schedule]") {
    auto yes = library(calendar_year(2020), {report("2020-06", {2020, 1, 1}, {2020, 6, 30}, std::nullopt, true)});
    auto no = library(calendar_year(2020), {report("2020-06", {2020, 1, 1}, {2020, 6, 30}, std::nullopt, false)});
    CHECK_FALSE(judge_schedules(yes, {2020, 7, 5}).at("2020-007").behind);
    CHECK(judge_schedules(no, {2020, 7, 5}).at("2020-007").behind);
}

TEST_CASE("judgement: milestones decide instead of even progress", "[schedule]") {
    // 30% on 15 May: short of even progress (37.2%), ahead of the plan (24.8%).
    Project planned = project({2020, 1, 1}, {2020, 12, 31}, {{{2020, 3, 31}, 10}, {{2020, 6, 30}, 40}});
    auto with_plan = library(planned, {report("2020-05", {2020, 1, 1}, {2020, 5, 15}, 30)});
    auto without = library(calendar_year(2020), {report("2020-05", {2020, 1, 1}, {2020, 5, 15}, 30)});
    auto s = judge_schedules(with_plan, {2020, 6, 1}).at("2020-007");
    CHECK(s.expected == 24.8);
    CHECK_FALSE(s.behind);
    auto even = judge_schedules(without, {2020, 6, 1}).at("2020-007");
    CHECK(even.expected == 37.2);
    CHECK(even.behind);
}

TEST_CASE("judgement: a project without reports is not judged behind, but can be late", "[schedule]") {
    auto lib = library(project({2020, 9, 1}, {2020, 12, 31}), {}, monthly(25));
    auto s = judge_schedules(lib, {2020, 11, 26}).at("2020-007");
    CHECK(s.latest == nullptr);
    CHECK_FALSE(s.expected.has_value());
    CHECK_FALSE(s.behind);
    CHECK(s.late());
    CHECK(starts(s.missing) ==
          std::vector<std::string>{"2020-09-01..2020-09-30 due 2020-10-25", "2020-10-01..2020-10-31 due 2020-11-25"});
}

TEST_CASE("judgement: a period is reported by a report ending in it", "[schedule]") {
    // September's report is in; October's is missing once 25 November has passed.
    auto lib = library(project({2020, 9, 1}, {2020, 12, 31}), {report("2020-09", {2020, 9, 1}, {2020, 9, 30}, 30)},
                       monthly(25));
    CHECK_FALSE(judge_schedules(lib, {2020, 11, 20}).at("2020-007").late());
    auto after = judge_schedules(lib, {2020, 11, 26}).at("2020-007");
    CHECK(starts(after.missing) == std::vector<std::string>{"2020-10-01..2020-10-31 due 2020-11-25"});
    // A cumulative report (January to October) reports October too.
    lib.reports.push_back(report("2020-10", {2020, 1, 1}, {2020, 10, 31}, 60));
    CHECK_FALSE(judge_schedules(lib, {2020, 11, 26}).at("2020-007").late());
}

TEST_CASE("roll-up: a parent's figure is the mean of its children's", "[schedule]") {
    Goal g{"1", "步道", {Goal{"1.1", "滨江", {}}, Goal{"1.2", "社区", {}}}};
    CHECK(rolled_up_completion(g, {{"1.1", 10}, {"1.2", 20}}) == 15.0);
    // A child without a figure: no roll-up.
    CHECK_FALSE(rolled_up_completion(g, {{"1.1", 10}}).has_value());
    // A leaf is its own figure.
    CHECK(rolled_up_completion(g.goals[0], {{"1.1", 10}}) == 10.0);
}

TEST_CASE("roll-up: a child without a figure of its own is rolled up from its parts", "[schedule]") {
    Goal g{"1",
           "步道",
           {Goal{"1.1", "滨江", {Goal{"1.1.1", "东段", {}}, Goal{"1.1.2", "西段", {}}}}, Goal{"1.2", "社区", {}}}};
    CHECK(rolled_up_completion(g, {{"1.1.1", 30}, {"1.1.2", 50}, {"1.2", 100}}) == 70.0);
    // A stated figure of a middle goal is used as it is.
    CHECK(rolled_up_completion(g, {{"1.1", 60}, {"1.1.1", 30}, {"1.1.2", 50}, {"1.2", 100}}) == 80.0);
}

namespace {

Diagnostics roll_up_warnings(const std::string& goal_completion) {
    auto files = test::parse_fixture(R"(
-- gongkai.toml --
title = "示例区"
language = "zh-CN"
base_url = "https://example.org/"
publisher = "示例区人民政府"
-- departments/transport.toml --
name = "示例区交通委员会"
-- projects/2020-007.md --
+++
title = "完善慢行交通网络"
year = 2020
department = "transport"

[[goals]]
id = "1"
title = "步道"

  [[goals.goals]]
  id = "1.1"
  title = "滨江步道"

  [[goals.goals]]
  id = "1.2"
  title = "社区步道"

[[goals]]
id = "2"
title = "停车"
+++
-- reports/2020-007/2020-10.md --
+++
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-11-02
completion = 50

[goal_completion]
)" + goal_completion + "+++\n");
    MemorySource source(files);
    Diagnostics diags;
    auto lib = load_library(source.read(diags), diags);
    INFO(listing(diags));
    REQUIRE(lib);
    Diagnostics warnings;
    check_roll_ups(*lib, warnings);
    return warnings;
}

}  // namespace

TEST_CASE("roll-up check: a parent stated far from its children's mean is warned about, at its line", "[schedule]") {
    auto warnings = roll_up_warnings("\"1\" = 90\n\"1.1\" = 10\n\"1.2\" = 20\n");
    CHECK(warnings.warning_count() == 1);
    CHECK_FALSE(warnings.has_errors());
    CHECK(has_warning(warnings, "reports/2020-007/2020-10.md", 8,
                      "goal_completion.1: states 90% but its parts average 15%"));
}

TEST_CASE("roll-up check: consistent figures, within a point, or without children's figures pass", "[schedule]") {
    CHECK(roll_up_warnings("\"1\" = 15\n\"1.1\" = 10\n\"1.2\" = 20\n").items().empty());
    CHECK(roll_up_warnings("\"1\" = 16\n\"1.1\" = 10\n\"1.2\" = 20\n").items().empty());
    CHECK(roll_up_warnings("\"1\" = 90\n\"1.1\" = 10\n").items().empty());
    CHECK(roll_up_warnings("\"1\" = 90\n\"2\" = 10\n").items().empty());
}

TEST_CASE("Date::iso writes four-digit years, two-digit months and days", "[schedule]") {
    CHECK(Date{2020, 10, 21}.iso() == "2020-10-21");
    CHECK(Date{2021, 1, 5}.iso() == "2021-01-05");
    CHECK(Date{999, 12, 31}.iso() == "0999-12-31");
    CHECK(Date{0, 1, 1}.iso() == "0000-01-01");
    CHECK(Date{9999, 12, 31}.iso() == "9999-12-31");
    CHECK(Date{10000, 1, 1}.iso() == "10000-01-01");
    CHECK(Date{-1, 1, 1}.iso() == "-001-01-01");
    for (std::int64_t d = -800000; d <= 3000000; d += 997) {
        Date date = Date::from_days(d);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
        INFO(d);
        REQUIRE(date.iso() == buf);
    }
}
