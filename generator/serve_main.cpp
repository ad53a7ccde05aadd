// gongkai-serve: the gongkai program with `gongkai serve`'s HTTP server, which gongkai hands
// `serve` over to (commands/serve_handoff.h). It takes gongkai's whole command line.
#include "cache/program.h"
#include "cli.h"

int main(int argc, char** argv) {
    gongkai::program_fingerprint();  // before anything loads a library of its own (see program.h)
    return gongkai::run_cli(argc, argv, gongkai::run_serve);
}
