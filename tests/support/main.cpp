#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "cache/program.h"

int main(int argc, char** argv) {
    gongkai::program_fingerprint();  // as the program does: before a library loads one of its own
    return Catch::Session().run(argc, argv);
}
