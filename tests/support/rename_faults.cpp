// The test program's own rename, renameat and renameat2 (see rename_faults.h), and RenameFaults.
#include "rename_faults.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

namespace gongkai::test {

namespace {

std::atomic<RenameFaults*> in_force{nullptr};

// The system call the C library makes: renameat2 only for flags.
int kernel_rename(int from_dir, const char* from, int to_dir, const char* to, unsigned flags) {
#ifdef SYS_renameat
    if (flags == 0) return static_cast<int>(::syscall(SYS_renameat, from_dir, from, to_dir, to));
#endif
    return static_cast<int>(::syscall(SYS_renameat2, from_dir, from, to_dir, to, flags));
}

// The rename, unless the faults in force say it fails.
int rename_as_told(int from_dir, const char* from, int to_dir, const char* to, unsigned flags) {
    if (RenameFaults* faults = in_force.load()) {
        if (const int err = faults->decide(from, to, (flags & RENAME_EXCHANGE) != 0); err != 0) {
            errno = err;
            return -1;
        }
    }
    return kernel_rename(from_dir, from, to_dir, to, flags);
}

}  // namespace

RenameFaults::RenameFaults(bool no_exchange, Rule rule) : no_exchange_(no_exchange), rule_(std::move(rule)) {
    RenameFaults* none = nullptr;
    if (!in_force.compare_exchange_strong(none, this)) throw std::logic_error("one RenameFaults at a time");
}

RenameFaults::~RenameFaults() { in_force.store(nullptr); }

int RenameFaults::decide(const char* from, const char* to, bool exchange) {
    if (exchange && no_exchange_) {
        ++exchanges_refused_;
        return EINVAL;
    }
    const int err = rule_ ? rule_(from, to) : 0;
    if (err != 0) ++renames_failed_;
    return err;
}

}  // namespace gongkai::test

extern "C" {

int rename(const char* from, const char* to) {
    return gongkai::test::rename_as_told(AT_FDCWD, from, AT_FDCWD, to, 0);
}

int renameat(int from_dir, const char* from, int to_dir, const char* to) {
    return gongkai::test::rename_as_told(from_dir, from, to_dir, to, 0);
}

int renameat2(int from_dir, const char* from, int to_dir, const char* to, unsigned int flags) {
    return gongkai::test::rename_as_told(from_dir, from, to_dir, to, flags);
}

}
