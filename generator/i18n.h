#pragma once

#include <array>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "content/model.h"

namespace gongkai {

// A string with "{name}" places for a fixed list of names, split once into its pieces: fill()
// gives what Strings::format would, without looking for the places again. A site fills the same
// few (a date, a period, a percentage) hundreds of thousands of times.
class Pattern {
public:
    Pattern() = default;
    Pattern(std::string text, std::initializer_list<std::string_view> names);
    // The text with the place of each name given its value: values in the order of names. A
    // name left without a value (fewer values than names) keeps its "{name}", as format() keeps
    // a place it is given no value for.
    std::string fill(std::initializer_list<std::string_view> values) const;

private:
    struct Piece {
        std::size_t from = 0, size = 0;  // text as it stands
        int name = -1;                   // then the value of this name, if any,
        std::size_t place = 0;           // in place of its "{name}", of this many bytes
    };
    std::string text_;
    std::vector<Piece> pieces_;
};

// The theme's strings in the site's language, and the labels gongkai builds from them.
class Strings {
public:
    // A value to put in place of "{name}" in a string.
    using Value = std::pair<std::string_view, std::string_view>;

    Strings() { remember(); }
    explicit Strings(std::map<std::string, std::string> table) : table_(std::move(table)) { remember(); }

    // The string for key, or the key itself when the theme lacks it (visible, never a crash).
    const std::string& get(const std::string& key) const;
    // get(key) with each "{name}" replaced by its value.
    std::string format(const std::string& key, std::initializer_list<Value> values) const;

    std::string date(const Date& d) const;
    // "2020 年 1–10 月" for whole months of one year; both dates otherwise.
    std::string period(const Date& start, const Date& end) const;
    std::string percent(double value) const;
    std::string item_number(const std::string& number) const;
    // Joins with the language's list separator ("、" or ", ").
    std::string join(const std::vector<std::string>& items) const;

    const std::map<std::string, std::string>& table() const { return table_; }

private:
    static std::string fill(const std::string& pattern, std::initializer_list<Value> values);
    // Looks up once the strings every date and percentage uses (a site writes thousands).
    void remember();

    std::string month_name(int month) const;

    std::map<std::string, std::string> table_;
    std::array<std::string, 12> months_;
    Pattern date_, period_month_, period_months_, period_dates_, percent_;
};

}  // namespace gongkai
