#pragma once

#include <string>
#include <string_view>

namespace gongkai {

// Escapes text for HTML and XML content and attribute values (& < > " ') and drops the control
// characters that XML forbids, so any text can go into a page, a feed or an SVG chart.
std::string escape_html(std::string_view text);
// The same, added to the end of out.
void append_escaped_html(std::string& out, std::string_view text);

// A number as people write it: no trailing zeros, at most two decimals ("90", "87.5").
std::string format_number(double value);

}  // namespace gongkai
