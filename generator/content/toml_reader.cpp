#include "content/toml_reader.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace gongkai {

std::optional<toml::table> parse_toml(const std::string& text, const std::string& path, std::size_t first_line,
                                      Diagnostics& diagnostics) {
    try {
        return toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        std::size_t line = where.line ? where.line + first_line - 1 : first_line;
        diagnostics.error(path, line, where.column, "", "invalid TOML: " + std::string(e.description()));
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
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
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
    if (v > 0 && v < 1 && node->is_floating_point()) {
        std::ostringstream s;
        s << "read as " << v << "%; if you meant a fraction, write the percentage instead (" << v * 100 << ")";
        warning(key, node, s.str());
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
        diagnostics_.error(path_, line_of(&v), column_of(&v), key_name(k.str()),
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
