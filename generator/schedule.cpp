#include "schedule.h"

#include <algorithm>
#include <cmath>

namespace gongkai {

Date date_of(std::int64_t seconds, int offset_minutes) {
    std::int64_t local = seconds + static_cast<std::int64_t>(offset_minutes) * 60;
    std::int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    return Date::from_days(days);
}

namespace {

double interpolate(std::int64_t x0, double y0, std::int64_t x1, double y1, std::int64_t x) {
    if (x1 <= x0) return y1;
    return y0 + (y1 - y0) * static_cast<double>(x - x0) / static_cast<double>(x1 - x0);
}

int months_per_period(Calendar::Frequency f) {
    switch (f) {
    case Calendar::Frequency::monthly: return 1;
    case Calendar::Frequency::quarterly: return 3;
    case Calendar::Frequency::half_yearly: return 6;
    case Calendar::Frequency::yearly: return 12;
    default: return 0;
    }
}

Date last_day_of_month(int year, int month) {
    Date first_next = month == 12 ? Date{year + 1, 1, 1} : Date{year, month + 1, 1};
    return Date::from_days(first_next.days() - 1);
}

}  // namespace

double expected_progress(const Project& p, const Date& at) {
    // Progress counts whole days: at the end of a day, that day's share is expected.
    const std::int64_t start = p.start.days();
    const std::int64_t end = p.end.days() + 1;
    const std::int64_t t = std::clamp<std::int64_t>(at.days() + 1, start, end);
    std::int64_t x0 = start;
    double y0 = 0;
    for (const auto& m : p.milestones) {
        std::int64_t x1 = m.date.days() + 1;
        if (t <= x1) return std::clamp(interpolate(x0, y0, x1, m.expected, t), 0.0, 100.0);
        x0 = x1;
        y0 = m.expected;
    }
    if (t >= end) return 100.0;
    return std::clamp(interpolate(x0, y0, end, 100.0, t), 0.0, 100.0);
}

std::vector<CalendarPeriod> due_periods(const Calendar& calendar, const Date& from, const Date& to, const Date& today) {
    std::vector<CalendarPeriod> out;
    const int step = months_per_period(calendar.frequency);
    if (step == 0 || to < from) return out;
    // Periods are aligned to the calendar year: January, Q1 = January–March, H1, the year.
    int year = from.year;
    int month = 1 + ((from.month - 1) / step) * step;
    for (;;) {
        Date start{year, month, 1};
        int end_month = month + step - 1;
        Date end = last_day_of_month(year, end_month);
        int due_year = end_month == 12 ? year + 1 : year;
        int due_month = end_month == 12 ? 1 : end_month + 1;
        Date due{due_year, due_month, calendar.due_day};
        if (to < start || !(due < today)) break;  // late only once the due day has passed
        if (!(end < from)) out.push_back({start, end, due});
        month += step;
        if (month > 12) {
            month -= 12;
            ++year;
        }
    }
    return out;
}

std::map<std::string, ProjectSchedule> judge_schedules(const Library& lib, const Date& today) {
    std::map<std::string, ProjectSchedule> out;
    for (const auto& p : lib.projects) {
        ProjectSchedule s;
        auto reports = lib.reports_of(p.id);
        if (!reports.empty()) {
            s.latest = reports.back();
            s.expected_at = std::min(s.latest->period_end, today);
            double expected = std::round(expected_progress(p, s.expected_at) * 10) / 10;
            s.expected = expected;
            // Behind when the figure falls short, or when the department itself says so.
            bool short_of_expected = s.latest->completion && *s.latest->completion < expected;
            bool judged_behind = s.latest->on_schedule && !*s.latest->on_schedule;
            s.behind = short_of_expected || judged_behind;
        }
        for (const auto& period : due_periods(lib.config.calendar, p.start, p.end, today)) {
            bool reported = std::any_of(reports.begin(), reports.end(), [&](const Report* r) {
                return !(r->period_end < period.start) && !(period.end < r->period_end);
            });
            if (!reported) s.missing.push_back(period);
        }
        out.emplace(p.id, std::move(s));
    }
    return out;
}

std::optional<double> rolled_up_completion(const Goal& goal, const std::map<std::string, double>& stated) {
    if (goal.goals.empty()) {
        auto it = stated.find(goal.id);
        if (it == stated.end()) return std::nullopt;
        return it->second;
    }
    double sum = 0;
    int n = 0;
    for (const auto& child : goal.goals) {
        auto it = stated.find(child.id);
        std::optional<double> v = it != stated.end() ? std::optional<double>(it->second) : rolled_up_completion(child, stated);
        if (!v) return std::nullopt;  // a child without a figure: no roll-up
        sum += *v;
        ++n;
    }
    return sum / n;
}

}  // namespace gongkai
