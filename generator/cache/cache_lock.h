#pragma once

#include <filesystem>
#include <vector>

namespace gongkai {

// Holds the cache folder's lock for a build: two builds into one folder (two pushes close
// together) take turns, as both would change the cache's second copy of the site. The lock goes
// with the process, however it ends.
//
// A first build makes the cache folder (and the folders above it that are missing) to hold the
// lock in. If it ends with the folder holding nothing but the lock (its content had errors, or
// it failed before the cache was kept), it removes what it made: a build that wrote nothing
// leaves nothing. A build that waited on a lock file meanwhile removed takes the lock again from
// the start, so no two builds ever hold the lock at once.
class CacheLock {
public:
    // create: make the folder and its lock file if they are missing, so that two first builds
    // take turns too (a build without the cache leaves the folder as it is, and one into a folder
    // without it takes no lock: it changes only the published site, which swap_in replaces whole).
    // Waits for the lock. Holds none if the folder cannot be made (save_build_cache says why) or,
    // without create, is not there; throws WriteError if its lock file is removed each time it
    // is taken.
    CacheLock(const std::filesystem::path& folder, bool create);
    ~CacheLock();
    CacheLock(const CacheLock&) = delete;
    CacheLock& operator=(const CacheLock&) = delete;

    bool held() const { return fd_ >= 0; }

private:
    bool make_parents(const std::filesystem::path& path);  // false: one cannot be made
    bool names_held_file() const;  // the folder's lock file is the one this holds
    bool is_bare() const;          // the folder holds only the lock file

    std::filesystem::path lock_file_;
    int fd_ = -1;
    bool made_folder_ = false;
    std::vector<std::filesystem::path> made_parents_;  // outermost first
};

}  // namespace gongkai
