#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "content/source.h"
#include "diagnostics.h"

namespace gongkai {

enum class Verbosity { quiet, normal, verbose };

// The files a run read, so the human format can quote the line a diagnostic points at, and the
// site's language, so it can give advice in it.
class SourceTexts {
public:
    SourceTexts() = default;
    // Takes the files of a snapshot and the language gongkai.toml names, even if the file is
    // otherwise invalid.
    static SourceTexts from(const Snapshot& snapshot);
    // Reads again, from content whose folder in the repository is prefix, only the files that
    // diagnostics name, and gongkai.toml (a source that reads from git leaves the others unread):
    // a build of ten thousand reports with one mistake reads one report again, not all of them.
    // Nothing when the content can no longer be read.
    static SourceTexts quoted(ContentSource& content, const std::string& prefix, const Diagnostics& diagnostics);

    // Line number (1-based) of the file at path: a file of the snapshot, or an absolute path on
    // disk (a theme's file). Nothing when the file or line is not there.
    std::optional<std::string> line(const std::string& path, std::size_t number) const;
    const std::string& language() const { return language_; }
    void set_language(std::string language) { language_ = std::move(language); }

private:
    std::map<std::string, std::string> files_;  // repository path -> text
    std::string language_;
};

// One diagnostic for people: the located message, the offending line with a caret, and what to
// write instead in the site's language.
std::string format_human(const Diagnostic& d, const SourceTexts& texts);

// How a command talks: diagnostics in the chosen format (human ones on stderr, github and json on
// stdout where CI and programs read them), notes unless --quiet, details with --verbose.
class Console {
public:
    Console(DiagnosticFormat format, Verbosity verbosity, std::ostream& out, std::ostream& err)
        : format_(format), verbosity_(verbosity), out_(out), err_(err) {}

    // Prints diagnostics; --quiet leaves out warnings, except in json, which is always complete.
    void diagnostics(const Diagnostics& diagnostics, const SourceTexts& texts);
    // A problem that stops gongkai before or outside the content (exit status 2).
    void fatal(const std::string& message);
    void note(std::string_view text);    // "gongkai: wrote 42 files to site"
    void detail(std::string_view text);  // only with --verbose
    void error_summary(const Diagnostics& diagnostics, std::string_view consequence);

    DiagnosticFormat format() const { return format_; }
    Verbosity verbosity() const { return verbosity_; }
    std::ostream& err() { return err_; }

private:
    DiagnosticFormat format_;
    Verbosity verbosity_;
    std::ostream& out_;
    std::ostream& err_;
};

}  // namespace gongkai
