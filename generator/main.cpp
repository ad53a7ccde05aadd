#include "cache/program.h"
#include "cli.h"
#include "commands/serve_handoff.h"

int main(int argc, char** argv) {
    gongkai::program_fingerprint();  // before anything loads a library of its own (see program.h)
    return gongkai::run_cli(argc, argv, [argv](const gongkai::ServeOptions& options, gongkai::Console& console) {
        return gongkai::hand_over_to_serve(argv, options, console);
    });
}
