#include "i18n.h"

#include "html.h"

namespace gongkai {

const std::string& Strings::get(const std::string& key) const {
    auto it = table_.find(key);
    return it == table_.end() ? key : it->second;
}

std::string Strings::format(const std::string& key,
                            const std::vector<std::pair<std::string, std::string>>& values) const {
    const std::string& pattern = get(key);
    std::string out;
    out.reserve(pattern.size() + 16);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{') {
            std::size_t close = pattern.find('}', i);
            if (close != std::string::npos) {
                std::string name = pattern.substr(i + 1, close - i - 1);
                bool found = false;
                for (const auto& [k, v] : values) {
                    if (k == name) {
                        out += v;
                        found = true;
                        break;
                    }
                }
                if (found) {
                    i = close;
                    continue;
                }
            }
        }
        out += pattern[i];
    }
    return out;
}

std::string Strings::month_name(int month) const { return get("month_" + std::to_string(month)); }

std::string Strings::date(const Date& d) const {
    return format("date", {{"year", std::to_string(d.year)},
                           {"month", std::to_string(d.month)},
                           {"day", std::to_string(d.day)},
                           {"month_name", month_name(d.month)}});
}

std::string Strings::period(const Date& start, const Date& end) const {
    bool whole_months = start.day == 1 && Date::from_days(end.days() + 1).day == 1;
    if (whole_months && start.year == end.year) {
        if (start.month == end.month)
            return format("period_month", {{"year", std::to_string(end.year)},
                                           {"month", std::to_string(end.month)},
                                           {"month_name", month_name(end.month)}});
        return format("period_months", {{"year", std::to_string(end.year)},
                                        {"from", std::to_string(start.month)},
                                        {"to", std::to_string(end.month)},
                                        {"from_name", month_name(start.month)},
                                        {"to_name", month_name(end.month)}});
    }
    return format("period_dates", {{"from", date(start)}, {"to", date(end)}});
}

std::string Strings::percent(double value) const { return format("percent", {{"value", format_number(value)}}); }

std::string Strings::item_number(const std::string& number) const {
    if (number.empty()) return "";
    return format("item_number", {{"number", number}});
}

std::string Strings::join(const std::vector<std::string>& items) const {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += get("list_separator");
        out += items[i];
    }
    return out;
}

}  // namespace gongkai
