#pragma once

#include "commands/console.h"
#include "commands/source.h"
#include "site.h"

namespace gongkai {

// `gongkai build` (options.write) and `gongkai check`: validate, render, and write or not.
// Returns the exit status: 0 success, 1 the content has errors, 2 gongkai could not run.
int run_build(const SourceOptions& source, BuildOptions options, Console& console);

}  // namespace gongkai
