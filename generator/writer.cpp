#include "writer.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "paths.h"

namespace gongkai {

namespace fs = std::filesystem;

void SiteFiles::add(const std::string& path, std::string data) {
    if (!is_safe_relative_path(path)) throw WriteError("refusing to write '" + path + "': it would leave the site folder");
    if (!files_.emplace(path, std::move(data)).second)
        throw WriteError("two pages would be written to the same file '" + path + "'");
}

namespace {

std::string errno_text() { return std::strerror(errno); }

void write_file(const fs::path& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) throw WriteError("cannot write " + path.string() + ": " + errno_text());
}

bool is_empty_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

// Removes folders left by earlier builds that were killed before they could swap.
void remove_stale(const fs::path& parent, const std::string& prefix) {
    std::error_code ec;
    for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.starts_with(prefix) && fs::exists(it->path() / site_marker)) fs::remove_all(it->path(), ec);
    }
}

}  // namespace

void write_site(const fs::path& out_arg, const SiteFiles& files, const WriteOptions& options) {
    fs::path out = fs::absolute(out_arg).lexically_normal();
    if (out.filename().empty()) out = out.parent_path();
    fs::path parent = out.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) throw WriteError("cannot create " + parent.string() + ": " + ec.message());

    bool exists = fs::exists(out, ec);
    if (exists && !fs::is_directory(out, ec)) throw WriteError(out.string() + " exists and is not a folder");
    if (exists && !options.force && !fs::exists(out / site_marker, ec) && !is_empty_dir(out))
        throw WriteError(out.string() + " holds files that gongkai did not write; choose another --out, or pass "
                                        "--force to replace it");

    const std::string prefix = "." + out.filename().string() + ".gongkai-";
    remove_stale(parent, prefix);
    fs::path tmp = parent / (prefix + "new-" + std::to_string(::getpid()));
    fs::remove_all(tmp, ec);
    try {
        fs::create_directory(tmp);
        write_file(tmp / site_marker, "This folder was written by gongkai. It is replaced whole by every build.\n");
        for (const auto& [path, data] : files.files()) {
            fs::path target = tmp / path;
            fs::create_directories(target.parent_path());
            write_file(target, data);
        }
        if (exists) {
            if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) != 0)
                throw WriteError("cannot replace " + out.string() + ": " + errno_text());
            // tmp now holds the previous site.
            fs::remove_all(tmp, ec);
        } else if (::rename(tmp.c_str(), out.c_str()) != 0) {
            throw WriteError("cannot create " + out.string() + ": " + errno_text());
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
