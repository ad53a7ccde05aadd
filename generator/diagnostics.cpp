#include "diagnostics.h"

#include <algorithm>
#include <tuple>

#include "data.h"

namespace gongkai {

void Diagnostics::error(std::string path, std::size_t line, std::size_t column, std::string key, std::string message) {
    items_.push_back({Severity::error, std::move(path), line, column, std::move(key), std::move(message)});
}

void Diagnostics::warning(std::string path, std::size_t line, std::size_t column, std::string key, std::string message) {
    items_.push_back({Severity::warning, std::move(path), line, column, std::move(key), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
    return std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::size_t Diagnostics::warning_count() const { return items_.size() - error_count(); }

void Diagnostics::sort() {
    std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
    });
}

std::string format(const Diagnostic& d) {
    std::string out = d.path.empty() ? std::string("gongkai") : d.path;
    if (d.line > 0) {
        out += ':' + std::to_string(d.line);
        if (d.column > 0) out += ':' + std::to_string(d.column);
    }
    out += d.severity == Severity::error ? ": error: " : ": warning: ";
    if (!d.key.empty()) out += d.key + ": ";
    out += d.message;
    return out;
}

void print(std::ostream& out, const Diagnostics& diagnostics) {
    for (const auto& d : diagnostics.items()) out << format(d) << '\n';
}

std::optional<DiagnosticFormat> parse_diagnostic_format(std::string_view name) {
    if (name == "human") return DiagnosticFormat::human;
    if (name == "github") return DiagnosticFormat::github;
    if (name == "json") return DiagnosticFormat::json;
    return std::nullopt;
}

Advice split_advice(std::string_view message) {
    auto cut = [&](std::size_t at, std::size_t skip) {
        return Advice{std::string(message.substr(0, at)), std::string(message.substr(at + skip))};
    };
    if (auto at = message.find("; "); at != std::string_view::npos) {
        Advice a = cut(at, 2);
        if (a.instead.starts_with("expected one of: ")) a.instead = "one of: " + a.instead.substr(17);
        return a;
    }
    for (std::string_view marker : {": use ", ": add "})
        if (auto at = message.find(marker); at != std::string_view::npos) return cut(at, 2);
    // The advice some messages give last, in parentheses.
    for (std::string_view marker : {" (a date is written ", " (save "}) {
        auto at = message.find(marker);
        if (at != std::string_view::npos && message.ends_with(")")) {
            Advice a = cut(at, 2);
            a.instead.pop_back();
            return a;
        }
    }
    return {std::string(message), ""};
}

namespace {

// Decodes the code point at text[i] and advances i; a stray byte counts as one character.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    auto b = static_cast<unsigned char>(text[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + len > text.size()) len = 1;
    char32_t cp = len == 1 ? b : b & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    i += len;
    return cp;
}

// Terminal cells a character takes: two for East Asian wide and full-width characters.
int cell_width(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
                   (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
                   (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
                   (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD)
               ? 2
               : 1;
}

// The column (1-based, in characters) of the value of "key = value" on line, or 0.
std::size_t value_column(std::string_view line, std::string_view key) {
    if (auto dot = key.rfind('.'); dot != std::string_view::npos) key = key.substr(dot + 1);
    std::size_t start = line.find_first_not_of(" \t");
    if (key.empty() || start == std::string_view::npos || line.substr(start, key.size()) != key) return 0;
    std::size_t eq = line.find_first_not_of(" \t", start + key.size());
    if (eq == std::string_view::npos || line[eq] != '=') return 0;
    std::size_t value = line.find_first_not_of(" \t", eq + 1);
    if (value == std::string_view::npos) return 0;
    std::size_t column = 1;
    for (std::size_t i = 0; i < value;) {
        next_code_point(line, i);
        ++column;
    }
    return column;
}

}  // namespace

std::string source_excerpt(std::string_view line_text, std::size_t line, std::size_t column, std::string_view key) {
    while (!line_text.empty() && (line_text.back() == '\r' || line_text.back() == '\n')) line_text.remove_suffix(1);
    if (column == 0) column = value_column(line_text, key);
    if (column == 0) {
        std::size_t first = line_text.find_first_not_of(" \t");
        column = first == std::string_view::npos ? 1 : first + 1;  // leading blanks are one byte each
    }
    std::string number = std::to_string(line);
    std::string gutter(number.size() + 2, ' ');
    std::string out = "  " + number + " | " + std::string(line_text) + "\n" + gutter + " | ";
    // Tabs stay tabs so the caret lines up however the terminal sets its tab stops.
    std::size_t i = 0;
    for (std::size_t c = 1; c < column && i < line_text.size(); ++c) {
        if (line_text[i] == '\t') {
            out += '\t';
            ++i;
            continue;
        }
        out.append(static_cast<std::size_t>(cell_width(next_code_point(line_text, i))), ' ');
    }
    return out + "^\n";
}

namespace {

// Escaping of GitHub workflow commands: data escapes % CR LF; properties also ':' and ','.
std::string github_escape(std::string_view text, bool property) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '%': out += "%25"; break;
        case '\r': out += "%0D"; break;
        case '\n': out += "%0A"; break;
        case ':': out += property ? "%3A" : ":"; break;
        case ',': out += property ? "%2C" : ","; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace

std::string format_github(const Diagnostic& d) {
    std::string out = d.severity == Severity::error ? "::error" : "::warning";
    std::vector<std::string> props;
    if (!d.path.empty()) props.push_back("file=" + github_escape(d.path, true));
    if (!d.path.empty() && d.line > 0) props.push_back("line=" + std::to_string(d.line));
    if (!d.path.empty() && d.line > 0 && d.column > 0) props.push_back("col=" + std::to_string(d.column));
    props.push_back("title=" + github_escape(d.key.empty() ? "gongkai" : "gongkai: " + d.key, true));
    for (std::size_t i = 0; i < props.size(); ++i) out += (i == 0 ? " " : ",") + props[i];
    return out + "::" + github_escape(d.message, false);
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

std::string format_json(const Diagnostics& diagnostics) {
    auto number_or_null = [](std::size_t n) { return n > 0 ? std::to_string(n) : std::string("null"); };
    auto text_or_null = [](const std::string& s) { return s.empty() ? std::string("null") : json_string(s); };
    std::string out = "{\"ok\":" + std::string(diagnostics.has_errors() ? "false" : "true") +
                      ",\"errors\":" + std::to_string(diagnostics.error_count()) +
                      ",\"warnings\":" + std::to_string(diagnostics.warning_count()) + ",\"diagnostics\":[";
    bool first = true;
    for (const auto& d : diagnostics.items()) {
        Advice advice = split_advice(d.message);
        out += first ? "\n" : ",\n";
        first = false;
        out += "{\"severity\":" + json_string(d.severity == Severity::error ? "error" : "warning") +
               ",\"file\":" + text_or_null(d.path) + ",\"line\":" + number_or_null(d.line) +
               ",\"column\":" + number_or_null(d.line > 0 ? d.column : 0) + ",\"key\":" + text_or_null(d.key) +
               ",\"message\":" + json_string(d.message) + ",\"problem\":" + json_string(advice.problem) +
               ",\"instead\":" + text_or_null(advice.instead) + "}";
    }
    return out + (first ? "]}\n" : "\n]}\n");
}

}  // namespace gongkai
