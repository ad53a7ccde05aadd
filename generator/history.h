#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>


namespace gongkai {

namespace git {
class Repository;
}

// A front-matter value that a commit changed ("completion": "85" -> "90").
struct FieldChange {
    std::string key;
    std::string before;  // "" when the key was added
    std::string after;   // "" when the key was removed
};

// One commit that touched a file.
struct Revision {
    std::string commit;    // full object id
    std::int64_t time = 0; // committer time, seconds since the epoch
    int offset = 0;        // committer's UTC offset in minutes
    std::string summary;   // first line of the commit message
    std::vector<FieldChange> changes;
    bool body_changed = false;
};

// When a file was first published and every later amendment, oldest first.
struct FileHistory {
    std::optional<Revision> published;
    std::vector<Revision> amendments;
    // True when the history available starts after the file existed (a shallow clone): the
    // "published" revision is then only the oldest commit we can see.
    bool truncated = false;
    const Revision& last() const { return amendments.empty() ? *published : amendments.back(); }
};

struct History {
    bool shallow = false;
    // By path relative to the content folder; hashed, as the paths share long prefixes and are
    // looked up for every page.
    std::unordered_map<std::string, FileHistory> files;
};

// Walks the first-parent history from commit back to the root in one pass, comparing trees
// below content_dir/<folder> for each folder given, and records the history of every file there.
// First-parent, because that is the order in which changes reached the published branch.
// With base, the history as read at base_commit: when base_commit is on the first-parent chain
// (and neither it nor the repository is shallow), only the commits after it are walked, which
// gives what the whole walk gives. base's files are moved from when it is used.
// A stop asked on stop ends the walk between two commits with HistoryStopped: a build whose
// content has errors has no use for the record, and a long history takes seconds to walk.
History read_history(const git::Repository& repo, const std::string& commit, const std::string& content_dir,
                     const std::vector<std::string>& folders, History* base = nullptr,
                     const std::string& base_commit = "", std::stop_token stop = {});

// Thrown by a walk of the git record that was asked to stop.
class HistoryStopped : public std::runtime_error {
public:
    HistoryStopped() : std::runtime_error("the walk of the git record was stopped") {}
};

}  // namespace gongkai
