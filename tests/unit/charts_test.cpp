#include "charts.h"

#include <catch2/catch.hpp>

using namespace gongkai;

namespace {

// The width attribute of the bar's fill rectangle.
std::string fill_width(const std::string& svg) {
    const std::string marker = "class=\"gk-bar-fill\"";
    auto at = svg.find(marker);
    if (at == std::string::npos) return "(no fill)";
    auto width = svg.find("width=\"", at);
    auto end = svg.find('"', width + 7);
    return svg.substr(width + 7, end - width - 7);
}

}  // namespace

TEST_CASE("completion bar: the fill is as wide as the percentage", "[charts]") {
    CHECK(fill_width(completion_bar(90, "完成率 90%")) == "90");
    CHECK(fill_width(completion_bar(87.5, "完成率 87.5%")) == "87.5");
    CHECK(fill_width(completion_bar(0, "完成率 0%")) == "0");
    CHECK(fill_width(completion_bar(100, "完成率 100%")) == "100");
}

TEST_CASE("completion bar: values outside 0-100 are clamped", "[charts]") {
    CHECK(fill_width(completion_bar(130, "x")) == "100");
    CHECK(fill_width(completion_bar(-20, "x")) == "0");
}

TEST_CASE("completion bar: an image with an accessible name and a title", "[charts]") {
    std::string svg = completion_bar(90, "完成率 90%");
    CHECK(svg.starts_with("<svg "));
    CHECK(svg.ends_with("</svg>"));
    CHECK(svg.find("role=\"img\"") != std::string::npos);
    CHECK(svg.find("aria-label=\"完成率 90%\"") != std::string::npos);
    CHECK(svg.find("<title>完成率 90%</title>") != std::string::npos);
    CHECK(svg.find("viewBox=\"0 0 100 10\"") != std::string::npos);
}

TEST_CASE("completion bar: the label is escaped", "[charts]") {
    std::string svg = completion_bar(50, "\"><script>alert(1)</script>&");
    CHECK(svg.find("<script>") == std::string::npos);
    CHECK(svg.find("aria-label=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;\"") != std::string::npos);
    CHECK(svg.find("<title>&quot;&gt;&lt;script&gt;") != std::string::npos);
}
