#include "content/toml_reader.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "utf8.h"

namespace gongkai {

namespace {

// Dotted keys with more parts than this are refused before toml++ sees them: it builds and walks
// the nested tables recursively, and a key of a hundred thousand parts exhausts the stack.
constexpr std::size_t max_key_parts = 64;
// Nesting of arrays and inline tables; toml++ itself stops at 256.
constexpr std::size_t max_value_nesting = 64;

struct DepthProblem {
    std::size_t line;
    std::string message;
};

// Scans TOML text for keys with too many parts and values nested too deeply, skipping strings and
// comments. A run of key characters between separators holds at most one dot when it is a number
// (1.5, 07:32:00.999), so more dots than max_key_parts in one run can only be a dotted key.
std::optional<DepthProblem> find_deep_toml(std::string_view text) {
    std::size_t line = 1, dots = 0, nesting = 0;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto skip_string = [&](char quote) {
        bool multi = i + 2 < n && text[i + 1] == quote && text[i + 2] == quote;
        i += multi ? 3 : 1;
        while (i < n) {
            char c = text[i];
            if (c == '\n') {
                ++line;
                if (!multi) return;
            } else if (c == '\\' && quote == '"') {
                if (i + 1 < n && text[i + 1] == '\n') ++line;
                i += 2;
                continue;
            } else if (c == quote) {
                if (!multi) {
                    ++i;
                    return;
                }
                if (i + 2 < n && text[i + 1] == quote && text[i + 2] == quote) {
                    i += 3;
                    while (i < n && text[i] == quote) ++i;  // """a"""" ends with a quote inside
                    return;
                }
            }
            ++i;
        }
    };
    while (i < n) {
        char c = text[i];
        switch (c) {
        case '"':
        case '\'':
            skip_string(c);
            continue;
        case '#':
            while (i < n && text[i] != '\n') ++i;
            continue;
        case '\n':
            ++line;
            dots = 0;
            break;
        case '.':
            if (++dots > max_key_parts)
                return DepthProblem{line, "a key with more than " + std::to_string(max_key_parts) +
                                              " dotted parts; gongkai reads at most that many"};
            break;
        case '[':
        case '{':
            dots = 0;
            if (++nesting > max_value_nesting)
                return DepthProblem{line, "arrays or tables nested more than " + std::to_string(max_value_nesting) +
                                              " deep; gongkai reads at most that many"};
            break;
        case ']':
        case '}':
            dots = 0;
            if (nesting > 0) --nesting;
            break;
        case '=':
        case ',':
            dots = 0;
            break;
        default:
            break;
        }
        ++i;
    }
    return std::nullopt;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string_view line_at(std::string_view text, std::size_t line) {
    std::size_t pos = 0;
    for (std::size_t l = 1; l < line; ++l) {
        pos = text.find('\n', pos);
        if (pos == std::string_view::npos) return {};
        ++pos;
    }
    std::size_t end = text.find('\n', pos);
    return text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
}

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length in code points, as toml++ counts columns.
std::size_t characters(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Advice for the mistakes editors make most, read from the line toml++ could not parse; "" when
// none fits.
std::string advice_for(std::string_view line, std::size_t column, std::string_view description) {
    std::string_view value;
    std::string_view key;
    if (auto eq = line.find('='); eq != std::string_view::npos) {
        key = trim(line.substr(0, eq));
        value = trim(line.substr(eq + 1));
        if (auto hash = value.find(" #"); hash != std::string_view::npos && value.front() != '"')
            value = trim(value.substr(0, hash));
    }
    if (contains(description, "cannot redefine") || contains(description, "redefinition"))
        return "each key and table may appear only once; delete or rename the second one";
    if (contains(line, "\xEF\xBC\x9A") && !contains(line, "="))  // a full-width colon
        return "write key = value with an ASCII '=', not '：'";
    if (contains(line, "\xEF\xBC\x9D"))  // a full-width equals sign
        return "write key = value with an ASCII '=', not '＝'";
    if (key.empty() && contains(line, ":") && !contains(line, "=") && !trim(line).starts_with("["))
        return "TOML writes key = value, not key: value";
    if (value.empty()) return "";
    if (value.starts_with("\xE2\x80\x9C") || value.starts_with("\xE2\x80\x98") || value.starts_with("\xE3\x80\x8C"))
        return "put text in straight double quotes \"…\", not “…” or 「…」";
    if (value.starts_with("\"") && contains(description, "control characters") &&
        column > characters(line.ends_with('\r') ? line.substr(0, line.size() - 1) : line))
        return "the string is never closed: end it with \" on the same line, or use \"\"\" for text of several lines";
    if (value.ends_with("%")) return "write a percentage as a number without '%': 90, not 90%";
    if (value == "yes" || value == "no" || value == "True" || value == "False" || value == "TRUE" ||
        value == "FALSE" || value == "是" || value == "否")
        return "write true or false, in lower case and without quotes";
    if (is_digit(value.front())) {
        bool slash = contains(value, "/"), dots = value.find('.') != value.rfind('.');
        bool cjk = contains(value, "年") || contains(value, "月");
        bool short_part = value.size() >= 5 && value[4] == '-' && !(value.size() >= 10 && value[7] == '-');
        bool datetime = value.size() > 10 && value[4] == '-' && value[10] == ' ';
        if (slash || dots || cjk || short_part || datetime || contains(description, "date"))
            return "write a date as 2020-10-21: year-month-day with two-digit month and day, no quotes";
    }
    if (static_cast<unsigned char>(value.front()) == 0xEF && value.size() >= 3 &&
        static_cast<unsigned char>(value[1]) == 0xBC && static_cast<unsigned char>(value[2]) >= 0x90 &&
        static_cast<unsigned char>(value[2]) <= 0x99)
        return "write numbers with ASCII digits (90), not full-width ones (９０)";
    if (contains(description, "could not determine value type"))
        return "put text in double quotes: " + std::string(key.empty() ? "key" : key) + " = \"…\"";
    return "";
}

}  // namespace

std::optional<toml::table> parse_toml(const std::string& text, const std::string& path, std::size_t first_line,
                                      Diagnostics& diagnostics) {
    if (auto deep = find_deep_toml(text)) {
        diagnostics.error(path, deep->line + first_line - 1, 0, "", "invalid TOML: " + deep->message);
        return std::nullopt;
    }
    try {
        return toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        std::size_t line = where.line ? where.line + first_line - 1 : first_line;
        std::string message = "invalid TOML: " + printable(e.description(), 300);
        std::string advice = advice_for(line_at(text, where.line), where.column, e.description());
        if (!advice.empty()) message += "; " + advice;
        diagnostics.error(path, line, where.column, "", message);
        return std::nullopt;
    }
}

std::string describe_type(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a decimal number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date with a time";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "nothing";
    }
}

TomlReader::TomlReader(const toml::table& table, std::string path, std::size_t first_line, Diagnostics& diagnostics,
                       std::string key_prefix)
    : table_(table), path_(std::move(path)), first_line_(first_line), diagnostics_(diagnostics),
      prefix_(std::move(key_prefix)) {}

std::size_t TomlReader::line_of(const toml::node* node) const {
    const toml::node* n = node ? node : &table_;
    auto line = n->source().begin.line;
    return line ? line + first_line_ - 1 : 0;
}

std::size_t TomlReader::column_of(const toml::node* node) const {
    const toml::node* n = node ? node : &table_;
    return n->source().begin.line ? n->source().begin.column : 0;
}

std::string TomlReader::key_name(std::string_view key) const {
    // Keys come from the content: a quoted key may hold anything, so it is shown escaped.
    std::string shown = printable(key, 120);
    return prefix_.empty() ? shown : prefix_ + "." + shown;
}

void TomlReader::error(std::string_view key, const toml::node* node, std::string message) {
    diagnostics_.error(path_, line_of(node), column_of(node), key_name(key), std::move(message));
}

void TomlReader::warning(std::string_view key, const toml::node* node, std::string message) {
    diagnostics_.warning(path_, line_of(node), column_of(node), key_name(key), std::move(message));
}

const toml::node* TomlReader::get(std::string_view key, bool required, std::string_view expected) {
    seen_.emplace(key);
    const toml::node* node = table_.get(key);
    if (!node && required) {
        diagnostics_.error(path_, line_of(nullptr), 0, key_name(key),
                           "missing required key; add " + std::string(key) + " = " + std::string(expected));
    }
    return node;
}

std::optional<std::string> TomlReader::string(std::string_view key, bool required) {
    const toml::node* node = get(key, required, "\"…\"");
    if (!node) return std::nullopt;
    if (auto v = node->value<std::string>(); v && node->is_string()) {
        if (required && v->find_first_not_of(" \t\r\n") == std::string::npos) {
            error(key, node, "must not be empty");
            return std::nullopt;
        }
        return v;
    }
    error(key, node, "expected a string in quotes, found " + describe_type(*node));
    return std::nullopt;
}

std::optional<std::int64_t> TomlReader::integer(std::string_view key, bool required, std::int64_t min,
                                                std::int64_t max) {
    const toml::node* node = get(key, required, std::to_string(std::clamp<std::int64_t>(2020, min, max)));
    if (!node) return std::nullopt;
    if (!node->is_integer()) {
        error(key, node, "expected a whole number, found " + describe_type(*node));
        return std::nullopt;
    }
    std::int64_t v = node->as_integer()->get();
    if (v < min || v > max) {
        error(key, node, std::to_string(v) + " is out of range: expected " + std::to_string(min) + " to " +
                             std::to_string(max));
        return std::nullopt;
    }
    return v;
}

std::optional<bool> TomlReader::boolean(std::string_view key, bool required) {
    const toml::node* node = get(key, required, "true");
    if (!node) return std::nullopt;
    if (!node->is_boolean()) {
        std::string hint;
        if (node->is_string()) hint = "; write true or false without quotes";
        error(key, node, "expected true or false, found " + describe_type(*node) + hint);
        return std::nullopt;
    }
    return node->as_boolean()->get();
}

std::optional<Date> TomlReader::date(std::string_view key, bool required) {
    const toml::node* node = get(key, required, "2020-10-21");
    if (!node) return std::nullopt;
    if (node->is_date()) {
        auto d = node->as_date()->get();
        return Date{d.year, d.month, d.day};
    }
    std::string hint = " (a date is written 2020-10-21, without quotes)";
    if (node->is_date_time()) {
        error(key, node, "expected a date without a time" + hint);
    } else {
        error(key, node, "expected a date, found " + describe_type(*node) + hint);
    }
    return std::nullopt;
}

std::optional<double> TomlReader::percent(std::string_view key, bool required) {
    const toml::node* node = get(key, required, "90");
    if (!node) return std::nullopt;
    double v;
    if (node->is_integer()) {
        v = static_cast<double>(node->as_integer()->get());
    } else if (node->is_floating_point()) {
        v = node->as_floating_point()->get();
        if (!std::isfinite(v)) {
            error(key, node, "expected a percentage from 0 to 100, found a value that is not a number");
            return std::nullopt;
        }
    } else {
        std::string hint;
        if (node->is_string()) {
            hint = "; write the number without quotes or '%' (90, not \"90%\")";
        }
        error(key, node, "expected a percentage from 0 to 100, found " + describe_type(*node) + hint);
        return std::nullopt;
    }
    if (v < 0 || v > 100) {
        std::ostringstream s;
        s << v << " is out of range: a percentage is from 0 to 100";
        error(key, node, s.str());
        return std::nullopt;
    }
    // 0.9 is almost always 90% written as a fraction; publishing "0.9%" would misreport the
    // item, so it is refused. A completion under 1% is written 0.
    if (v > 0 && v < 1) {
        std::ostringstream s;
        s << "read as " << v << "%, which looks like a fraction: write the percentage (" << v * 100
          << "); a completion under 1% is written 0";
        error(key, node, s.str());
        return std::nullopt;
    }
    return v;
}

std::vector<std::string> TomlReader::string_array(std::string_view key) {
    std::vector<std::string> out;
    const toml::node* node = get(key, false, "[\"…\"]");
    if (!node) return out;
    const toml::array* arr = node->as_array();
    if (!arr) {
        error(key, node, "expected an array of strings like [\"a\", \"b\"], found " + describe_type(*node));
        return out;
    }
    for (const auto& el : *arr) {
        if (auto s = el.value<std::string>(); s && el.is_string()) {
            out.push_back(*s);
        } else {
            error(key, &el, "expected a string in the array, found " + describe_type(el));
        }
    }
    return out;
}

std::vector<const toml::table*> TomlReader::table_array(std::string_view key) {
    std::vector<const toml::table*> out;
    const toml::node* node = get(key, false, "[[…]]");
    if (!node) return out;
    const toml::array* arr = node->as_array();
    if (!arr) {
        error(key, node, "expected an array of tables written [[" + std::string(key) + "]], found " +
                             describe_type(*node));
        return out;
    }
    for (const auto& el : *arr) {
        if (const toml::table* t = el.as_table()) {
            out.push_back(t);
        } else {
            error(key, &el, "expected a table in the array, found " + describe_type(el));
        }
    }
    return out;
}

const toml::table* TomlReader::table(std::string_view key) {
    const toml::node* node = get(key, false, "{…}");
    if (!node) return nullptr;
    if (const toml::table* t = node->as_table()) return t;
    error(key, node, "expected a table written [" + std::string(key) + "], found " + describe_type(*node));
    return nullptr;
}

void TomlReader::finish(std::string_view allowed_hint) {
    for (const auto& [k, v] : table_) {
        if (seen_.contains(k.str())) continue;
        // Pointed at by the key's own position where toml++ knows it, else by its value's.
        const auto& where = k.source().begin;
        std::size_t line = where.line ? where.line + first_line_ - 1 : line_of(&v);
        std::size_t column = where.line ? where.column : column_of(&v);
        diagnostics_.error(path_, line, column, key_name(k.str()),
                           "unknown key; expected one of: " + std::string(allowed_hint));
    }
}

std::optional<Contact> read_contact(TomlReader& parent, const toml::table& table, const std::string& key) {
    TomlReader r(table, parent.path(), parent.first_line(), parent.diagnostics(), key);
    Contact c;
    auto name = r.string("name", true);
    c.role = r.string("role").value_or("");
    c.phone = r.string("phone").value_or("");
    c.email = r.string("email").value_or("");
    r.finish("name, role, phone, email");
    if (!name) return std::nullopt;
    c.name = *name;
    return c;
}

}  // namespace gongkai
