#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "content/model.h"

namespace gongkai {

// The text of the files `gongkai new` writes. Each is valid as written, with placeholders where
// only the editor knows the value and comments (in the site's language) saying what to fill in.

std::string site_skeleton(const std::string& title, const std::string& language);
std::string department_skeleton(const std::string& id, const std::string& name, const std::string& language);
std::string project_skeleton(const std::string& title, const std::string& department, int year,
                             const std::string& language);

// The dates a period id names: "2020-10" (October 2020), "2020-q3", "2020-h1", "2020".
struct PeriodDates {
    Date start;
    Date end;
};
std::optional<PeriodDates> period_dates(std::string_view period);

// The id of the period of the site's calendar that holds today ("2020-10", "2020-q4", …).
std::string current_period(const Calendar& calendar, const Date& today);

// A new report of project for period: its dates; its contacts, addressee, signature and last
// figures carried over from previous; its sections the headings of previous (or, for a first
// report, the usual three parts with the project's goals), with the text left empty.
std::string report_skeleton(const Project& project, const Report* previous, const std::string& period,
                            const PeriodDates& dates, const Date& today, const std::string& language);

// The ## to #### headings of a Markdown text, one blank line apart, without the text between.
std::string heading_outline(std::string_view markdown);

// Text as a TOML basic string, quotes included.
std::string toml_quote(std::string_view text);

}  // namespace gongkai
