#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "content/model.h"

namespace gongkai {

// The theme's strings in the site's language, and the labels gongkai builds from them.
class Strings {
public:
    Strings() = default;
    explicit Strings(std::map<std::string, std::string> table) : table_(std::move(table)) {}

    // The string for key, or the key itself when the theme lacks it (visible, never a crash).
    const std::string& get(const std::string& key) const;
    // get(key) with each "{name}" replaced by its value.
    std::string format(const std::string& key, const std::vector<std::pair<std::string, std::string>>& values) const;

    std::string date(const Date& d) const;
    // "2020 年 1–10 月" for whole months of one year; both dates otherwise.
    std::string period(const Date& start, const Date& end) const;
    std::string percent(double value) const;
    std::string item_number(const std::string& number) const;
    // Joins with the language's list separator ("、" or ", ").
    std::string join(const std::vector<std::string>& items) const;

    const std::map<std::string, std::string>& table() const { return table_; }

private:
    std::string month_name(int month) const;
    std::map<std::string, std::string> table_;
};

}  // namespace gongkai
