#pragma once

namespace gongkai {

// Runs the command line; returns the process exit status: 0 success, 1 the content has errors
// (or `new` refused to write), 2 gongkai could not run (bad usage, no repository, unknown ref,
// unwritable output, a port in use).
int run_cli(int argc, char** argv);

}  // namespace gongkai
