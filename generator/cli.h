#pragma once

#include <functional>

#include "commands/console.h"
#include "commands/serve.h"

namespace gongkai {

// How a program runs `gongkai serve` once its command line is parsed: gongkai-serve serves
// (run_serve), the gongkai program hands the command line over to gongkai-serve
// (hand_over_to_serve, commands/serve_handoff.h).
using ServeCommand = std::function<int(const ServeOptions&, Console&)>;

// Runs the command line; returns the process exit status: 0 success, 1 the content has errors
// (or `new` refused to write), 2 gongkai could not run (bad usage, no repository, unknown ref,
// unwritable output, a port in use).
int run_cli(int argc, char** argv, const ServeCommand& serve_command);

}  // namespace gongkai
