#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gongkai {

enum class Severity { warning, error };

// One problem found in the content, located as precisely as the input allows.
struct Diagnostic {
    Severity severity = Severity::error;
    std::string path;  // path of the file in the repository ("" for the repository itself)
    std::size_t line = 0;  // 1-based; 0 when unknown
    std::size_t column = 0;  // 1-based, in characters (code points); 0 when unknown
    std::string key;  // the TOML key involved, if any ("period_end", "goals[2].id")
    std::string message;
};

// Collects every problem of a run, so an editor sees all of them at once.
class Diagnostics {
public:
    void error(std::string path, std::size_t line, std::size_t column, std::string key, std::string message);
    void warning(std::string path, std::size_t line, std::size_t column, std::string key, std::string message);
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void append(const Diagnostics& other);

    bool has_errors() const;
    std::size_t error_count() const;
    std::size_t warning_count() const;
    const std::vector<Diagnostic>& items() const { return items_; }

    // Orders by path, line, column so output is stable whatever order files were read in.
    void sort();

private:
    std::vector<Diagnostic> items_;
};

// "content/reports/x/2020-10.md:4:1: error: period_end: expected a date, found a string"
std::string format(const Diagnostic& d);
void print(std::ostream& out, const Diagnostics& diagnostics);

// How `gongkai check --format` prints: for people, for GitHub Actions, for programs.
enum class DiagnosticFormat { human, github, json };
std::optional<DiagnosticFormat> parse_diagnostic_format(std::string_view name);

// A message cut into the problem and what to write instead: "expected true or false, found a
// string; write true or false without quotes" -> {"expected true or false, found a string",
// "write true or false without quotes"}. instead is "" when the message gives no advice.
struct Advice {
    std::string problem;
    std::string instead;
};
Advice split_advice(std::string_view message);

// The offending line as people see it in an editor, with a caret under the spot:
//   "  5 | completion = \"90%\"\n    |              ^\n"
// The column counts characters; wide (CJK) characters take two cells. Without a column, the
// caret goes under key's value when the line sets key, else under the line's first character.
std::string source_excerpt(std::string_view line_text, std::size_t line, std::size_t column, std::string_view key);

// "::error file=reports/a/2020-10.md,line=5,col=14,title=completion::expected …", the GitHub
// Actions workflow command that puts the message on the file's line in a pull request.
std::string format_github(const Diagnostic& d);

// The diagnostics as one JSON document:
// {"ok":false,"errors":1,"warnings":0,"diagnostics":[{"severity":"error","file":…,"line":5,
//  "column":14,"key":"completion","message":…,"problem":…,"instead":…}]}
// line, column, file and key are null when unknown.
std::string format_json(const Diagnostics& diagnostics);

// Text as a JSON string literal, quotes included, escaped as the data downloads' strings are
// (append_json_string): < > & and U+2028/U+2029 too, so the output is safe inside a <script>.
std::string json_string(std::string_view text);

}  // namespace gongkai
