#pragma once

namespace gongkai {

// Runs the command line; returns the process exit status: 0 success, 1 the content has errors,
// 2 gongkai could not run (bad usage, no repository, unknown ref, unwritable output).
int run_cli(int argc, char** argv);

}  // namespace gongkai
