#include "content/frontmatter.h"

namespace gongkai {

namespace {

// The line starting at pos without its "\n" or "\r\n"; pos moves past it.
std::string_view next_line(std::string_view text, std::size_t& pos) {
    std::size_t end = text.find('\n', pos);
    std::size_t stop = end == std::string_view::npos ? text.size() : end;
    std::string_view line = text.substr(pos, stop - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    return line;
}

bool is_delimiter(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    return line == "+++";
}

std::string without_cr(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        out += text[i];
    }
    return out;
}

}  // namespace

std::optional<FrontMatter> split_front_matter(std::string_view text, const std::string& path,
                                              Diagnostics& diagnostics) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::size_t pos = 0;
    std::string_view first = next_line(text, pos);
    if (!is_delimiter(first)) {
        if (first.starts_with("---"))
            diagnostics.error(path, 1, 1, "", "front matter is TOML between '+++' lines; found '---' (YAML) instead");
        else
            diagnostics.error(path, 1, 1, "", "expected front matter: the first line must be '+++'");
        return std::nullopt;
    }
    std::size_t toml_start = pos;
    std::size_t line = 1;
    while (pos < text.size()) {
        std::size_t line_start = pos;
        std::string_view current = next_line(text, pos);
        ++line;
        if (is_delimiter(current)) {
            FrontMatter fm;
            fm.toml = without_cr(text.substr(toml_start, line_start - toml_start));
            fm.body = without_cr(text.substr(pos));
            fm.toml_line = 2;
            fm.body_line = line + 1;
            return fm;
        }
    }
    diagnostics.error(path, 1, 1, "", "front matter is never closed: add a line '+++' after the last key");
    return std::nullopt;
}

}  // namespace gongkai
