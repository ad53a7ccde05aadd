#include "commands/progress.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace gongkai {

namespace {

// The stages site.cpp reports, as people say them.
std::string stage_label(std::string_view stage) {
    if (stage == "cache-read") return "reading the build cache";
    if (stage == "read") return "reading the content";
    if (stage == "parse") return "checking the content";
    if (stage == "history") return "reading the git record";
    if (stage == "render") return "rendering the pages";
    if (stage == "render-write") return "rendering and writing the pages";
    if (stage == "write") return "swapping the new site in";
    if (stage == "cache-write") return "keeping the build cache";
    return std::string(stage);
}

}  // namespace

bool progress_wanted() {
    const char* ci = std::getenv("CI");
    const char* term = std::getenv("TERM");
    if (ci && *ci) return false;
    if (term && std::string_view(term) == "dumb") return false;
    return ::isatty(STDERR_FILENO) == 1;
}

Progress::Progress(Verbosity verbosity, std::ostream& err, bool terminal)
    : verbosity_(verbosity),
      err_(err),
      live_(terminal && verbosity == Verbosity::normal),
      started_(std::chrono::steady_clock::now()),
      stage_started_(started_) {}

ProgressFn Progress::callback() {
    return [this](std::string_view stage, std::size_t done, std::size_t total) { update(stage, done, total); };
}

void Progress::update(std::string_view stage, std::size_t done, std::size_t total) {
    auto now = std::chrono::steady_clock::now();
    if (done == 0) stage_started_ = now;
    if (verbosity_ == Verbosity::verbose && done == total) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - stage_started_).count();
        err_ << "gongkai: " << stage_label(stage) << ": done in " << ms << " ms" << std::endl;
    }
    if (!live_) return;
    // \r returns to the line's start and ESC[K clears it: the line is redrawn, not repeated.
    err_ << "\r\x1b[K" << "gongkai: " << stage_label(stage) << "…";
    if (total > 1) err_ << " " << done << "/" << total;
    err_ << std::flush;
    drawn_ = true;
}

void Progress::finish() {
    if (drawn_) err_ << "\r\x1b[K" << std::flush;
    drawn_ = false;
}

}  // namespace gongkai
