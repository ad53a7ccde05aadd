#include "cli.h"

int main(int argc, char** argv) { return gongkai::run_cli(argc, argv); }
