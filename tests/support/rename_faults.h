// Renames that fail as a test tells them to. The test program defines rename, renameat and
// renameat2 itself (rename_faults.cpp), and every call in it, the code under test's included, binds to
// those: they rename through the kernel as the C library's do, unless a RenameFaults is in force.
#pragma once

#include <atomic>
#include <functional>
#include <string>

namespace gongkai::test {

class RenameFaults {
public:
    // The errno with which a rename of from to to fails, or 0 to let it happen. The names are as
    // the caller gave them (relative to a folder for renameat). Called from any thread; it must
    // not throw (it is called from C, libgit2's among others).
    using Rule = std::function<int(const std::string& from, const std::string& to)>;

    // no_exchange: renameat2's RENAME_EXCHANGE fails with EINVAL, as on a file system without
    // it (NFS); rule: for every other rename. Whatever renames while it is in force must have
    // ended before it is destroyed (a build returns only when its threads have).
    explicit RenameFaults(bool no_exchange, Rule rule = {});
    ~RenameFaults();
    RenameFaults(const RenameFaults&) = delete;
    RenameFaults& operator=(const RenameFaults&) = delete;

    int exchanges_refused() const { return exchanges_refused_; }
    int renames_failed() const { return renames_failed_; }

    // Whether a rename of from to to fails, and with which errno (0: it does not).
    int decide(const char* from, const char* to, bool exchange);

private:
    bool no_exchange_;
    Rule rule_;
    std::atomic<int> exchanges_refused_{0};
    std::atomic<int> renames_failed_{0};
};

}  // namespace gongkai::test
