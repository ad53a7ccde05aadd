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

namespace {

// The places of text that names fill, in order: each "{name}" whose name is name_of(i) for an i
// below count, passed to found(open, close, i) with the offsets of its braces. Any other brace
// stays text, and a place may start within one ("{{year}}").
template <class NameOf, class Found>
void for_each_place(std::string_view text, std::size_t count, NameOf name_of, Found found) {
    for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) return;
        const std::string_view name = text.substr(open + 1, close - open - 1);
        for (std::size_t i = 0; i < count; ++i) {
            if (name_of(i) != name) continue;
            found(open, close, i);
            open = close;
            break;
        }
    }
}

}  // namespace

std::string Strings::fill(const std::string& pattern, std::initializer_list<Value> values) {
    std::string out;
    out.reserve(pattern.size() + 16);
    std::size_t done = 0;
    const Value* value = values.begin();
    for_each_place(
        pattern, values.size(), [&](std::size_t i) { return value[i].first; },
        [&](std::size_t open, std::size_t close, std::size_t i) {
            out.append(pattern, done, open - done);
            out += value[i].second;
            done = close + 1;
        });
    out.append(pattern, done);
    return out;
}

Pattern::Pattern(std::string text, std::initializer_list<std::string_view> names) : text_(std::move(text)) {
    std::size_t done = 0;
    const std::string_view* name = names.begin();
    for_each_place(
        text_, names.size(), [&](std::size_t i) { return name[i]; },
        [&](std::size_t open, std::size_t close, std::size_t i) {
            pieces_.push_back(Piece{done, open - done, static_cast<int>(i), close + 1 - open});
            done = close + 1;
        });
    pieces_.push_back(Piece{done, text_.size() - done, -1, 0});
}

std::string Pattern::fill(std::initializer_list<std::string_view> values) const {
    const std::string_view* value = values.begin();
    auto given = [&](const Piece& p) { return p.name >= 0 && static_cast<std::size_t>(p.name) < values.size(); };
    std::size_t size = text_.size();
    for (const Piece& p : pieces_)
        if (given(p)) size += value[p.name].size();
    std::string out;
    out.reserve(size);
    for (const Piece& p : pieces_) {
        out.append(text_, p.from, p.size);
        if (given(p))
            out += value[p.name];
        else if (p.name >= 0)
            out.append(text_, p.from + p.size, p.place);
    }
    return out;
}

void Strings::remember() {
    for (int m = 1; m <= 12; ++m) months_[m - 1] = get("month_" + std::to_string(m));
    date_ = Pattern(get("date"), {"year", "month", "day", "month_name"});
    period_month_ = Pattern(get("period_month"), {"year", "month", "month_name"});
    period_months_ = Pattern(get("period_months"), {"year", "from", "to", "from_name", "to_name"});
    period_dates_ = Pattern(get("period_dates"), {"from", "to"});
    percent_ = Pattern(get("percent"), {"value"});
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
    return date_.fill({year.view(), month.view(), day.view(), month_name(d.month)});
}

std::string Strings::period(const Date& start, const Date& end) const {
    bool whole_months = start.day == 1 && Date::from_days(end.days() + 1).day == 1;
    if (whole_months && start.year == end.year) {
        Digits year(end.year), from(start.month), to(end.month);
        if (start.month == end.month) return period_month_.fill({year.view(), to.view(), month_name(end.month)});
        return period_months_.fill(
            {year.view(), from.view(), to.view(), month_name(start.month), month_name(end.month)});
    }
    return period_dates_.fill({date(start), date(end)});
}

std::string Strings::percent(double value) const { return percent_.fill({format_number(value)}); }

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
