#pragma once

#include <string>
#include <string_view>

namespace gongkai {

constexpr std::size_t max_id_length = 64;

// Ids become folder names and URLs: lower-case ASCII letters, digits and '-', starting with a
// letter or digit, and not a name Windows reserves for a device (con, nul, com1, …). Anything
// else could escape the output folder, collide on case-folding disks or fail to copy.
bool is_valid_id(std::string_view id);

// Why id is not valid, as the end of a sentence ("has upper-case letters; …"); "" when it is.
std::string id_problem(std::string_view id);

// Goal ids are shown, not used as paths: letters, digits, '.', '-'.
bool is_valid_goal_id(std::string_view id);

// True for the device names Windows reserves in every folder, with or without an extension:
// con, prn, aux, nul, com1-9, lpt1-9, in any case.
bool is_windows_device_name(std::string_view name);

// A relative path inside the site that cannot escape it and that every disk and web server can
// hold: UTF-8, no "..", no absolute paths, no backslashes, no empty or hidden segments, none of
// the characters Windows forbids (< > : " | ? *), no segment ending in '.' or ' ', no device names.
bool is_safe_relative_path(std::string_view path);

// The file name of a path without its folder and extension: "reports/a/2020-10.md" -> "2020-10".
std::string stem(std::string_view path);

}  // namespace gongkai
