#pragma once

#include <string>
#include <string_view>

namespace gongkai {

constexpr std::size_t max_id_length = 64;

// Ids become folder names and URLs: lower-case ASCII letters, digits and '-', starting with a
// letter or digit. Anything else could escape the output folder or collide on case-folding disks.
bool is_valid_id(std::string_view id);

// Goal ids are shown, not used as paths: letters, digits, '.', '-'.
bool is_valid_goal_id(std::string_view id);

// A relative path inside the site that cannot escape it: no "..", no absolute paths, no
// backslashes, no empty or hidden segments.
bool is_safe_relative_path(std::string_view path);

// The file name of a path without its folder and extension: "reports/a/2020-10.md" -> "2020-10".
std::string stem(std::string_view path);

}  // namespace gongkai
