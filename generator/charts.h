#pragma once

#include <optional>
#include <string>
#include <vector>

#include "content/model.h"

namespace gongkai {

// An inline SVG bar from 0 to 100 filled to percent, named for assistive technology by label
// ("完成率 90%"). The figure itself is also printed as text beside it by the templates, so the
// bar is never the only carrier of the number.
std::string completion_bar(double percent, const std::string& label);

// A point of a time series: a date and a percentage.
struct ChartPoint {
    Date date;
    double value = 0;
    std::string value_label;  // "90%"
};

// Completion over time against expected progress, for one project.
struct LineChart {
    std::string id;            // unique within a page: "progress-2020-043"
    std::string title;         // the accessible name
    std::string description;   // a sentence summarising the figures
    Date from;                 // the x axis: the project's duration
    Date to;
    std::vector<ChartPoint> actual;    // reported completion, one point per report
    std::vector<ChartPoint> expected;  // the expected-progress line's corners
    std::string actual_name;           // legend: "报告完成率"
    std::string expected_name;         // legend: "序时进度"
    std::vector<std::string> month_labels;  // 12 short month names for the x axis ticks
};
std::string line_chart(const LineChart& chart);

// One bar of a horizontal bar chart.
struct BarItem {
    std::string label;                 // "第 043 项 推进教育…" (shortened to fit)
    double value = 0;                  // 0..max
    std::string value_label;           // "90%" or "3"
    std::optional<double> marker;      // expected progress, drawn as a tick
    bool flagged = false;              // behind schedule: hatched, with flag_label as text
    std::string flag_label;            // "滞后"
};

struct BarChart {
    std::string id;
    std::string title;
    std::string description;
    std::vector<BarItem> items;
    double max = 100;
    bool percent_axis = true;          // 0–100% gridlines; otherwise counts
    std::string marker_name;           // legend for the tick: "序时进度"
    std::string flag_name;             // legend for hatching: "滞后于序时进度"
};
std::string bar_chart(const BarChart& chart);

// The chart as a file of its own: an XML declaration before the same markup.
std::string standalone_svg(const std::string& svg);

// Shortens UTF-8 text to about max_em ems (CJK characters count one, Latin about half), with "…".
std::string fit_label(const std::string& text, double max_em);

}  // namespace gongkai
