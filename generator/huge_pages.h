// Transparent huge pages for a build's memory, allowed by the size of its content.
#pragma once

#include <cstddef>

namespace gongkai {

// Content of at least this many files is built with huge pages (see huge_pages.cpp).
inline constexpr std::size_t huge_pages_from_files = 5000;

// Holds huge pages off for this process's memory from now on; false when they were off already
// (the choice of whoever started it, which is kept) or the kernel has no such switch. The
// programs built with jemalloc call it before any shared library's initialiser runs
// (jemalloc_conf.cpp).
bool hold_huge_pages();

// Allows huge pages again, from now on, for content of that many files if it is large enough,
// where hold_huge_pages held them off.
void allow_huge_pages_for(std::size_t files);

// Allows them again before this process becomes another program (exec), which starts as this
// one did.
void release_huge_pages();

}  // namespace gongkai
