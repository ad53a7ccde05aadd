#include "content/source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <iterator>

#include "utf8.h"

namespace gongkai {

namespace fs = std::filesystem;

std::string join_repo_path(const std::string& prefix, const std::string& path) {
    constexpr std::size_t whole = std::numeric_limits<std::size_t>::max();
    if (prefix.empty()) return printable(path, whole);
    return printable(prefix, whole) + "/" + printable(path, whole);
}

Snapshot MemorySource::read(Diagnostics&) {
    Snapshot snap;
    for (const auto& [path, data] : files_) snap.files.push_back({path, join_repo_path("", path), data});
    snap.commit_time = time_;
    snap.description = "memory";
    return snap;
}

Snapshot DirectorySource::read(Diagnostics& diagnostics) {
    Snapshot snap;
    snap.description = "working tree";
    snap.prefix = prefix_;
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) {
        diagnostics.error(join_repo_path("", prefix_), 0, 0, "", "no such folder in the working tree");
        return snap;
    }
    for (auto it = fs::recursive_directory_iterator(root_, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const auto& entry = *it;
        std::string rel = entry.path().lexically_relative(root_).generic_string();
        std::string name = entry.path().filename().string();
        if (name == ".git") {
            it.disable_recursion_pending();
            continue;
        }
        SourceFile file{rel, join_repo_path(prefix_, rel), ""};
        std::error_code type_ec;
        if (entry.is_symlink(type_ec)) {
            file.kind = EntryKind::symlink;
            snap.files.push_back(std::move(file));
            continue;
        }
        if (!entry.is_regular_file(type_ec)) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        if (in) file.data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (!in.is_open() || in.bad()) {
            file.kind = EntryKind::unreadable;
            file.problem = "cannot be read from the working tree";
            file.data.clear();
        }
        snap.files.push_back(std::move(file));
    }
    if (ec) diagnostics.error(join_repo_path("", prefix_), 0, 0, "", "cannot read the folder: " + ec.message());
    std::sort(snap.files.begin(), snap.files.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return snap;
}

}  // namespace gongkai
