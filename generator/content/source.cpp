#include "content/source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gongkai {

namespace fs = std::filesystem;

std::string join_repo_path(const std::string& prefix, const std::string& path) {
    if (prefix.empty()) return path;
    return prefix + "/" + path;
}

Snapshot MemorySource::read(Diagnostics&) {
    Snapshot snap;
    for (const auto& [path, data] : files_) snap.files.push_back({path, path, data});
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
        diagnostics.error(prefix_, 0, 0, "", "no such folder in the working tree");
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
        if (entry.is_symlink()) {
            diagnostics.error(join_repo_path(prefix_, rel), 0, 0, "",
                              "symbolic links are not published; commit the file itself");
            continue;
        }
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream data;
        data << in.rdbuf();
        if (!in) {
            diagnostics.error(join_repo_path(prefix_, rel), 0, 0, "", "cannot be read");
            continue;
        }
        snap.files.push_back({rel, join_repo_path(prefix_, rel), std::move(data).str()});
    }
    if (ec) diagnostics.error(prefix_, 0, 0, "", "cannot read the folder: " + ec.message());
    std::sort(snap.files.begin(), snap.files.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return snap;
}

}  // namespace gongkai
