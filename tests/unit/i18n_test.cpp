#include "i18n.h"

#include <catch2/catch.hpp>

using namespace gongkai;

namespace {

Strings chinese() {
    return Strings({{"item_number", "第 {number} 项"},
                    {"date", "{year} 年 {month} 月 {day} 日"},
                    {"period_months", "{year} 年 {from}–{to} 月"},
                    {"period_month", "{year} 年 {month} 月"},
                    {"period_dates", "{from} 至 {to}"},
                    {"percent", "{value}%"},
                    {"list_separator", "、"}});
}

Strings english() {
    return Strings({{"item_number", "Item {number}"},
                    {"date", "{day} {month_name} {year}"},
                    {"period_months", "{from_name}–{to_name} {year}"},
                    {"period_month", "{month_name} {year}"},
                    {"period_dates", "{from} to {to}"},
                    {"percent", "{value}%"},
                    {"list_separator", ", "},
                    {"month_1", "January"},
                    {"month_2", "February"},
                    {"month_10", "October"},
                    {"month_12", "December"}});
}

}  // namespace

TEST_CASE("strings: dates without leading zeros", "[i18n]") {
    CHECK(chinese().date(Date{2020, 10, 21}) == "2020 年 10 月 21 日");
    CHECK(chinese().date(Date{2021, 1, 5}) == "2021 年 1 月 5 日");
    CHECK(english().date(Date{2020, 10, 21}) == "21 October 2020");
}

TEST_CASE("strings: a period of whole months of one year", "[i18n]") {
    CHECK(chinese().period(Date{2020, 1, 1}, Date{2020, 10, 31}) == "2020 年 1–10 月");
    CHECK(english().period(Date{2020, 1, 1}, Date{2020, 10, 31}) == "January–October 2020");
    // February of a leap year ends on the 29th.
    CHECK(chinese().period(Date{2020, 1, 1}, Date{2020, 2, 29}) == "2020 年 1–2 月");
    CHECK(chinese().period(Date{2020, 10, 1}, Date{2020, 10, 31}) == "2020 年 10 月");
    CHECK(english().period(Date{2020, 12, 1}, Date{2020, 12, 31}) == "December 2020");
}

TEST_CASE("strings: any other period shows both dates", "[i18n]") {
    CHECK(chinese().period(Date{2020, 1, 1}, Date{2020, 10, 21}) == "2020 年 1 月 1 日 至 2020 年 10 月 21 日");
    CHECK(chinese().period(Date{2020, 10, 1}, Date{2021, 3, 31}) == "2020 年 10 月 1 日 至 2021 年 3 月 31 日");
    CHECK(chinese().period(Date{2020, 2, 1}, Date{2020, 2, 28}) == "2020 年 2 月 1 日 至 2020 年 2 月 28 日");
}

TEST_CASE("strings: percentages and item numbers", "[i18n]") {
    CHECK(chinese().percent(90) == "90%");
    CHECK(chinese().percent(87.5) == "87.5%");
    CHECK(chinese().item_number("043") == "第 043 项");
    CHECK(english().item_number("043") == "Item 043");
    CHECK(chinese().item_number("") == "");
}

TEST_CASE("strings: lists are joined with the language's separator", "[i18n]") {
    CHECK(chinese().join({"宗宏", "黄丽灵"}) == "宗宏、黄丽灵");
    CHECK(english().join({"a", "b", "c"}) == "a, b, c");
    CHECK(chinese().join({"宗宏"}) == "宗宏");
    CHECK(chinese().join({}) == "");
}

TEST_CASE("strings: a missing key shows the key, an unknown placeholder stays", "[i18n]") {
    Strings s(std::map<std::string, std::string>{{"greeting", "你好 {name}，{unknown}"}});
    CHECK(s.get("nothing_here") == "nothing_here");
    CHECK(s.format("greeting", {{"name", "宗宏"}}) == "你好 宗宏，{unknown}");
    // A value is inserted as it is, never read again for placeholders.
    CHECK(s.format("greeting", {{"name", "{name}"}}) == "你好 {name}，{unknown}");
}

TEST_CASE("strings: dates and percentages in a theme that lacks some strings", "[i18n]") {
    Strings s(std::map<std::string, std::string>{{"date", "{month_name} {day}, {{year}} {"}});
    // A missing month name shows its key, a brace that opens nothing stays, and a placeholder
    // inside braces is still filled.
    CHECK(s.date(Date{2020, 10, 21}) == "month_10 21, {2020} {");
    CHECK(s.percent(87.5) == "percent");
    CHECK(s.period(Date{2020, 1, 1}, Date{2020, 10, 31}) == "period_months");
    CHECK(s.period(Date{2020, 1, 1}, Date{2020, 10, 21}) == "period_dates");
    // Copies hold their own strings.
    Strings copy = s;
    s = Strings();
    CHECK(copy.date(Date{2021, 1, 5}) == "month_1 5, {2021} {");
}

TEST_CASE("strings: dates, periods and percentages fill as format() fills the same string", "[i18n]") {
    // date(), period() and percent() split their strings once; format() looks for the places
    // each time. Both must give the same text for any string a theme may hold.
    const char* patterns[] = {"{year} 年 {month} 月 {day} 日",
                              "{day} {month_name} {year}",
                              "{{year}}",
                              "{year}{year}{",
                              "}{month}{",
                              "{ {day} }",
                              "{month_name{day}}",
                              "{}{year}{unknown}{day",
                              "",
                              "no places at all",
                              "{year} {from} {to} {from_name} {to_name} {value} {month} {month_name} {day}"};
    const Date dates[] = {Date{2020, 10, 21}, Date{2021, 1, 5}, Date{1999, 12, 31}};
    for (const char* pattern : patterns) {
        INFO(pattern);
        Strings s(std::map<std::string, std::string>{{"date", pattern},
                                                     {"period_month", pattern},
                                                     {"period_months", pattern},
                                                     {"period_dates", pattern},
                                                     {"percent", pattern},
                                                     {"month_1", "一月"},
                                                     {"month_10", "October"},
                                                     {"month_12", "December"}});
        for (const Date& d : dates) {
            const std::string year = std::to_string(d.year), month = std::to_string(d.month),
                              day = std::to_string(d.day);
            const std::string name = s.get("month_" + month);
            CHECK(s.date(d) == s.format("date", {{"year", year}, {"month", month}, {"day", day}, {"month_name", name}}));
            // Several whole months, one whole month, and two dates.
            CHECK(s.period(Date{d.year, 1, 1}, Date{d.year, 12, 31}) ==
                  s.format("period_months", {{"year", year},
                                             {"from", "1"},
                                             {"to", "12"},
                                             {"from_name", s.get("month_1")},
                                             {"to_name", s.get("month_12")}}));
            CHECK(s.period(Date{d.year, 10, 1}, Date{d.year, 10, 31}) ==
                  s.format("period_month", {{"year", year}, {"month", "10"}, {"month_name", s.get("month_10")}}));
            CHECK(s.period(d, Date{2030, 2, 3}) ==
                  s.format("period_dates", {{"from", s.date(d)}, {"to", s.date(Date{2030, 2, 3})}}));
        }
        CHECK(s.percent(87.5) == s.format("percent", {{"value", "87.5"}}));
    }
}

TEST_CASE("strings: a pattern given fewer values than names keeps the places left without one", "[i18n]") {
    const Pattern date("{year} 年 {month} 月 {day} 日", {"year", "month", "day"});
    CHECK(date.fill({"2020", "10", "21"}) == "2020 年 10 月 21 日");
    CHECK(date.fill({"2020"}) == "2020 年 {month} 月 {day} 日");
    CHECK(date.fill({}) == "{year} 年 {month} 月 {day} 日");
    CHECK(Pattern().fill({"x"}) == "");
}
