#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "content/model.h"

namespace gongkai {

// The local date of a moment: seconds since the epoch and a UTC offset in minutes.
Date date_of(std::int64_t seconds, int offset_minutes);

// Progress a project should have reached by a date, in percent: its own milestones, linearly
// between them (from 0% at its start to 100% at its end), or else even progress over its
// duration (序时进度: at the end of October of a calendar-year project, 305/366 ≈ 83.3%).
double expected_progress(const Project& project, const Date& at);

// One reporting period of the site's calendar.
struct CalendarPeriod {
    Date start;
    Date end;
    Date due;
};

// The calendar periods that overlap [from, to] and whose due day is over by today, oldest first.
std::vector<CalendarPeriod> due_periods(const Calendar& calendar, const Date& from, const Date& to, const Date& today);

// The two judgements readers look for first, for one project at one moment.
struct ProjectSchedule {
    const Report* latest = nullptr;         // newest report, if any
    std::optional<double> expected;         // at the latest report's period end (or today, if earlier)
    Date expected_at;
    bool behind = false;                    // reported completion short of expected, or judged behind
    std::vector<CalendarPeriod> missing;    // due periods with no report
    bool late() const { return !missing.empty(); }
};

// Judges every project of the library as of today (the commit's date, never the wall clock).
std::map<std::string, ProjectSchedule> judge_schedules(const Library& library, const Date& today);

// A nested goal's completion derived from its children: their unweighted mean.
std::optional<double> rolled_up_completion(const Goal& goal, const std::map<std::string, double>& stated);

}  // namespace gongkai
