#include "i18n.h"

#include <charconv>

#include "html.h"

namespace gongkai {

const std::string& Strings::get(const std::string& key) const {
    auto it = table_.find(key);
    return it == table_.end() ? key : it->second;
}

std::string Strings::format(const std::string& key, std::initializer_list<Value> values) const {
    return fill(get(key), values);
}

std::string Strings::fill(const std::string& pattern, std::initializer_list<Value> values) {
    std::string out;
    out.reserve(pattern.size() + 16);
    std::size_t done = 0;
    for (std::size_t open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', open + 1)) {
        std::size_t close = pattern.find('}', open);
        if (close == std::string::npos) break;
        std::string_view name(pattern.data() + open + 1, close - open - 1);
        for (const auto& [k, v] : values) {
            if (k != name) continue;
            out.append(pattern, done, open - done);
            out += v;
            done = close + 1;
            open = close;
            break;
        }
    }
    out.append(pattern, done);
    return out;
}

void Strings::remember() {
    for (int m = 1; m <= 12; ++m) months_[m - 1] = get("month_" + std::to_string(m));
    date_ = get("date");
    period_month_ = get("period_month");
    period_months_ = get("period_months");
    period_dates_ = get("period_dates");
    percent_ = get("percent");
}

std::string Strings::month_name(int month) const {
    return month >= 1 && month <= 12 ? months_[month - 1] : get("month_" + std::to_string(month));
}

namespace {

// Up to 11 characters of a number, written without allocating.
struct Digits {
    explicit Digits(int value) {
        size = static_cast<std::size_t>(std::to_chars(text, text + sizeof text, value).ptr - text);
    }
    std::string_view view() const { return {text, size}; }
    char text[12];
    std::size_t size;
};

}  // namespace

std::string Strings::date(const Date& d) const {
    Digits year(d.year), month(d.month), day(d.day);
    return fill(date_, {{"year", year.view()},
                        {"month", month.view()},
                        {"day", day.view()},
                        {"month_name", month_name(d.month)}});
}

std::string Strings::period(const Date& start, const Date& end) const {
    bool whole_months = start.day == 1 && Date::from_days(end.days() + 1).day == 1;
    if (whole_months && start.year == end.year) {
        Digits year(end.year), from(start.month), to(end.month);
        if (start.month == end.month)
            return fill(period_month_,
                        {{"year", year.view()}, {"month", to.view()}, {"month_name", month_name(end.month)}});
        return fill(period_months_, {{"year", year.view()},
                                     {"from", from.view()},
                                     {"to", to.view()},
                                     {"from_name", month_name(start.month)},
                                     {"to_name", month_name(end.month)}});
    }
    return fill(period_dates_, {{"from", date(start)}, {"to", date(end)}});
}

std::string Strings::percent(double value) const { return fill(percent_, {{"value", format_number(value)}}); }

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
