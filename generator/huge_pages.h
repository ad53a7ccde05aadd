// Transparent huge pages for a build's memory, allowed by the size of its content.
#pragma once

#include <cstddef>

namespace gongkai {

// Content of at least this many files is built with huge pages (see huge_pages.cpp).
inline constexpr std::size_t huge_pages_from_files = 5000;

// Holds huge pages off for this process's memory from now on (the programs built with jemalloc
// call it before anything else runs: jemalloc_conf.cpp).
void hold_huge_pages();

// Allows huge pages again, from now on, when content of that many files is large enough.
void allow_huge_pages_for(std::size_t files);

}  // namespace gongkai
