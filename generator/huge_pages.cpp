// The gongkai programs built with jemalloc (the default; not the sanitizer builds) hold transparent
// huge pages off for their whole run. They used to ask jemalloc for them (thp:always) and allow them
// once a build's content was found large (5,000 files or more), for a build at 10,000 reports
// measured about 4% faster with them in the eighteenth round (bench/RESULTS.md). Measured again in
// the twenty-sixth round, builds in turn with and without them at 10,000 and 50,000 reports took
// the same user time, and with them more of the kernel's (2.9 against 2.2 s at 50,000 reports,
// where they took 7.41 against 6.79 s of wall time) and more memory (8 to 17 MiB). Each 2 MiB page
// is zeroed whole when first touched; and on the benchmark's virtual machine, whose host appears to
// take back free memory the guest reports (blocks of 2 MiB and more), a huge page first touched
// after that is dear: 400 MiB of them took 1.2 to 2 s of CPU to fault in after 15 idle seconds and
// 0.1 s right after another such run, where 4 KiB pages took 0.25 s either way. The kernel's switch
// (PR_SET_THP_DISABLE) is the process's own, set without privileges, and holds for all the
// process's memory, the shared libraries' and the threads' stacks too, whatever the system's
// setting; it passes to the programs a process runs, so gongkai-serve, which gongkai becomes for
// `gongkai serve`, starts with it. Where the kernel lacks it, the system's setting applies.
#include "huge_pages.h"

#include <sys/prctl.h>

namespace gongkai {

bool hold_huge_pages() {
    if (::prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 0) return false;  // off already, or no such switch
    return ::prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0;
}

}  // namespace gongkai
