#include "content/model.h"

#include <algorithm>
#include <cstdio>

namespace gongkai {

std::string Date::iso() const {
    if (year >= 0 && year <= 9999 && month >= 0 && month <= 99 && day >= 0 && day <= 99) {
        std::string s = "0000-00-00";
        s[0] = static_cast<char>('0' + year / 1000);
        s[1] = static_cast<char>('0' + year / 100 % 10);
        s[2] = static_cast<char>('0' + year / 10 % 10);
        s[3] = static_cast<char>('0' + year % 10);
        s[5] = static_cast<char>('0' + month / 10);
        s[6] = static_cast<char>('0' + month % 10);
        s[8] = static_cast<char>('0' + day / 10);
        s[9] = static_cast<char>('0' + day % 10);
        return s;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

// Howard Hinnant's days_from_civil.
std::int64_t Date::days() const {
    std::int64_t y = year - (month <= 2);
    std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    auto yoe = static_cast<unsigned>(y - era * 400);
    unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date Date::from_days(std::int64_t z) {
    z += 719468;
    std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    auto doe = static_cast<unsigned>(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

bool Date::valid(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1) return false;
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = days_in[month - 1] + (month == 2 && leap ? 1 : 0);
    return day <= max;
}

const Department* Library::department(std::string_view id) const {
    auto it = std::lower_bound(departments.begin(), departments.end(), id,
                               [](const Department& d, std::string_view key) { return d.id < key; });
    return it != departments.end() && it->id == id ? &*it : nullptr;
}

const Project* Library::project(std::string_view id) const {
    auto it = std::lower_bound(projects.begin(), projects.end(), id,
                               [](const Project& p, std::string_view key) { return p.id < key; });
    return it != projects.end() && it->id == id ? &*it : nullptr;
}

std::vector<const Report*> Library::reports_of(const std::string& project_id) const {
    std::vector<const Report*> out;
    auto it = std::lower_bound(reports.begin(), reports.end(), project_id,
                               [](const Report& r, const std::string& key) { return r.project < key; });
    for (; it != reports.end() && it->project == project_id; ++it) out.push_back(&*it);
    return out;
}

}  // namespace gongkai
