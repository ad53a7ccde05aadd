#include "cache/program.h"
#include "cli.h"

int main(int argc, char** argv) {
    gongkai::program_fingerprint();  // before anything loads a library of its own (see program.h)
    return gongkai::run_cli(argc, argv);
}
