#include "commands/version.h"

#include <CLI/CLI.hpp>
#include <cmark-gfm.h>
#include <git2.h>
#include <toml++/toml.h>

namespace gongkai {

std::string version_text() {
    int major = 0, minor = 0, revision = 0;
    git_libgit2_version(&major, &minor, &revision);
    std::string out = std::string("gongkai ") + GONGKAI_VERSION + "\n";
    out += "  libgit2 " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(revision) + "\n";
    out += std::string("  cmark-gfm ") + cmark_version_string() + "\n";
    out += "  toml++ " + std::to_string(TOML_LIB_MAJOR) + "." + std::to_string(TOML_LIB_MINOR) + "." +
           std::to_string(TOML_LIB_PATCH) + "\n";
    out += std::string("  CLI11 ") + CLI11_VERSION + "\n";
#ifdef GONGKAI_MUSTACHE_VERSION
    out += std::string("  kainjow mustache ") + GONGKAI_MUSTACHE_VERSION + "\n";
#else
    out += "  kainjow mustache (its header states no version)\n";
#endif
    out += std::string("  cpp-httplib ") + GONGKAI_HTTPLIB_VERSION + " (gongkai serve)";  // CLI11 ends the line
    return out;
}

}  // namespace gongkai
