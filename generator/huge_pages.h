// Transparent huge pages, held off for the whole of a gongkai program's run (built with jemalloc).
#pragma once

namespace gongkai {

// Holds huge pages off for this process's memory from now on; false when they were off already
// (the choice of whoever started it, which is kept) or the kernel has no such switch. The
// programs built with jemalloc call it before any shared library's initialiser runs
// (huge_pages_held.cpp).
bool hold_huge_pages();

}  // namespace gongkai
