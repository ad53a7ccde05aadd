#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "diagnostics.h"

namespace gongkai {

// A Markdown file cut into its TOML front matter and its body.
struct FrontMatter {
    std::string toml;            // the lines between the two "+++" lines
    std::string body;            // everything after the closing "+++"
    std::size_t toml_line = 2;   // line of the file where toml starts
    std::size_t body_line = 0;   // line of the file where body starts
};

// Splits text that starts with a "+++" line. A UTF-8 byte order mark is skipped and CRLF line
// ends are accepted. Reports to diagnostics (naming path) and returns nothing when the front
// matter is missing or never closed.
std::optional<FrontMatter> split_front_matter(std::string_view text, const std::string& path,
                                              Diagnostics& diagnostics);

}  // namespace gongkai
