#include "html.h"

#include <catch2/catch.hpp>

using namespace gongkai;

TEST_CASE("escape_html: the five characters that matter", "[html]") {
    CHECK(escape_html("a & b") == "a &amp; b");
    CHECK(escape_html("<script>") == "&lt;script&gt;");
    CHECK(escape_html("\"quoted\"") == "&quot;quoted&quot;");
    CHECK(escape_html("it's") == "it&#39;s");
    CHECK(escape_html("&amp;") == "&amp;amp;");
}

TEST_CASE("escape_html: other text is left as it is", "[html]") {
    CHECK(escape_html("") == "");
    CHECK(escape_html("长宁区教育局 {{site.title}} 90%") == "长宁区教育局 {{site.title}} 90%");
}

TEST_CASE("format_number: as people write percentages", "[html]") {
    CHECK(format_number(90) == "90");
    CHECK(format_number(87.5) == "87.5");
    CHECK(format_number(87.25) == "87.25");
    CHECK(format_number(33.333333) == "33.33");
    CHECK(format_number(66.666) == "66.67");
    CHECK(format_number(0) == "0");
    CHECK(format_number(100) == "100");
    CHECK(format_number(0.9) == "0.9");
    CHECK(format_number(-0.001) == "0");
    CHECK(format_number(99.999) == "100");
}
