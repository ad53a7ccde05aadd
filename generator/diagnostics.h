#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace gongkai {

enum class Severity { warning, error };

// One problem found in the content, located as precisely as the input allows.
struct Diagnostic {
    Severity severity = Severity::error;
    std::string path;  // path of the file in the repository ("" for the repository itself)
    std::size_t line = 0;  // 1-based; 0 when unknown
    std::size_t column = 0;
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

}  // namespace gongkai
