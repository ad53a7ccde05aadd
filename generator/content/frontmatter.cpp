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
    // Copied in runs between carriage returns: most files have none.
    std::size_t from = 0;
    for (std::size_t cr = text.find('\r'); cr != std::string_view::npos; cr = text.find('\r', cr + 1)) {
        if (cr + 1 < text.size() && text[cr + 1] == '\n') {
            out.append(text, from, cr - from);
            from = cr + 1;
        }
    }
    out.append(text, from, std::string_view::npos);
    return out;
}

std::string_view trim_spaces(std::string_view line) {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    return line;
}

}  // namespace

std::optional<FrontMatter> split_front_matter(std::string_view text, const std::string& path,
                                              Diagnostics& diagnostics) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        diagnostics.error(path, 1, 1, "", "the file is empty: it must start with front matter between two '+++' lines");
        return std::nullopt;
    }
    std::size_t pos = 0;
    std::string_view first = next_line(text, pos);
    if (!is_delimiter(first)) {
        if (first.starts_with("---"))
            diagnostics.error(path, 1, 1, "", "front matter is TOML between '+++' lines; found '---' (YAML) instead");
        else if (text.find('\n') == std::string_view::npos && text.find('\r') != std::string_view::npos)
            diagnostics.error(
                path, 1, 1, "",
                "the lines end with CR alone (old Mac line ends); save the file with LF or CRLF line ends");
        else if (trim_spaces(first) == "+++")
            diagnostics.error(path, 1, 1, "",
                              "expected front matter: '+++' must start at the beginning of the first line");
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
    // Say where the editor probably meant to close it.
    pos = toml_start;
    line = 1;
    while (pos < text.size()) {
        std::string_view current = next_line(text, pos);
        ++line;
        std::string_view bare = trim_spaces(current);
        if (bare == "+++") {
            diagnostics.error(path, line, 1, "",
                              "front matter is never closed: the '+++' on this line must start at the beginning of "
                              "the line");
            return std::nullopt;
        }
        if (bare == "---" || bare == "+++ " || bare.starts_with("+++")) {
            diagnostics.error(path, line, 1, "",
                              "front matter is never closed: the closing line must be exactly '+++', found '" +
                                  std::string(bare.substr(0, 20)) + "'");
            return std::nullopt;
        }
    }
    diagnostics.error(path, 1, 1, "", "front matter is never closed: add a line '+++' after the last key");
    return std::nullopt;
}

}  // namespace gongkai
