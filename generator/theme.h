#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "diagnostics.h"

namespace gongkai {

// A theme as read from disk: templates by name, static files by path, strings by language.
struct Theme {
    std::string name;
    std::map<std::string, std::string> templates;
    std::map<std::string, std::string> static_files;
    std::map<std::string, std::map<std::string, std::string>> strings;  // language -> key -> text
};

// The folder the running program is in ("" where /proc does not say): its installed themes and
// gongkai-serve are found from it.
std::filesystem::path executable_dir();

// Where themes live: the explicit folder if given, else beside an installed binary
// (<prefix>/share/gongkai/themes), else the source tree gongkai was built from.
std::filesystem::path find_themes_dir(const std::optional<std::string>& explicit_dir);

// Reads themes_dir/name; problems (a missing theme, bad i18n TOML) go into diagnostics.
Theme load_theme(const std::filesystem::path& themes_dir, const std::string& name, Diagnostics& diagnostics);

}  // namespace gongkai
