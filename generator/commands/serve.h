#pragma once

#include <optional>
#include <string>

#include "commands/console.h"
#include "commands/source.h"

namespace gongkai {

struct ServeOptions {
    SourceOptions source;  // --worktree is implied: serve previews the working tree
    std::optional<std::string> themes_dir;
    std::string bind = "127.0.0.1";
    int port = 1313;  // 0: any free port (the address is printed)
};

// `gongkai serve`: builds the working tree into a temporary folder, serves it over HTTP, rebuilds
// when content, templates, settings or the theme change, and reloads open pages. Runs until
// SIGINT or SIGTERM; returns 0 then, 2 when it cannot start.
int run_serve(const ServeOptions& options, Console& console);

}  // namespace gongkai
