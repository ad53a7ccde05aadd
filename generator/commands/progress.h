#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "commands/console.h"
#include "site.h"

namespace gongkai {

// True when progress may be drawn on stderr: it is a terminal and CI is not set (CI logs keep
// every carriage return as a new line).
bool progress_wanted();

// Shows how far a build has come. On a terminal (and not --quiet) one line on stderr that is
// rewritten in place and erased at the end; with --verbose, a line per finished stage with its
// time instead, terminal or not.
class Progress {
public:
    Progress(Verbosity verbosity, std::ostream& err, bool terminal = progress_wanted());
    ~Progress() { finish(); }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // The callback for BuildOptions::progress; valid while this object lives.
    ProgressFn callback();
    // Erases the progress line, so the next message starts on a clean line.
    void finish();

private:
    void update(std::string_view stage, std::size_t done, std::size_t total);

    Verbosity verbosity_;
    std::ostream& err_;
    bool live_;          // draw the rewritten line
    bool drawn_ = false;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point stage_started_;
};

}  // namespace gongkai
