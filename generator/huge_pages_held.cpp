// The gongkai programs hold transparent huge pages off for their whole run (why: huge_pages.cpp).
// Linked into each program built with jemalloc, not the core library: a preinit entry must be in
// the executable.
#include "huge_pages.h"

namespace {

// Run from the executable's preinit array: after the dynamic linker has loaded and relocated
// everything, before the shared libraries' initialisers, which already allocate (and would fault
// in whole huge pages where the system's setting is "always").
void hold_from_the_start(int, char**, char**) {
    gongkai::hold_huge_pages();
}

[[gnu::section(".preinit_array"), gnu::used]] void (*const hold_at_start)(int, char**, char**) = hold_from_the_start;

}  // namespace
