// jemalloc's settings for the gongkai program (linked only when it is built with jemalloc). The
// allocator reads them before its first allocation; MALLOC_CONF in the environment still
// overrides them.
//
// thp:always asks the kernel for transparent huge pages (madvise) for the memory jemalloc maps. A
// build touches about 100 MiB at 10,000 reports: in 4 KiB pages that is some 28,000 page faults
// and a working set the processor's address cache (the TLB) cannot hold; in 2 MiB pages, a
// fifth of the faults. Built in turn, a full build was about 7% faster for 15–18 MiB more peak
// memory (bench/RESULTS.md). Where the kernel's huge pages are off, nothing changes.
//
// percpu_arena:percpu gives each processor an arena, and a thread takes the arena of the processor
// it runs on. A build starts threads for each stage, and by default each new thread may take an
// arena of its own among four per processor, whose first huge page it then touches; with one
// arena per processor, the peak at 10,000 reports fell by about 7 MiB, at 1,000 by 4, no slower
// (bench/RESULTS.md). The arenas still grow with the processors.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:always,percpu_arena:percpu";
}
