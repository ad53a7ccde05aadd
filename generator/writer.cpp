#include "writer.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <vector>

#include "paths.h"

namespace gongkai {

namespace fs = std::filesystem;

void SiteFiles::add(const std::string& path, std::string data) {
    if (!is_safe_relative_path(path))
        throw WriteError("refusing to write '" + path + "': it would leave the site folder");
    if (!files_.emplace(path, std::move(data)).second)
        throw WriteError("two pages would be written to the same file '" + path + "'");
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

void write_file(const fs::path& path, const std::string& data) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot create " + path.string(), errno);
    const char* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = n < 0 ? errno : ENOSPC;
            ::close(fd);
            fail("cannot write " + path.string(), err);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    // close reports the write-back errors of some file systems (NFS, quotas).
    if (::close(fd) != 0) fail("cannot write " + path.string(), errno);
}

void make_dir(const fs::path& dir) {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) fail("cannot create the folder " + dir.string(), errno);
}

bool is_empty_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
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

// Clears the working folders of earlier builds that were killed before they finished: only
// folders named as gongkai names them, and only those whose build is no longer running. When a
// build was killed between the two renames of the fallback swap, its "old" folder holds the last
// site and out is gone: the site is put back first.
void clear_stale(const fs::path& parent, const fs::path& out, const std::string& prefix) {
    std::error_code ec;
    std::vector<fs::path> stale;
    for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.starts_with(prefix)) continue;
        pid_t pid = pid_in(name, prefix);
        if (pid == 0 || (pid != ::getpid() && is_running(pid))) continue;
        stale.push_back(it->path());
    }
    for (const auto& dir : stale) {
        std::error_code missing;
        if (dir.filename().string().starts_with(prefix + "old-") && !fs::exists(out, missing) &&
            fs::exists(dir / site_marker, missing) && ::rename(dir.c_str(), out.c_str()) == 0)
            continue;
        fs::remove_all(dir, ec);
    }
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

}  // namespace

void write_site(const fs::path& out_arg, const SiteFiles& files, const WriteOptions& options) {
    fs::path out = output_folder(out_arg);
    fs::path parent = out.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) throw WriteError("cannot create the folder " + parent.string() + ": " + reason(ec.value()));

    bool exists = fs::exists(out, ec);
    if (exists && !fs::is_directory(out, ec)) throw WriteError(out.string() + " exists and is not a folder");
    if (exists && fs::exists(out / ".git", ec))
        throw WriteError(out.string() + " is a git repository (it holds .git); gongkai never replaces one, even with "
                                        "--force: choose another --out");
    if (exists && holds_working_directory(out))
        throw WriteError(out.string() + " holds the folder you are working in; choose another --out");
    if (exists && !options.force && !fs::exists(out / site_marker, ec) && !is_empty_dir(out))
        throw WriteError(out.string() + " holds files that gongkai did not write; choose another --out, or pass "
                                        "--force to replace it");

    // A file larger than the process may write must fail with EFBIG and a message, not kill it.
    ::signal(SIGXFSZ, SIG_IGN);
    const std::string prefix = "." + out.filename().string() + ".gongkai-";
    clear_stale(parent, out, prefix);
    exists = fs::exists(out, ec);
    fs::path tmp = parent / (prefix + "new-" + std::to_string(::getpid()));
    fs::remove_all(tmp, ec);
    if (::mkdir(tmp.c_str(), 0755) != 0) {
        int err = errno;
        throw WriteError("cannot create the new site beside " + out.string() + ": " + reason(err) +
                         "; gongkai writes the site in a new folder in " + parent.string() +
                         " and swaps it in, so it must be able to write there");
    }
    try {
        write_file(tmp / site_marker, "This folder was written by gongkai. It is replaced whole by every build.\n");
        for (const auto& [path, data] : files.files()) {
            fs::path target = tmp / path;
            // Folders one at a time, so a failure names the one that could not be made.
            fs::path dir = tmp;
            fs::path rel = fs::path(path).parent_path();
            for (const auto& part : rel) {
                dir /= part;
                make_dir(dir);
            }
            write_file(target, data);
        }
        if (exists) {
            if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) {
                fs::remove_all(tmp, ec);  // tmp now holds the previous site
                return;
            }
            if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
                fail("cannot replace " + out.string(), errno);
            // A file system without an atomic exchange: move the old site aside, then the new one in.
            fs::path old = parent / (prefix + "old-" + std::to_string(::getpid()));
            fs::remove_all(old, ec);
            if (::rename(out.c_str(), old.c_str()) != 0) fail("cannot move the previous site aside", errno);
            if (::rename(tmp.c_str(), out.c_str()) != 0) {
                int err = errno;
                ::rename(old.c_str(), out.c_str());
                fail("cannot replace " + out.string(), err);
            }
            fs::remove_all(old, ec);
        } else if (::rename(tmp.c_str(), out.c_str()) != 0) {
            fail("cannot create " + out.string(), errno);
        }
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw WriteError(std::string("cannot write the site: ") + e.what());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

}  // namespace gongkai
