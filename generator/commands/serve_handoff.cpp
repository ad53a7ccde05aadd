#include "commands/serve_handoff.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "theme.h"

namespace gongkai {

namespace fs = std::filesystem;

int hand_over_to_serve(char** argv, const ServeOptions& options, Console& console) {
    std::vector<std::string> extra;
    if (!options.themes_dir) extra = {"--theme-dir", find_themes_dir(std::nullopt).string()};
    std::vector<char*> args;
    for (char** arg = argv; *arg; ++arg) args.push_back(*arg);
    for (auto& arg : extra) args.push_back(arg.data());
    args.push_back(nullptr);

    fs::path here = executable_dir();
    const fs::path places[] = {(here / GONGKAI_SERVE_FROM_BINDIR / "gongkai-serve").lexically_normal(),
                               here / "gongkai-serve"};
    for (const auto& program : places) {
        ::execv(program.c_str(), args.data());
        if (errno != ENOENT) {
            console.fatal("cannot run " + program.string() + " for gongkai serve: " + std::strerror(errno));
            return 2;
        }
    }
    console.fatal("gongkai serve needs gongkai-serve, which is neither at " + places[0].string() + " nor at " +
                  places[1].string() + "; reinstall gongkai");
    return 2;
}

}  // namespace gongkai
