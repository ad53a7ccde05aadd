#pragma once

#include "commands/console.h"
#include "commands/serve.h"

namespace gongkai {

// `gongkai serve` in the gongkai program: replaces the process with gongkai-serve, given the
// same command line (argv, as main received it), so the HTTP server and the OpenSSL it brings
// load only for serve. gongkai-serve is looked for where an installation puts it (libexec/gongkai
// beside bin/) and then beside gongkai (the build tree). Without --theme-dir, the command line
// gains "--theme-dir <the themes this program would use>" after "serve": gongkai-serve, installed
// in libexec/, could not find the installed themes from where it is. Returns (2) only when
// gongkai-serve cannot be run.
int hand_over_to_serve(char** argv, const ServeOptions& options, Console& console);

}  // namespace gongkai
