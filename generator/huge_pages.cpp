// The programs built with jemalloc ask it for transparent huge pages (jemalloc_conf.cpp). Built
// in turn (bench/RESULTS.md, the eighteenth round), they pay only as the content grows: at 1,000
// reports a full build was no faster with them and 10 MiB larger (36 against 26 MiB), each 2 MiB
// page being faulted in whole however little of it a small build uses; at 10,000 reports it was
// about 4% faster for 8 MiB more. So those programs start with huge pages held off, and a build
// allows them once its content is read and found large. The kernel's switch for this
// (PR_SET_THP_DISABLE) is the process's own, set and cleared without privileges, and overrides
// jemalloc's madvise for every page faulted in while it is set; it passes to the programs a
// process runs. Where the kernel lacks it, or huge pages are off, nothing changes.
#include "huge_pages.h"

#include <sys/prctl.h>

#include <atomic>

namespace gongkai {

namespace {

std::atomic<bool> held{false};  // the switch is set, by hold_huge_pages

}  // namespace

bool hold_huge_pages() {
    if (::prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 0) return false;  // off already, or no such switch
    held = ::prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0;
    return held;
}

void allow_huge_pages_for(std::size_t files) {
    if (files >= huge_pages_from_files) release_huge_pages();
}

void release_huge_pages() {
    if (held.exchange(false)) ::prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
}

}  // namespace gongkai
