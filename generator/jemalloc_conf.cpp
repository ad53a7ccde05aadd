// jemalloc's settings for the gongkai programs (linked only when they are built with jemalloc).
// The allocator reads them before its first allocation; MALLOC_CONF in the environment still
// overrides them.
//
// thp:always asks the kernel for transparent huge pages (madvise) for the memory jemalloc maps. A
// full build touches about 100 MiB at 10,000 reports: in 4 KiB pages that is some 25,000 page
// faults and a working set the processor's address cache (the TLB) cannot hold; in 2 MiB pages,
// a fraction of the faults. For small content they only cost memory, so they are held off before
// any shared library's initialiser runs, and a build allows them once its content is known to be
// large (huge_pages.cpp).
#include "huge_pages.h"

extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:always";
}

namespace {

// Run from the executable's preinit array: after the dynamic linker has loaded and relocated
// everything, before the shared libraries' initialisers, which already allocate (and would fault
// in whole huge pages).
void hold_from_the_start(int, char**, char**) {
    gongkai::hold_huge_pages();
}

[[gnu::section(".preinit_array"), gnu::used]] void (*const hold_at_start)(int, char**, char**) = hold_from_the_start;

}  // namespace
