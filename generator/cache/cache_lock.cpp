#include "cache/cache_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace gongkai {

namespace fs = std::filesystem;

CacheLock::CacheLock(const fs::path& folder, bool create) : lock_file_(folder / "lock") {
    // A few tries: each one that fails found the folder or the lock file removed by the build it
    // waited for, as that build gave up the lock.
    for (int attempt = 0; attempt < 16; ++attempt) {
        if (create) {
            make_parents(folder.parent_path());
            made_folder_ = ::mkdir(folder.c_str(), 0700) == 0;
            if (!made_folder_ && errno == ENOENT) continue;  // a parent just removed
            if (!made_folder_ && errno != EEXIST) return;
        } else {
            std::error_code ec;
            if (!fs::is_directory(folder, ec)) return;
        }
        fd_ = ::open(lock_file_.c_str(), O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
        if (fd_ < 0) {
            if (create && errno == ENOENT) continue;  // the folder just removed
            return;
        }
        while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
        }
        struct stat held {}, named {};
        if (::fstat(fd_, &held) == 0 && ::stat(lock_file_.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
            held.st_dev == named.st_dev)
            return;
        ::close(fd_);  // a lock file removed while this build waited for it
        fd_ = -1;
        if (!create) return;  // and the folder with it, or going: there is no cache to guard
    }
}

CacheLock::~CacheLock() {
    if (fd_ < 0) return;
    if (made_folder_) remove_if_bare();
    ::close(fd_);
}

void CacheLock::make_parents(const fs::path& path) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = path; !p.empty() && p != p.parent_path() && !fs::exists(p, ec); p = p.parent_path())
        missing.push_back(p);
    for (auto it = missing.rbegin(); it != missing.rend(); ++it)
        if (::mkdir(it->c_str(), 0755) == 0) made_parents_.push_back(*it);
}

void CacheLock::remove_if_bare() {
    const fs::path folder = lock_file_.parent_path();
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename() != "lock") return;
    if (ec || ::unlink(lock_file_.c_str()) != 0 || ::rmdir(folder.c_str()) != 0) return;
    for (auto it = made_parents_.rbegin(); it != made_parents_.rend(); ++it)
        if (::rmdir(it->c_str()) != 0) break;  // not empty: the site, or another build's
}

}  // namespace gongkai
