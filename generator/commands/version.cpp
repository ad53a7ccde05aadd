#include "commands/version.h"

#include <CLI/CLI.hpp>
#include <cmark-gfm.h>
#include <git2.h>
#include <toml++/toml.h>
#include <xxhash.h>

#include <cstddef>
#include <string_view>

#include "git/packs.h"
#include "utf8.h"

// jemalloc's control call, present when the program was linked with jemalloc (gongkai and
// gongkai-serve, not the sanitizer builds or the tests): weak, so it is null otherwise.
extern "C" int mallctl(const char* name, void* old_value, std::size_t* old_size, void* new_value,
                       std::size_t new_size) __attribute__((weak));

namespace gongkai {

namespace {

// "0.8.1" from xxHash's number for it, 801.
std::string xxhash_version() {
    const unsigned n = XXH_versionNumber();
    return std::to_string(n / 10000) + "." + std::to_string(n / 100 % 100) + "." + std::to_string(n % 100);
}

// The running jemalloc's version ("5.3.0", without its git description), or nothing if the
// program does not use jemalloc.
std::string jemalloc_version() {
    if (mallctl == nullptr) return {};
    const char* version = nullptr;
    std::size_t size = sizeof(version);
    if (mallctl("version", &version, &size, nullptr, 0) != 0 || version == nullptr) return {};
    const std::string_view full(version);
    return std::string(full.substr(0, full.find('-')));
}

}  // namespace

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
    out += "  xxHash " + xxhash_version() + "\n";
    out += "  " + utf8_library_version() + "\n";
    out += "  " + git::Packs::library_version() + "\n";
    if (const std::string jemalloc = jemalloc_version(); !jemalloc.empty()) out += "  jemalloc " + jemalloc + "\n";
    out += std::string("  cpp-httplib ") + GONGKAI_HTTPLIB_VERSION + " (gongkai serve)";  // CLI11 ends the line
    return out;
}

}  // namespace gongkai
