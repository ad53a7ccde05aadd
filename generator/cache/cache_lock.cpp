#include "cache/cache_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "writer.h"

namespace gongkai {

namespace fs = std::filesystem;

CacheLock::CacheLock(const fs::path& folder, bool create) : lock_file_(folder / "lock") {
    // A few tries: each one that fails found the folder or the lock file removed by the build it
    // waited for, as that build gave up the lock.
    for (int attempt = 0; attempt < 16; ++attempt) {
        if (create) {
            // Where the folders above cannot be made, the build says why when it makes them.
            if (!make_parents(folder.parent_path())) return;
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
        if (names_held_file()) return;
        ::close(fd_);  // a lock file removed while this build waited for it
        fd_ = -1;
        if (!create) return;  // and the folder with it, or going: there is no cache to guard
    }
    if (create)
        throw WriteError("cannot lock the build cache " + folder.string() +
                         ": its lock file was removed as often as it was taken");
}

CacheLock::~CacheLock() {
    if (fd_ < 0) return;
    if (made_folder_ && is_bare()) {
        // The lock file goes first, while it is held; a build waiting for it then finds it gone
        // and begins again. It is closed before its folder is removed: on NFS a file removed
        // while open is kept, renamed, until it is closed.
        const bool removed = ::unlink(lock_file_.c_str()) == 0;
        ::close(fd_);
        if (removed && ::rmdir(lock_file_.parent_path().c_str()) == 0)
            for (auto it = made_parents_.rbegin(); it != made_parents_.rend(); ++it)
                if (::rmdir(it->c_str()) != 0) break;  // not empty: the site, or another build's
        return;
    }
    ::close(fd_);
}

bool CacheLock::names_held_file() const {
    // Opened anew rather than looked up: NFS answers a stat from what it cached, and checks a
    // file's name again only when it is opened.
    const int named = ::open(lock_file_.c_str(), O_RDONLY | O_CLOEXEC);
    if (named < 0) return false;
    struct stat a {}, b {};
    const bool same = ::fstat(fd_, &a) == 0 && ::fstat(named, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
    ::close(named);
    return same;
}

bool CacheLock::make_parents(const fs::path& path) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = path; !p.empty() && p != p.parent_path() && !fs::exists(p, ec); p = p.parent_path())
        missing.push_back(p);
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0755) == 0)
            made_parents_.push_back(*it);
        else if (errno != EEXIST)
            return false;
    }
    return true;
}

bool CacheLock::is_bare() const {
    std::error_code ec;
    for (fs::directory_iterator it(lock_file_.parent_path(), ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename() != "lock") return false;
    return !ec;
}

}  // namespace gongkai
