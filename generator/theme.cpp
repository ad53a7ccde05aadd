#include "theme.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "content/toml_reader.h"
#include "paths.h"

namespace gongkai {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
}

// Regular files below dir, as sorted relative paths.
std::vector<std::string> files_below(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file()) out.push_back(it->path().lexically_relative(dir).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

fs::path executable_dir() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : self.parent_path();
}

fs::path find_themes_dir(const std::optional<std::string>& explicit_dir) {
    if (explicit_dir) return *explicit_dir;
    std::error_code ec;
    fs::path installed = executable_dir() / ".." / "share" / "gongkai" / "themes";
    if (fs::is_directory(installed, ec)) return installed.lexically_normal();
    if (fs::is_directory(GONGKAI_INSTALL_THEMES, ec)) return GONGKAI_INSTALL_THEMES;
    return GONGKAI_SOURCE_THEMES;
}

Theme load_theme(const fs::path& themes_dir, const std::string& name, Diagnostics& diagnostics) {
    Theme theme;
    theme.name = name;
    fs::path dir = themes_dir / name;
    std::error_code ec;
    if (!fs::is_directory(dir / "templates", ec)) {
        diagnostics.error(dir.string(), 0, 0, "", "no theme '" + name + "' here (expected a templates/ folder); "
                                                  "use --theme-dir to say where themes are");
        return theme;
    }
    for (const auto& rel : files_below(dir / "templates")) {
        if (rel.ends_with(".mustache") && rel.find('/') == std::string::npos)
            theme.templates.emplace(rel.substr(0, rel.size() - 9), read_file(dir / "templates" / rel));
    }
    for (const auto& rel : files_below(dir / "static")) {
        if (is_safe_relative_path(rel)) theme.static_files.emplace(rel, read_file(dir / "static" / rel));
    }
    for (const auto& rel : files_below(dir / "i18n")) {
        if (!rel.ends_with(".toml")) continue;
        std::string path = (dir / "i18n" / rel).string();
        auto table = parse_toml(read_file(dir / "i18n" / rel), path, 1, diagnostics);
        if (!table) continue;
        auto& strings = theme.strings[rel.substr(0, rel.size() - 5)];
        for (const auto& [k, v] : *table) {
            if (auto s = v.value<std::string>(); s && v.is_string())
                strings.emplace(std::string(k.str()), *s);
            else
                diagnostics.error(path, v.source().begin.line, v.source().begin.column, std::string(k.str()),
                                  "theme strings must be strings");
        }
    }
    return theme;
}

}  // namespace gongkai
