#pragma once

#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "content/model.h"
#include "diagnostics.h"

namespace gongkai {

// Parses TOML text that starts at first_line of the file path; reports a syntax error with its
// line and column and returns nothing.
std::optional<toml::table> parse_toml(const std::string& text, const std::string& path, std::size_t first_line,
                                      Diagnostics& diagnostics);

// Reads typed keys from one TOML table, reporting every missing, mistyped or out-of-range key
// and, at finish(), every key nobody asked for.
class TomlReader {
public:
    TomlReader(const toml::table& table, std::string path, std::size_t first_line, Diagnostics& diagnostics,
               std::string key_prefix = "");

    std::optional<std::string> string(std::string_view key, bool required = false);
    std::optional<std::int64_t> integer(std::string_view key, bool required, std::int64_t min, std::int64_t max);
    std::optional<bool> boolean(std::string_view key, bool required = false);
    std::optional<Date> date(std::string_view key, bool required = false);
    // A percentage from 0 to 100, integer or decimal.
    std::optional<double> percent(std::string_view key, bool required = false);
    std::vector<std::string> string_array(std::string_view key);
    // An array of tables ([[key]]); reports any element that is not a table.
    std::vector<const toml::table*> table_array(std::string_view key);
    const toml::table* table(std::string_view key);

    // Reports every key of the table that no accessor asked for.
    void finish(std::string_view allowed_hint);

    // Line in the file of a node, or of the table itself when node is null.
    std::size_t line_of(const toml::node* node) const;
    std::size_t column_of(const toml::node* node) const;
    std::string key_name(std::string_view key) const;
    const std::string& path() const { return path_; }
    std::size_t first_line() const { return first_line_; }
    Diagnostics& diagnostics() { return diagnostics_; }
    // Reports a problem with the value of key.
    void error(std::string_view key, const toml::node* node, std::string message);
    void warning(std::string_view key, const toml::node* node, std::string message);

private:
    const toml::node* get(std::string_view key, bool required, std::string_view expected);

    const toml::table& table_;
    std::string path_;
    std::size_t first_line_;
    Diagnostics& diagnostics_;
    std::string prefix_;
    std::set<std::string, std::less<>> seen_;
};

// "a string", "an integer", … for messages.
std::string describe_type(const toml::node& node);

// Reads a contact table.
std::optional<Contact> read_contact(TomlReader& parent, const toml::table& table, const std::string& key);

}  // namespace gongkai
