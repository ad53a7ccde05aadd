#include "writer.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <memory>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "parallel.h"
#include "paths.h"

namespace gongkai {

namespace fs = std::filesystem;

namespace {

// Reads size bytes at offset of the file open at fd into out; returns how many it read (fewer
// where the file ends sooner, or cannot be read).
std::size_t read_at(int fd, std::uint64_t offset, std::size_t size, char* out) {
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::pread(fd, out + got, size - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    return got;
}

// A file made piece by piece into memory.
class StringSink final : public ByteSink {
public:
    explicit StringSink(std::string& bytes) : bytes_(bytes) {}
    void write(std::string_view bytes) override { bytes_.append(bytes); }
    std::uint64_t size() const override { return bytes_.size(); }
    bool copy(int fd, std::uint64_t offset, std::uint64_t size) override {
        const std::size_t at = bytes_.size();
        bytes_.resize(at + static_cast<std::size_t>(size));
        const std::size_t got = read_at(fd, offset, static_cast<std::size_t>(size), bytes_.data() + at);
        bytes_.resize(at + got);
        return got == size;
    }
    void cut_back(std::uint64_t at) override { bytes_.resize(std::min<std::uint64_t>(at, bytes_.size())); }

private:
    std::string& bytes_;
};

}  // namespace

void SiteFiles::claim(const std::string& path) {
    if (!is_safe_relative_path(path))
        throw WriteError("refusing to write '" + path + "': it would leave the site folder");
    if (!files_.emplace(path, std::string()).second)
        throw WriteError("two pages would be written to the same file '" + path + "'");
}

void SiteFiles::add(const std::string& path, std::string data, const std::string& job) {
    {
        std::lock_guard guard(*lock_);
        claim(path);
        if (!store_) {
            files_[path] = std::move(data);
            return;
        }
    }
    store_->put(path, std::move(data), job);
}

void SiteFiles::add_pieces(const std::string& path, const std::vector<std::string_view>& pieces,
                           const std::string& job) {
    {
        std::lock_guard guard(*lock_);
        claim(path);
        if (!store_) {
            std::string& data = files_[path];
            for (auto piece : pieces) data.append(piece);
            return;
        }
    }
    store_->put_pieces(path, pieces, job);
}

void SiteFiles::add_streamed(const std::string& path, const MakeBytes& make, const std::string& job) {
    {
        std::lock_guard guard(*lock_);
        claim(path);
    }
    if (store_) {
        store_->put_streamed(path, make, job);
        return;
    }
    std::string data;
    StringSink sink(data);
    make(sink);
    std::lock_guard guard(*lock_);
    files_[path] = std::move(data);
}

std::vector<std::string> SiteFiles::paths() const {
    std::lock_guard guard(*lock_);
    std::vector<std::string> out;
    out.reserve(files_.size());
    for (const auto& [path, bytes] : files_) out.push_back(path);
    return out;
}

void SiteFiles::keep(const std::string& path, const std::string& job) {
    {
        std::lock_guard guard(*lock_);
        claim(path);
    }
    if (store_) store_->keep(path, job);
}

namespace {

// What went wrong, in words an operator can act on, with the system's own message after it.
std::string reason(int err) {
    std::string system = std::strerror(err);
    switch (err) {
    case ENOSPC: return "the disk is full (" + system + ")";
    case EDQUOT: return "the disk quota is used up (" + system + ")";
    case EROFS: return "the location is read-only (" + system + ")";
    case EACCES:
    case EPERM: return "permission denied (" + system + ")";
    case EFBIG: return "a file is larger than this disk or the process's limits allow (" + system + ")";
    default: return system;
    }
}

[[noreturn]] void fail(const std::string& what, int err) { throw WriteError(what + ": " + reason(err)); }

// fail for the system call that just failed: errno is read before the message is made, whose
// allocations may change it.
[[noreturn]] void fail_errno(std::string_view doing, const fs::path& path) {
    const int err = errno;
    fail(std::string(doing) + path.string(), err);
}

// What a stat of a file says, into its entry.
void set_stat(const struct stat& st, OutputEntry& entry) {
    entry.size = static_cast<std::uint64_t>(st.st_size);
    entry.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    entry.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    entry.inode = static_cast<std::uint64_t>(st.st_ino);
}

// restat_linked (see writer.h) with what stat says now.
void restat_linked(const struct stat& now, OutputEntry& entry) {
    const auto inode = entry.inode;
    const auto size = entry.size;
    const auto mtime_ns = entry.mtime_ns;
    set_stat(now, entry);
    if (entry.inode != inode || entry.size != size || entry.mtime_ns != mtime_ns) entry.size = untrusted_size;
}

// Whether what stat says is what entry recorded: the same regular file, as written.
bool same_stat(const struct stat& st, const OutputEntry& entry) {
    OutputEntry now;
    set_stat(st, now);
    return S_ISREG(st.st_mode) && same_file(now, entry);
}

// A descriptor closed when it goes out of scope.
struct OwnedFd {
    int fd;
    explicit OwnedFd(int fd) : fd(fd) {}
    ~OwnedFd() {
        if (fd >= 0) ::close(fd);
    }
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
};

// A name within a folder: the folder open at dir (AT_FDCWD for the working directory) and the
// relative path in it, and the whole path, for messages. Calls made at a place resolve the name
// from the open folder, not from its path: a folder moved, or replaced by a link, while a build
// writes into it does not send what it writes elsewhere.
struct Place {
    int dir = AT_FDCWD;
    std::string name;
    fs::path shown;
    explicit Place(const fs::path& path) : name(path.string()), shown(path) {}
    Place(int dir, std::string name, fs::path shown) : dir(dir), name(std::move(name)), shown(std::move(shown)) {}
};

void unlink_if_there(const Place& place);  // below

// An open file, closed when it goes out of scope unless close() was called (which reports the
// write-back errors some file systems only give then: NFS, quotas).
class OpenFile {
public:
    enum class Existing { refuse, replace };

    // A new file at path. With Existing::replace a file already there is unlinked (a folder
    // sharing its inode keeps the old bytes) and the file made again: one call where, as in a
    // new folder, there is none.
    explicit OpenFile(const Place& place, Existing existing = Existing::refuse) : path_(place.shown) {
        fd_ = create(place);
        if (fd_ < 0 && errno == EEXIST && existing == Existing::replace) {
            unlink_if_there(place);
            fd_ = create(place);
        }
        if (fd_ < 0) fail_errno("cannot create ", path_);
    }
    ~OpenFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;

    void write(std::string_view bytes) {
        const char* p = bytes.data();
        std::size_t left = bytes.size();
        while (left > 0) {
            ssize_t n = ::write(fd_, p, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                const int err = n < 0 ? errno : ENOSPC;
                fail("cannot write " + path_.string(), err);
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    }

    // Adds size bytes at offset of the file open at from; returns how many it added (fewer where
    // that file ends sooner, or cannot be read). In the kernel where it can (copy_file_range),
    // else through a buffer.
    std::uint64_t copy_from(int from, std::uint64_t offset, std::uint64_t size) {
        std::uint64_t done = 0;
        bool in_kernel = true;
        std::unique_ptr<char[]> buffer;
        constexpr std::size_t buffer_size = 1 << 20;
        while (done < size) {
            const std::uint64_t left = size - done;
            if (in_kernel) {
                loff_t at = static_cast<loff_t>(offset + done);
                const ssize_t n = ::copy_file_range(from, &at, fd_, nullptr,
                                                    static_cast<std::size_t>(std::min<std::uint64_t>(left, 1 << 30)), 0);
                if (n > 0) {
                    done += static_cast<std::uint64_t>(n);
                    continue;
                }
                if (n < 0 && errno == EINTR) continue;
                // Not between these two files (another file system, an old kernel), nothing
                // copied where some file systems give up without saying why, or an error that the
                // plain reads and writes below tell apart: the source's, or ours. The reads below
                // tell where the file ends.
                in_kernel = false;
            }
            if (!buffer) buffer.reset(new char[buffer_size]);
            const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer_size));
            const std::size_t got = read_at(from, offset + done, want, buffer.get());
            if (got == 0) break;
            write(std::string_view(buffer.get(), got));
            done += got;
        }
        return done;
    }

    // Drops the bytes from at on, and writes on from there.
    void cut_back(std::uint64_t at) {
        if (::ftruncate(fd_, static_cast<off_t>(at)) != 0 || ::lseek(fd_, static_cast<off_t>(at), SEEK_SET) < 0)
            fail_errno("cannot write ", path_);
    }

    // What stat says of the file as written. Taken before close, which on local file systems
    // and NFS (whose fstat writes back first) changes none of it; where close still moved the
    // times, the next build finds the file changed and only writes it again.
    void stat_into(OutputEntry& entry) const {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) fail_errno("cannot read back ", path_);
        set_stat(st, entry);
    }

    void close() {
        int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) fail_errno("cannot write ", path_);
    }

private:
    static int create(const Place& place) {
        return ::openat(place.dir, place.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    }

    fs::path path_;  // for messages
    int fd_;
};

// A file made piece by piece onto disk: pieces are gathered into writes of 256 KiB. (Writes of a
// mebibyte held 5% of a small site's peak of memory, and were not measurably faster at 50,000
// reports: data/reports.json is some 450 MB there.)
class FileSink final : public ByteSink {
public:
    explicit FileSink(OpenFile& file) : file_(file) { buffer_.reserve(256 << 10); }
    void write(std::string_view piece) override {
        if (buffer_.size() + piece.size() > buffer_.capacity()) flush();
        if (piece.size() >= buffer_.capacity()) {
            file_.write(piece);
            written_ += piece.size();
        } else {
            buffer_.append(piece);
        }
    }
    std::uint64_t size() const override { return written_ + buffer_.size(); }
    bool copy(int fd, std::uint64_t offset, std::uint64_t size) override {
        flush();
        const std::uint64_t copied = file_.copy_from(fd, offset, size);
        written_ += copied;
        return copied == size;
    }
    void cut_back(std::uint64_t at) override {
        if (at >= written_) {
            buffer_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(at - written_, buffer_.size())));
            return;
        }
        buffer_.clear();
        file_.cut_back(at);
        written_ = at;
    }
    void flush() {
        file_.write(buffer_);
        written_ += buffer_.size();
        buffer_.clear();
    }

private:
    OpenFile& file_;
    std::string buffer_;
    std::uint64_t written_ = 0;  // bytes in the file; those in buffer_ follow
};

void write_pieces(const fs::path& path, const std::vector<std::string_view>& pieces) {
    OpenFile file{Place(path)};
    for (auto piece : pieces) file.write(piece);
    file.close();
}

// Writes pieces to path, replacing a file there, and records what stat says of the result.
void replace_with_pieces(const Place& place, const std::vector<std::string_view>& pieces, OutputEntry& entry) {
    OpenFile file(place, OpenFile::Existing::replace);
    for (auto piece : pieces) file.write(piece);
    file.stat_into(entry);
    file.close();
}

void write_file(const fs::path& path, const std::string& data) { write_pieces(path, {std::string_view(data)}); }

void make_dir(const Place& place) {
    if (::mkdirat(place.dir, place.name.c_str(), 0755) != 0 && errno != EEXIST)
        fail_errno("cannot create the folder ", place.shown);
}

// Removes the folders of paths (files just removed) of the folder open at dir that are left
// empty, deepest first.
void remove_empty_parents(int dir, const std::vector<std::string>& paths) {
    std::set<std::string, std::greater<>> parents;
    for (const auto& path : paths)
        for (auto slash = path.rfind('/'); slash != std::string::npos && slash > 0; slash = path.rfind('/', slash - 1))
            parents.insert(path.substr(0, slash));
    for (const auto& p : parents) ::unlinkat(dir, p.c_str(), AT_REMOVEDIR);  // fails, harmlessly, unless empty
}

// What stat says of a file just written or linked.
void record_stat(const Place& place, OutputEntry& entry) {
    struct stat st {};
    if (::fstatat(place.dir, place.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        fail_errno("cannot read back ", place.shown);
    set_stat(st, entry);
}

// Removes the folder name in the folder open at dir with all it holds; links in it are removed,
// never followed. 0, or the first errno (a name already gone is not one). A folder more than 256
// levels down is left (ELOOP): each level holds a descriptor and a frame of the stack.
int remove_tree_at(int dir, const std::string& name, int depth = 0) {
    if (depth > 256) return ELOOP;
    const int fd = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : errno;
    DIR* listing = ::fdopendir(fd);
    if (!listing) {
        const int err = errno;
        ::close(fd);
        return err;
    }
    int err = 0;
    // Read again while a pass removed something: some file systems (NFS) skip names when a
    // folder changes as it is read.
    for (bool removed = true; removed && err == 0;) {
        removed = false;
        ::rewinddir(listing);
        while (const dirent* e = ::readdir(listing)) {
            const std::string entry = e->d_name;
            if (entry == "." || entry == "..") continue;
            // What the entry is, as the listing says where the file system tells (a site's
            // 60,000 files need no stat each), else as stat says.
            bool folder = e->d_type == DT_DIR;
            if (e->d_type == DT_UNKNOWN) {
                struct stat st {};
                if (::fstatat(fd, entry.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
                    if (errno == ENOENT) continue;
                    err = errno;
                    break;
                }
                folder = S_ISDIR(st.st_mode);
            }
            int gone = 0;
            if (folder)
                gone = remove_tree_at(fd, entry, depth + 1);
            else if (::unlinkat(fd, entry.c_str(), 0) != 0 && errno != ENOENT)
                gone = errno == EISDIR ? remove_tree_at(fd, entry, depth + 1) : errno;  // a folder put there meanwhile
            if (gone != 0) {
                err = gone;
                break;
            }
            removed = true;
        }
    }
    ::closedir(listing);
    if (err == 0 && ::unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) err = errno;
    return err;
}

// Clears the way for a file at place. A folder there (made by hand where the site has a file)
// goes with what it holds.
void unlink_if_there(const Place& place) {
    if (::unlinkat(place.dir, place.name.c_str(), 0) == 0 || errno == ENOENT) return;
    const int err = errno;
    struct stat st {};
    if ((err == EISDIR || err == EPERM) && ::fstatat(place.dir, place.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(st.st_mode)) {
        if (const int removed = remove_tree_at(place.dir, place.name); removed != 0)
            fail("cannot replace " + place.shown.string(), removed);
        return;
    }
    fail("cannot replace " + place.shown.string(), err);
}

bool is_empty_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

// What every working folder's name beside out starts with.
std::string working_prefix(const fs::path& out) { return "." + out.filename().string() + ".gongkai-"; }

// This process's working folder of a kind ("new", "old") beside out: ".site.gongkai-new-1234".
fs::path working_folder(const fs::path& out, const std::string& kind) {
    return out.parent_path() / (working_prefix(out) + kind + "-" + std::to_string(::getpid()));
}

// The pid in a working folder's name ".site.gongkai-new-1234", or 0.
pid_t pid_in(const std::string& name, const std::string& prefix) {
    std::string rest = name.substr(prefix.size());
    for (const char* kind : {"new-", "old-"}) {
        if (!rest.starts_with(kind)) continue;
        std::string digits = rest.substr(4);
        if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
            return 0;
        return static_cast<pid_t>(std::stol(digits));
    }
    return 0;
}

bool is_running(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

// True for a working folder of a build that is no longer running (or of this process's own).
bool of_ended_build(const std::string& name, const std::string& prefix) {
    const pid_t pid = pid_in(name, prefix);
    return pid != 0 && (pid == ::getpid() || !is_running(pid));
}

// Puts back the previous site where out is missing because a build swapped by two renames (a file
// system without an exchange) moved it aside as ".<name>.gongkai-old-<pid>", and was killed or
// could not move it back: of several, the one moved aside last.
void put_back_aside(const fs::path& out) {
    const std::string prefix = working_prefix(out);
    fs::path latest;
    struct timespec latest_change {};
    std::error_code ec;
    for (auto it = fs::directory_iterator(out.parent_path(), ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        struct stat st {};
        if (!name.starts_with(prefix + "old-") || !of_ended_build(name, prefix) ||
            ::lstat(it->path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (latest.empty() || std::tie(st.st_ctim.tv_sec, st.st_ctim.tv_nsec) >
                                  std::tie(latest_change.tv_sec, latest_change.tv_nsec)) {
            latest = it->path();
            latest_change = st.st_ctim;
        }
    }
    if (latest.empty()) return;
    // A new site published now would leave the previous one to be cleared away as stale.
    if (::rename(latest.c_str(), out.c_str()) != 0) {
        const int err = errno;
        throw WriteError("cannot move the previous site back into " + out.string() + " from " + latest.string() +
                             ": " + reason(err) + "; move it back by hand",
                         true);
    }
}

// Clears the working folders of earlier builds that were killed before they finished: only
// folders named as gongkai names them, and only those whose build is no longer running. A previous
// site moved aside is kept while out is missing (put_back_aside could not move it back).
void clear_stale(const fs::path& parent, const fs::path& out, const std::string& prefix) {
    std::error_code ec;
    std::vector<fs::path> stale;
    for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.starts_with(prefix) || !of_ended_build(name, prefix)) continue;
        std::error_code missing;
        if (name.starts_with(prefix + "old-") && !fs::exists(out, missing)) continue;
        stale.push_back(it->path());
    }
    for (const auto& dir : stale) remove_folder(dir);
}

// The folder to write, as an absolute path without a trailing '/' and with a link resolved.
fs::path output_folder(const fs::path& out_arg) {
    fs::path out = fs::absolute(out_arg).lexically_normal();
    if (out.filename().empty()) out = out.parent_path();
    std::error_code ec;
    if (fs::is_symlink(out, ec)) {
        fs::path target = fs::canonical(out, ec);
        if (ec) throw WriteError(out.string() + " is a symbolic link to a folder that does not exist");
        out = target;
    }
    if (out == out.root_path()) throw WriteError("refusing to write the site over " + out.string());
    return out;
}

// True when the folder gongkai would replace holds the working directory.
bool holds_working_directory(const fs::path& out) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    if (ec) return false;
    fs::path here = fs::weakly_canonical(cwd, ec);
    fs::path there = fs::weakly_canonical(out, ec);
    auto [a, b] = std::mismatch(there.begin(), there.end(), here.begin(), here.end());
    return a == there.end();
}

// True when the folder is where a file system is mounted (a mount point cannot be renamed, so a
// new site cannot be swapped in for it), as the kernel says (Linux 5.8 and later). An older kernel
// does not say, and a device number is no sure sign (a btrfs subvolume has its own and can be
// renamed): the swap then fails ("Device or resource busy"), and the new folder is removed.
bool is_mount_point(const fs::path& folder) {
#ifdef STATX_ATTR_MOUNT_ROOT
    struct statx stx {};
    return ::statx(AT_FDCWD, folder.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) == 0 &&
           (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0 && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
#else
    (void)folder;
    return false;
#endif
}

}  // namespace

int open_folder_by_steps(int root, const std::string& dir) {
    if (!dir.empty() && !is_safe_relative_path(dir)) {  // only a folder path a site may have
        errno = EINVAL;
        return -1;
    }
    int at = ::openat(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    std::size_t start = 0;
    while (at >= 0 && start < dir.size()) {
        std::size_t slash = dir.find('/', start);
        if (slash == std::string::npos) slash = dir.size();
        const std::string name = dir.substr(start, slash - start);
        start = slash + 1;
        struct stat st {};
        const int next = ::openat(at, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int err = errno;
        if (next < 0 && err == ENOTDIR && ::fstatat(at, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(st.st_mode))
            err = ELOOP;  // as openat2 says it
        ::close(at);
        at = next;
        errno = err;
    }
    return at;
}

int open_folder_within(int root, const std::string& dir) {
    if (!dir.empty() && !is_safe_relative_path(dir)) {  // only a folder path a site may have
        errno = EINVAL;
        return -1;
    }
    // A kernel before openat2 (Linux 5.6), or a container's filter that refuses calls it does
    // not know: the same, one folder at a time, from then on.
    static std::atomic<bool> no_openat2{false};
    if (no_openat2.load(std::memory_order_relaxed)) return open_folder_by_steps(root, dir);
    struct open_how how {};
    how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    const long fd = ::syscall(SYS_openat2, root, dir.empty() ? "." : dir.c_str(), &how, sizeof how);
    if (fd >= 0) return static_cast<int>(fd);
    if (errno != ENOSYS && errno != EPERM) return -1;
    no_openat2.store(true, std::memory_order_relaxed);
    return open_folder_by_steps(root, dir);
}

FolderStore::FolderStore(fs::path folder, Manifest current, fs::path live, const Manifest* live_manifest)
    : folder_(std::move(folder)), current_(std::move(current)), live_(std::move(live)), live_manifest_(live_manifest) {
    // About as many files as the site had: the list is made at its size, not rehashed step by step
    // under the lock every writer takes.
    result_.reserve(std::max(current_.size(), live_manifest_ ? live_manifest_->size() : 0));
    folder_fd_ = ::open(folder_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (folder_fd_ < 0) {
        const int err = errno;
        fail("cannot open the folder " + folder_.string(), err);
    }
    if (!live_.empty() && (live_fd_ = ::open(live_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) live_errno_ = errno;
    struct stat st {};
    if (live_fd_ >= 0 && ::fstat(live_fd_, &st) == 0) live_dev_ = st.st_dev;
}

FolderStore::~FolderStore() {
    ::close(folder_fd_);
    if (live_fd_ >= 0) ::close(live_fd_);
}

// Where the deepest of path's folders that the store has made or found ends (0: none of them);
// path's own folder ends at its last slash. A folder is recorded only once its parents are, so
// those above it are made too.
std::size_t FolderStore::known_parent_locked(std::string_view path) const {
    for (std::size_t end = path.rfind('/'); end != std::string_view::npos && end > 0; end = path.rfind('/', end - 1))
        if (dirs_.contains(path.substr(0, end))) return end;
    return 0;
}

// Makes path's folders below the one that ends at known (see known_parent_locked), from the top
// down; returns them, to be recorded together. Two threads may make the same folder: the second
// finds it there.
std::vector<std::string> FolderStore::make_parents_below(const std::string& path, std::size_t known) {
    std::vector<std::string> made;
    const std::size_t last = path.rfind('/');
    if (last == std::string::npos || known == last) return made;
    for (std::size_t slash = path.find('/', known == 0 ? 0 : known + 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        made.push_back(path.substr(0, slash));
        make_dir(Place(folder_fd_, made.back(), folder_ / made.back()));
    }
    return made;
}

void FolderStore::record_dirs_locked(std::vector<std::string>&& made) {
    for (auto& dir : made) dirs_.insert(std::move(dir));
}

void FolderStore::make_parents(const std::string& path) {
    std::size_t known;
    {
        std::lock_guard guard(lock_);
        known = known_parent_locked(path);
    }
    std::vector<std::string> made = make_parents_below(path, known);
    if (made.empty()) return;
    std::lock_guard guard(lock_);
    record_dirs_locked(std::move(made));
}

bool FolderStore::holds_locked(const std::string& path, const Hash128& hash, const std::string& job) {
    auto it = current_.find(path);
    if (it == current_.end() || it->second.hash != hash) return false;
    OutputEntry& same = result_[path];
    same = it->second;
    same.job = job;
    return true;
}

bool FolderStore::holds(const std::string& path, const Hash128& hash, const std::string& job) {
    std::lock_guard guard(lock_);
    return holds_locked(path, hash, job);
}

// Before a file of the folder is replaced: its inode, which other folders may share, is touched.
bool FolderStore::forget_locked(const std::string& path) {
    auto it = current_.find(path);
    if (it == current_.end()) return false;
    touched_.insert(it->second.inode);
    return true;
}

bool FolderStore::forget(const std::string& path) {
    std::lock_guard guard(lock_);
    return forget_locked(path);
}

FolderStore::Claim FolderStore::claim(const std::string& path, const Hash128& hash, const std::string& job) {
    std::lock_guard guard(lock_);
    Claim claimed;
    claimed.held = holds_locked(path, hash, job);
    if (claimed.held) return claimed;
    claimed.listed = forget_locked(path);
    claimed.known = known_parent_locked(path);
    return claimed;
}

void FolderStore::put(const std::string& path, std::string bytes, const std::string& job) {
    put_pieces(path, {std::string_view(bytes)}, job);
}

void FolderStore::put_pieces(const std::string& path, const std::vector<std::string_view>& pieces,
                             const std::string& job) {
    OutputEntry entry;
    entry.hash = hash_pieces(pieces);
    entry.job = job;
    // One hold of the lock (claim), and one more once the file is written, to record it with the
    // folders made for it: the threads that write pages meet here for every file.
    const Claim claimed = claim(path, entry.hash, job);
    if (claimed.held) return;
    std::vector<std::string> made = make_parents_below(path, claimed.known);
    const Place target(folder_fd_, path, folder_ / path);
    // A file the folder lists is there to replace: unlinked first, it is one call fewer.
    if (claimed.listed) unlink_if_there(target);
    replace_with_pieces(target, pieces, entry);
    std::lock_guard guard(lock_);
    record_dirs_locked(std::move(made));
    result_[path] = std::move(entry);
}

void FolderStore::put_streamed(const std::string& path, const MakeBytes& make, const std::string& job) {
    make_parents(path);
    const Place target(folder_fd_, path, folder_ / path);
    // Made under a draft name beside the site's files, then either dropped (the folder holds the
    // same bytes already, by the checksum make gives, which are left alone, as put_pieces leaves
    // them) or renamed into place. A draft left half made (its maker or the disk failed) is
    // removed.
    std::string draft_name;
    {
        std::lock_guard guard(lock_);
        draft_name = ".gongkai-draft-" + std::to_string(streams_++);
    }
    const Place draft(folder_fd_, draft_name, folder_ / draft_name);
    unlink_if_there(draft);
    OutputEntry entry;
    entry.job = job;
    try {
        OpenFile file(draft);
        FileSink sink(file);
        entry.hash = make(sink);
        sink.flush();
        file.close();
    } catch (...) {
        ::unlinkat(folder_fd_, draft.name.c_str(), 0);
        throw;
    }
    if (holds(path, entry.hash, job)) {
        ::unlinkat(folder_fd_, draft.name.c_str(), 0);
        return;
    }
    forget(path);
    // The name now points at the new file; a folder that shares the old one keeps it.
    if (::renameat(folder_fd_, draft.name.c_str(), folder_fd_, target.name.c_str()) != 0) {
        int err = errno;
        ::unlinkat(folder_fd_, draft.name.c_str(), 0);
        fail("cannot write " + target.shown.string(), err);
    }
    record_stat(target, entry);
    std::lock_guard guard(lock_);
    result_[path] = std::move(entry);
}

void FolderStore::keep(const std::string& path, const std::string& job) {
    const OutputEntry* live = nullptr;
    if (live_manifest_)
        if (auto it = live_manifest_->find(path); it != live_manifest_->end()) live = &it->second;
    if (!live) throw WriteError("cannot carry over " + path + ": the published site does not list it");
    // As put_pieces: one hold of the lock before, one after.
    const Claim claimed = claim(path, live->hash, job);
    if (claimed.held) return;
    std::vector<std::string> made = make_parents_below(path, claimed.known);
    const Place target(folder_fd_, path, folder_ / path);
    if (claimed.listed) unlink_if_there(target);
    // Linked from the published file's folder as opened through folders alone. Where a folder on
    // the way is a symbolic link now (one moved within the file system and linked, say), the file
    // is opened through it first and linked only if it is the very file the build found as written
    // (on the site's device, with its inode, size and modification time); the file linked is then
    // the one open (through /proc/self/fd), whatever its name leads to by then. Nothing from
    // outside the site comes into it.
    const std::string dir = parent_folder(path);
    const std::string name = path.substr(dir.empty() ? 0 : dir.size() + 1);
    if (live_fd_ < 0) fail("cannot carry over " + path + " from the published site", live_errno_);
    const OwnedFd from(open_folder_within(live_fd_, dir));
    const bool through_link = from.fd < 0;
    if (through_link && errno != ELOOP && errno != ENOTDIR) {
        const int err = errno;
        fail("cannot carry over " + path + " from the published site", err);
    }
    auto not_as_found = [&] {
        return WriteError("cannot carry over " + path + " from the published site: " + (live_ / path).string() +
                          " is no longer the file the build found (it was replaced while this build ran); build "
                          "again");
    };
    const OwnedFd pinned(through_link ? ::openat(live_fd_, path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC) : -1);
    std::string source = name;
    if (through_link) {
        struct stat found {};
        OutputEntry now;
        if (pinned.fd < 0 || ::fstat(pinned.fd, &found) != 0 || !S_ISREG(found.st_mode) || found.st_dev != live_dev_)
            throw not_as_found();
        set_stat(found, now);
        if (now.inode != live->inode || now.size != live->size || now.mtime_ns != live->mtime_ns) throw not_as_found();
        source = "/proc/self/fd/" + std::to_string(pinned.fd);
    }
    const int at = through_link ? AT_FDCWD : from.fd;
    const int follow = through_link ? AT_SYMLINK_FOLLOW : 0;
    int linked = ::linkat(at, source.c_str(), folder_fd_, path.c_str(), follow);
    if (linked != 0 && errno == EEXIST) {
        unlink_if_there(target);
        linked = ::linkat(at, source.c_str(), folder_fd_, path.c_str(), follow);
    }
    if (linked != 0) {
        const int err = errno;
        fail("cannot carry over " + path + " from the published site", err);
    }
    // A link put in the file's place is linked as itself, never followed: it is not published.
    struct stat st {};
    if (::fstatat(folder_fd_, path.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        const int err = errno;
        fail("cannot read back " + target.shown.string(), err);
    }
    if (!S_ISREG(st.st_mode) || (through_link && static_cast<std::uint64_t>(st.st_ino) != live->inode)) {
        ::unlinkat(folder_fd_, path.c_str(), 0);
        throw not_as_found();
    }
    OutputEntry entry = *live;
    entry.job = job;
    restat_linked(st, entry);  // edited since the build found it as written: published, not trusted
    std::lock_guard guard(lock_);
    touched_.insert(live->inode);
    record_dirs_locked(std::move(made));
    result_[path] = std::move(entry);
}

Manifest FolderStore::finish() {
    std::vector<std::string> removed;
    for (const auto& [path, entry] : current_) {
        if (result_.contains(path)) continue;
        touched_.insert(entry.inode);
        unlink_if_there(Place(folder_fd_, path, folder_ / path));
        removed.push_back(path);
    }
    remove_empty_parents(folder_fd_, removed);
    return std::move(result_);
}

namespace {

// A folder, open for looking up what it holds by relative path: each lookup walks only the path
// within it, not the folder's own path again (a site's files are looked up by the ten thousand).
class FolderHandle {
public:
    explicit FolderHandle(const fs::path& folder)
        : fd_(::open(folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)), base_(folder.string() + "/") {}
    ~FolderHandle() {
        if (fd_ >= 0) ::close(fd_);
    }
    FolderHandle(const FolderHandle&) = delete;
    FolderHandle& operator=(const FolderHandle&) = delete;
    // lstat of the entry at relative path ("" for the folder itself).
    bool lstat(const std::string& path, struct stat& st) const {
        if (fd_ < 0) return ::lstat((base_ + path).c_str(), &st) == 0;
        return ::fstatat(fd_, path.empty() ? "." : path.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    }

private:
    int fd_;
    std::string base_;
};

}  // namespace

void verify_manifest(const fs::path& folder, Manifest& manifest, Manifest* dropped,
                     const std::function<bool(const std::string& path, const OutputEntry& entry)>& vouched) {
    // stat on all cores: a large site has tens of thousands of files.
    std::vector<Manifest::iterator> entries;
    entries.reserve(manifest.size());
    for (auto it = manifest.begin(); it != manifest.end(); ++it) entries.push_back(it);
    std::vector<char> same(entries.size(), 0);
    const FolderHandle handle(folder);
    parallel_for(entries.size(), worker_count(0), [&](std::size_t i, unsigned) {
        auto it = entries[i];
        if (vouched && vouched(it->first, it->second)) {
            same[i] = 1;
            return;
        }
        struct stat st {};
        same[i] = handle.lstat(it->first, st) && same_stat(st, it->second);
    });
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (same[i]) continue;
        if (dropped) dropped->insert(manifest.extract(entries[i]));
        else manifest.erase(entries[i]);
    }
}

bool same_file(const OutputEntry& a, const OutputEntry& b) {
    return a.inode == b.inode && a.size == b.size && a.mtime_ns == b.mtime_ns && a.ctime_ns == b.ctime_ns;
}

void verify_linked_copy(const fs::path& folder, Manifest& manifest, const Manifest& published,
                        const FolderTimes& unchanged) {
    verify_manifest(folder, manifest, nullptr, [&](const std::string& path, const OutputEntry& entry) {
        if (!unchanged.contains(parent_folder(path))) return false;
        auto it = published.find(path);
        return it != published.end() && same_file(it->second, entry);
    });
}

void restat(const fs::path& path, OutputEntry& entry) { record_stat(Place(path), entry); }

void restat_linked(const fs::path& path, OutputEntry& entry) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) fail_errno("cannot read back ", path);
    restat_linked(st, entry);
}

PublishedFile::PublishedFile(const fs::path& file, const OutputEntry& as_written)
    : fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)), as_written_(as_written) {
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !same_stat(st, as_written_)) {
        ::close(fd_);
        fd_ = -1;
        return;
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
}

PublishedFile::~PublishedFile() {
    if (fd_ >= 0) ::close(fd_);
}

bool PublishedFile::unchanged() const {
    struct stat st {};
    return fd_ >= 0 && ::fstat(fd_, &st) == 0 && same_stat(st, as_written_);
}

namespace {

// The folders that hold a manifest's files ("" for the top). A page's folder is usually new
// while its parents were seen already, so parents are looked at from the deepest up.
std::unordered_set<std::string> folders_of(const Manifest& manifest) {
    std::unordered_set<std::string> out{""};
    out.reserve(manifest.size());
    for (const auto& [path, entry] : manifest)
        for (auto slash = path.rfind('/'); slash != std::string::npos && slash > 0;
             slash = path.rfind('/', slash - 1))
            if (!out.emplace(path, 0, slash).second) break;  // its parents are in too
    return out;
}

constexpr std::int64_t not_a_folder = std::numeric_limits<std::int64_t>::min();

std::int64_t ctime_of(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
}

}  // namespace

std::string parent_folder(std::string_view path) {
    auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? std::string_view() : path.substr(0, slash));
}

FolderTimes folder_times(const fs::path& folder, const Manifest& manifest, const FolderTimes* known,
                         const std::unordered_set<std::string>* changed) {
    std::unordered_set<std::string> folders = folders_of(manifest);
    // A folder made since known was taken changed its parent.
    std::unordered_set<std::string> grown;
    if (known)
        for (const auto& f : folders)
            if (!f.empty() && !known->contains(f)) grown.insert(parent_folder(f));
    FolderTimes out;
    std::vector<const std::string*> list;
    for (const auto& f : folders) {
        if (known && !f.empty() && !grown.contains(f) && !(changed && changed->contains(f)))
            if (auto it = known->find(f); it != known->end()) {
                out.emplace(f, it->second);
                continue;
            }
        list.push_back(&f);
    }
    // A folder found no folder (a link put in its place, say) is recorded all the same, with a
    // time no folder has: unchanged_folders never finds it unchanged, so the build that brings
    // this copy up to date again looks at it (see clear_unlisted).
    std::vector<std::int64_t> times(list.size(), not_a_folder);
    const FolderHandle handle(folder);
    parallel_for(list.size(), worker_count(0), [&](std::size_t i, unsigned) {
        struct stat st {};
        if (handle.lstat(*list[i], st) && S_ISDIR(st.st_mode)) times[i] = ctime_of(st);
    });
    for (std::size_t i = 0; i < list.size(); ++i) out.emplace(*list[i], times[i]);
    return out;
}

FolderTimes unchanged_folders(const fs::path& folder, const FolderTimes& recorded) {
    std::vector<std::pair<const std::string*, std::int64_t>> list;
    list.reserve(recorded.size());
    for (const auto& [dir, time] : recorded) list.emplace_back(&dir, time);
    std::vector<char> same(list.size(), 0);
    const FolderHandle handle(folder);
    parallel_for(list.size(), worker_count(0), [&](std::size_t i, unsigned) {
        struct stat st {};
        same[i] = handle.lstat(*list[i].first, st) && S_ISDIR(st.st_mode) && ctime_of(st) == list[i].second;
    });
    FolderTimes out;
    out.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i)
        if (same[i]) out.emplace(*list[i].first, list[i].second);
    return out;
}

namespace {

std::size_t depth_of(const std::string& dir) {
    return dir.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(dir.begin(), dir.end(), '/'));
}

bool is_within(std::string_view path, std::string_view dir) {
    return path.size() > dir.size() && path[dir.size()] == '/' && path.starts_with(dir);
}

// What stands where the copy's folders should be and is not a folder, removed (see
// clear_unlisted), shallowest first: a folder is looked at only after every folder above it was
// found a folder or removed, so no lookup passes through a link. The folders are those recorded
// for the copy, which are all that hold its files (each was a folder when the build that wrote
// them recorded it). A folder in unchanged was found a folder with its recorded ctime, but
// through its parents: the rest are looked at here. Returns the folders removed.
std::vector<std::string> remove_strays(const fs::path& folder, const FolderTimes& recorded, const FolderTimes& unchanged) {
    std::vector<const std::string*> look;
    for (const auto& [dir, time] : recorded)
        if (!unchanged.contains(dir)) look.push_back(&dir);
    std::sort(look.begin(), look.end(), [](const std::string* a, const std::string* b) {
        const std::size_t da = depth_of(*a), db = depth_of(*b);
        return da != db ? da < db : *a < *b;
    });
    std::vector<std::string> removed;
    const FolderHandle handle(folder);
    for (const std::string* dir : look) {
        if (dir->empty()) continue;  // the copy itself, found by its inode
        if (std::any_of(removed.begin(), removed.end(), [&](const std::string& r) { return is_within(*dir, r); }))
            continue;  // went with what was removed above it
        struct stat st {};
        if (!handle.lstat(*dir, st) || S_ISDIR(st.st_mode)) continue;
        if (::unlink((folder / *dir).c_str()) != 0 && errno != ENOENT) {
            const int err = errno;
            fail("cannot remove " + (folder / *dir).string(), err);
        }
        removed.push_back(*dir);
    }
    return removed;
}

}  // namespace

FolderTimes clear_unlisted(const fs::path& folder, const Manifest& original, Manifest& verified,
                           const FolderTimes& recorded, FolderTimes unchanged) {
    const std::vector<std::string> strays = remove_strays(folder, recorded, unchanged);
    if (!strays.empty()) {
        auto below_a_stray = [&](std::string_view path) {
            return std::any_of(strays.begin(), strays.end(),
                               [&](const std::string& s) { return path == s || is_within(path, s); });
        };
        std::erase_if(verified, [&](const auto& entry) { return below_a_stray(entry.first); });
        std::erase_if(unchanged, [&](const auto& entry) { return below_a_stray(entry.first); });
        for (const auto& stray : strays)
            for (std::string dir = parent_folder(stray);; dir = parent_folder(dir)) {
                unchanged.erase(dir);
                if (dir.empty()) break;
            }
    }
    std::vector<std::string> untrusted;
    const OwnedFd opened(::open(folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (opened.fd < 0) {
        const int err = errno;
        fail("cannot open the folder " + folder.string(), err);
    }
    for (const auto& [path, entry] : original) {
        if (verified.contains(path)) continue;
        unlink_if_there(Place(opened.fd, path, folder / path));
        untrusted.push_back(path);
    }
    remove_empty_parents(opened.fd, untrusted);
    // Removing a file changed its folder, and may have removed the folder from its own.
    for (const auto& path : untrusted)
        for (std::string dir = parent_folder(path);; dir = parent_folder(dir)) {
            unchanged.erase(dir);
            if (dir.empty()) break;
        }
    std::error_code ec;
    std::unordered_set<std::string> folders;
    for (const auto& [dir, time] : recorded) {
        if (unchanged.contains(dir)) continue;
        if (folders.empty()) folders = folders_of(verified);
        for (auto it = fs::directory_iterator(folder / dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::string rel = (dir.empty() ? "" : dir + "/") + it->path().filename().string();
            if (rel == site_marker || verified.contains(rel) || folders.contains(rel)) continue;
            fs::remove_all(it->path(), ec);
        }
    }
    return unchanged;
}

fs::path check_output(const fs::path& out_arg, const WriteOptions& options) {
    fs::path out = output_folder(out_arg);
    std::error_code ec;
    if (!fs::exists(out, ec)) put_back_aside(out);
    if (!fs::exists(out, ec)) return out;
    if (!fs::is_directory(out, ec)) throw WriteError(out.string() + " exists and is not a folder");
    if (fs::exists(out / ".git", ec))
        throw WriteError(out.string() + " is a git repository (it holds .git); gongkai never replaces one, even with "
                                        "--force: choose another --out");
    if (holds_working_directory(out))
        throw WriteError(out.string() + " holds the folder you are working in; choose another --out");
    if (is_mount_point(out))
        throw WriteError(out.string() + " is a mount point: gongkai publishes a site by swapping a new folder in for "
                                        "the old one whole, and a mount point cannot be moved; name a folder within "
                                        "it as --out (such as " + (out / "site").string() +
                         ") and serve that, or mount the file system one folder up");
    if (!options.force && !fs::exists(out / site_marker, ec) && !is_empty_dir(out))
        throw WriteError(out.string() + " holds files that gongkai did not write; choose another --out, or pass "
                                        "--force to replace it");
    return out;
}

fs::path prepare_output(const fs::path& out_arg, const WriteOptions& options) {
    fs::path out = check_output(out_arg, options);
    fs::path parent = out.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) throw WriteError("cannot create the folder " + parent.string() + ": " + reason(ec.value()));
    // A file larger than the process may write must fail with EFBIG and a message, not kill it.
    ::signal(SIGXFSZ, SIG_IGN);
    clear_stale(parent, out, working_prefix(out));
    return out;
}

void make_site_folder(const fs::path& folder) {
    remove_folder(folder);
    if (::mkdir(folder.c_str(), 0755) != 0) fail_errno("cannot create ", folder);
    try {
        write_file(folder / site_marker, "This folder was written by gongkai. It is replaced whole by every build.\n");
    } catch (...) {
        remove_folder(folder);
        throw;
    }
}

fs::path new_site_folder(const fs::path& out) {
    fs::path parent = out.parent_path();
    fs::path tmp = working_folder(out, "new");
    try {
        make_site_folder(tmp);
    } catch (const WriteError& e) {
        throw WriteError(std::string(e.what()) + "; gongkai writes the site in a new folder in " + parent.string() +
                         " and swaps it in, so it must be able to write there");
    }
    return tmp;
}

namespace {

// Whether a rename onto out failed (with err) because another build published a site there
// meanwhile: builds into one folder take turns on the lock in the cache's folder, but one without
// the cache takes none while there is no such folder yet. Such a site is replaced as any previous
// site is; what gongkai did not write is left alone, as check_output leaves it.
bool published_meanwhile(const fs::path& out, int err) {
    std::error_code ec;
    return (err == ENOTEMPTY || err == EEXIST) && fs::exists(out / site_marker, ec);
}

}  // namespace

bool swap_in(const fs::path& out, const fs::path& folder) {
    std::error_code ec;
    if (!fs::exists(out, ec)) {
        if (::rename(folder.c_str(), out.c_str()) == 0) return false;
        const int err = errno;
        if (!published_meanwhile(out, err)) fail("cannot create " + out.string(), err);
    }
    if (::renameat2(AT_FDCWD, folder.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) return true;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) fail_errno("cannot replace ", out);
    // A file system without an atomic exchange: move the old site aside, then the new one in.
    fs::path old = working_folder(out, "old");
    remove_folder(old);
    if (::rename(out.c_str(), old.c_str()) != 0) {
        const int err = errno;
        fail("cannot move the previous site aside", err);
    }
    if (::rename(folder.c_str(), out.c_str()) != 0) {
        const int err = errno;
        if (published_meanwhile(out, err)) {
            // The site aside is older than the one now published, which is moved aside in turn.
            remove_folder(old);
            return swap_in(out, folder);
        }
        if (::rename(old.c_str(), out.c_str()) != 0) {
            const int back = errno;
            throw WriteError("cannot replace " + out.string() + ": " + reason(err) +
                                 "; nor could the previous site be moved back (" + reason(back) + "): it is now in " +
                                 old.string() + ". Move it back, or build again: the next `gongkai build` into " +
                                 out.string() + " moves it back before anything else",
                             true);
        }
        fail("cannot replace " + out.string(), err);
    }
    if (::rename(old.c_str(), folder.c_str()) != 0) remove_folder(old);
    return true;
}

void write_new_file(const fs::path& path, const std::string& data) { write_file(path, data); }

void write_new_file(const fs::path& path, const std::vector<std::string_view>& pieces) { write_pieces(path, pieces); }

namespace {

// The names a folder open at fd holds (not "." or ".."); none if it cannot be read.
std::vector<std::string> names_at(int fd) {
    std::vector<std::string> names;
    const int listing = ::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (listing < 0) return names;
    DIR* dir = ::fdopendir(listing);
    if (!dir) {
        ::close(listing);
        return names;
    }
    while (const dirent* e = ::readdir(dir)) {
        const std::string_view name = e->d_name;
        if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(dir);
    return names;
}

// Removes the entry name of the folder open at dir: a file or link is unlinked (never followed),
// a folder removed with all it holds.
void remove_entry_at(int dir, const std::string& name) {
    if (::unlinkat(dir, name.c_str(), 0) != 0 && errno == EISDIR) remove_tree_at(dir, name);
}

}  // namespace

void remove_folder(const fs::path& folder) {
    const OwnedFd top(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (top.fd < 0) {
        std::error_code ec;
        fs::remove_all(folder, ec);  // not a folder: a file, a link, or nothing
        return;
    }
    // What the folders at the top hold is removed on all cores, an entry at a time: unlinking a
    // large site is the kernel's work of freeing its files (a second for 60,000 files), which one
    // core does at half the speed of two. A site's pages are two levels down (projects/<id>/).
    // Each entry is removed through its folder at the top, opened again (never through a link)
    // by the thread that removes it: no descriptor is held for the whole removal.
    struct Item {
        std::size_t first;  // in firsts
        std::string name;
    };
    std::vector<std::string> firsts;
    std::vector<Item> items;
    for (std::string& name : names_at(top.fd)) {
        if (::unlinkat(top.fd, name.c_str(), 0) == 0 || errno != EISDIR) continue;  // a file or link: gone
        const OwnedFd first(::openat(top.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (first.fd < 0) continue;  // replaced meanwhile: removed below
        for (std::string& inner : names_at(first.fd)) items.push_back({firsts.size(), std::move(inner)});
        firsts.push_back(std::move(name));
    }
    parallel_for(items.size(), worker_count(0), [&](std::size_t i, unsigned) {
        const Item& item = items[i];
        const OwnedFd first(
            ::openat(top.fd, firsts[item.first].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (first.fd >= 0) remove_entry_at(first.fd, item.name);
    });
    // The folders at the top, empty now but for what appeared meanwhile; then the folder itself,
    // by its path as before should anything be left.
    for (const std::string& name : names_at(top.fd)) remove_entry_at(top.fd, name);
    if (::rmdir(folder.c_str()) != 0 && errno != ENOENT) {
        std::error_code ec;
        fs::remove_all(folder, ec);
    }
}

void write_site(const fs::path& out_arg, const SiteFiles& files, const WriteOptions& options) {
    fs::path out = prepare_output(out_arg, options);
    fs::path tmp = new_site_folder(out);
    try {
        FolderStore store(tmp, {});
        for (const auto& [path, data] : files.files()) store.put_pieces(path, {std::string_view(data)}, "");
        if (swap_in(out, tmp)) remove_folder(tmp);  // tmp now holds the previous site
    } catch (const fs::filesystem_error& e) {
        remove_folder(tmp);
        throw WriteError(std::string("cannot write the site: ") + e.what());
    } catch (...) {
        remove_folder(tmp);
        throw;
    }
}

}  // namespace gongkai
