#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "diagnostics.h"

namespace gongkai::test {

namespace fs = std::filesystem;

// Content files by path, as a content repository holds them.
using Files = std::map<std::string, std::string>;

// Reads a whole fixture site written as one string, each file under a line "-- path --"
// (the way Hugo's tests write theirs):
//
//   -- gongkai.toml --
//   title = "…"
//   -- departments/education.toml --
//   name = "…"
Files parse_fixture(std::string_view text);

// A small valid site, without warnings: two departments, one project with goals, two reports.
Files basic_site();

// The fixture theme under tests/fixtures/theme, which prints every value the tests look for.
std::string fixture_themes_dir();
// The source tree's themes/ folder, with the real default theme.
std::string source_themes_dir();
std::string source_dir();

// A fresh folder under the system's temporary folder, removed with everything in it at the end.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& rel) const { return path_ / rel; }

private:
    fs::path path_;
};

void write_file(const fs::path& path, std::string_view data);
void write_files(const fs::path& dir, const Files& files);
std::string read_file(const fs::path& path);
// Waits until the clock file systems stamp changes with has moved past path's last change, so
// that a change made now gives path a new ctime even where stamps are coarse (a few ms).
void wait_past_last_change(const fs::path& path);

// Every diagnostic, one per line, for failure messages.
std::string listing(const Diagnostics& diagnostics);

inline constexpr std::size_t any_line = static_cast<std::size_t>(-1);

// True when diagnostics hold an error in path at line (any_line: wherever) whose formatted text
// ("path:line:col: error: key: message") contains text. On failure the message lists them all.
bool has_error(const Diagnostics& diagnostics, const std::string& path, std::size_t line, const std::string& text);
bool has_warning(const Diagnostics& diagnostics, const std::string& path, std::size_t line, const std::string& text);

}  // namespace gongkai::test
