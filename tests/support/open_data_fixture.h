#pragma once

#include <cstdint>
#include <string>

#include "analysis.h"
#include "content/model.h"

namespace gongkai::test {

// A small library for the open-data and feed tests: two departments, projects with Chinese text,
// a title with markup, a contact that looks like a spreadsheet formula, and a history with an
// amendment, a truncated record and a project file.
extern const std::string open_data_base;  // "https://example.org/progress/"

// Seconds since the epoch of a local time at a UTC offset in minutes.
std::int64_t local_time(Date d, int hour, int minute, int offset);

// A report with the given period and date, the rest left empty.
Report open_data_report(const std::string& project, const std::string& id, Date start, Date end, Date date);
Library open_data_library();
Analysis open_data_analysis(const Library& lib);

}  // namespace gongkai::test
