#include "commands/serve_handoff.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "theme.h"

namespace gongkai {

namespace fs = std::filesystem;

namespace {

// The command line for gongkai-serve: argv with "--theme-dir <themes>" right after "serve" when
// argv names no themes folder, in any of its forms. An empty one ("--theme-dir ''", "--theme-dir=")
// names none, as for gongkai build, and is left out: gongkai-serve would look for themes from where
// it is installed, not from where gongkai is.
std::vector<std::string> serve_command_line(char** argv, const fs::path& themes) {
    std::vector<std::string> args;
    bool named = false;
    for (char** arg = argv; *arg; ++arg) {
        std::string_view a = *arg;
        if (a == "--theme-dir" && arg[1] && !*arg[1]) {
            ++arg;
            continue;
        }
        if (a == "--theme-dir=") continue;
        named = named || a == "--theme-dir" || a.starts_with("--theme-dir=");
        args.emplace_back(a);
    }
    if (named) return args;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "serve") {
            args.insert(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, {"--theme-dir", themes.string()});
            break;
        }
    }
    return args;
}

}  // namespace

int hand_over_to_serve(char** argv, const ServeOptions& options, Console& console) {
    fs::path here = executable_dir();
    if (here.empty()) {
        // Never a relative path: it would run whatever gongkai-serve the current folder holds.
        console.fatal("gongkai serve cannot find gongkai-serve: /proc/self/exe does not say where gongkai is");
        return 2;
    }
    std::vector<std::string> args = serve_command_line(argv, find_themes_dir(options.themes_dir));
    std::vector<char*> pointers;
    for (auto& arg : args) pointers.push_back(arg.data());
    pointers.push_back(nullptr);

    const fs::path places[] = {(here / GONGKAI_SERVE_FROM_BINDIR / "gongkai-serve").lexically_normal(),
                               here / "gongkai-serve"};
    for (const auto& program : places) {
        ::execv(program.c_str(), pointers.data());
        if (const int err = errno; err != ENOENT && err != ENOTDIR) {
            console.fatal("cannot run " + program.string() + " for gongkai serve: " + std::strerror(err));
            return 2;
        }
    }
    console.fatal("gongkai serve needs gongkai-serve, which is neither at " + places[0].string() + " nor at " +
                  places[1].string() + "; reinstall gongkai");
    return 2;
}

}  // namespace gongkai
