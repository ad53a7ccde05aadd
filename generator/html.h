#pragma once

#include <string>
#include <string_view>

namespace gongkai {

// Escapes text for HTML and XML content and attribute values (& < > " ').
std::string escape_html(std::string_view text);

// A number as people write it: no trailing zeros, at most two decimals ("90", "87.5").
std::string format_number(double value);

}  // namespace gongkai
