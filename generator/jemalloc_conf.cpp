// jemalloc's settings for the gongkai program (linked only when it is built with jemalloc). The
// allocator reads them before its first allocation; MALLOC_CONF in the environment still
// overrides them.
//
// thp:always asks the kernel for transparent huge pages (madvise) for the memory jemalloc maps. A
// build touches about 100 MiB at 10,000 reports: in 4 KiB pages that is some 28,000 page faults
// and a working set the processor's address cache (the TLB) cannot hold; in 2 MiB pages, a
// fifth of the faults. Built in turn, a full build was about 7% faster for 15–18 MiB more peak
// memory (bench/RESULTS.md). Where the kernel's huge pages are off, nothing changes.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:always";
}
