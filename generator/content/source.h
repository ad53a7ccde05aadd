#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include "diagnostics.h"
#include "history.h"

namespace gongkai {

// What an entry of the content is. Only files are read; the others are reported where gongkai
// would read a file (departments/, projects/, …) and passed over elsewhere.
enum class EntryKind { file, symlink, submodule, unreadable };

// One file of the content, as read from a commit or the working tree.
struct SourceFile {
    std::string path;       // relative to the content root: "reports/2020-043/2020-10.md"
    std::string repo_path;  // relative to the repository, for messages: "content/reports/…"; printable
    std::string data;
    EntryKind kind = EntryKind::file;
    std::string problem = {};  // why an unreadable entry could not be read
    std::string oid = {};      // the git blob id, when read from a commit
    bool reused = false;       // data left unread: the caller already holds what it parsed to
};

// One folder of a commit's tree as a build read it, for a later build to take whole while the
// folder's tree id is the same: git names a tree by what it lists, as it names a blob by its bytes.
struct TreeListing {
    struct Entry {
        std::string name;
        std::string oid;  // the git object id
        char kind;        // 't' a folder, 'f' a file, 'l' a symbolic link, 'c' a submodule's commit
    };
    std::string oid;  // the folder's tree id
    std::vector<Entry> entries;  // in the tree's order
};
// By folder, relative to the content root: "" for the root, else "reports/2020-043/".
using TreeListings = std::unordered_map<std::string, TreeListing>;

// What one build reads: every file under the content root, and where it came from.
struct Snapshot {
    std::vector<SourceFile> files;  // sorted by path
    std::string commit;             // full object id; "" when read from the working tree
    std::int64_t commit_time = 0;   // seconds since the epoch, the build's "now"
    int commit_offset = 0;          // the committer's UTC offset, minutes
    std::string description;        // "HEAD (3f2a1c9)", "working tree"
    std::string prefix;             // the content root within the repository, for messages
    TreeListings trees;             // every folder, when read from a commit
};

// The seam between gongkai and where content lives: git, the disk, or memory in tests.
class ContentSource {
public:
    virtual ~ContentSource() = default;
    // Reads everything; problems that make a file unreadable go into diagnostics.
    virtual Snapshot read(Diagnostics& diagnostics) = 0;
    // The record from git of the files of a snapshot this source read; none where there is no git.
    // A stop asked on stop ends a walk under way with HistoryStopped.
    virtual std::optional<History> history(const Snapshot&, std::stop_token /*stop*/) const { return std::nullopt; }
    // The record from git, continued from base: the history as it stood at base_commit, when
    // that commit is on the first-parent chain of the snapshot's commit (else read whole).
    virtual std::optional<History> history(const Snapshot& snapshot, History, const std::string&,
                                           std::stop_token stop) const {
        return history(snapshot, stop);
    }

    // Files the caller already holds parsed, asked by path and git blob id: read() leaves their
    // data unread and marks them reused. Only sources that know blob ids ask.
    using Known = std::function<bool(const std::string& path, const std::string& oid)>;
    // The build has read the files and the git record: what reading holds may go (read_again
    // still works, and holds what it reads with).
    virtual void done_reading() {}

    // A file's text again, by its git blob id, from any thread: for the report Markdown the
    // build cache does not keep. Sources without blob ids (and so without a cache) have none.
    virtual std::string read_again(const std::string& /*oid*/, const std::string& repo_path) const {
        throw std::runtime_error("cannot read " + repo_path + " again: the content is not read from git");
    }

    // Names the source for a build cache (the repository and content folder); "" when what it
    // reads has no blob ids to key a cache by.
    virtual std::string cache_identity() const { return ""; }
    // Sets what read() may reuse: the files known holds, and the folders as an earlier read listed
    // them in trees, of which read() takes a folder's listing when its tree id is the same (moving
    // it out of trees into the snapshot) rather than read the tree again.
    void reuse(Known known, TreeListings* trees = nullptr) {
        known_ = std::move(known);
        known_trees_ = trees;
    }

protected:
    Known known_;
    TreeListings* known_trees_ = nullptr;
};

// Has a source leave unread the files known names, and take the folders trees lists (see
// ContentSource::reuse), while it lives, and ask nothing once it is gone, however the reading ends.
class Reusing {
public:
    Reusing(ContentSource& source, ContentSource::Known known, TreeListings* trees = nullptr) : source_(source) {
        source_.reuse(std::move(known), trees);
    }
    ~Reusing() { source_.reuse(nullptr); }
    Reusing(const Reusing&) = delete;
    Reusing& operator=(const Reusing&) = delete;

private:
    ContentSource& source_;
};

// Content given as text, for tests and fuzzing.
class MemorySource final : public ContentSource {
public:
    explicit MemorySource(std::map<std::string, std::string> files, std::int64_t time = 0)
        : files_(std::move(files)), time_(time) {}
    Snapshot read(Diagnostics& diagnostics) override;

private:
    std::map<std::string, std::string> files_;
    std::int64_t time_;
};

// Files on disk below root (used with --worktree); prefix is how messages name root.
class DirectorySource final : public ContentSource {
public:
    DirectorySource(std::string root, std::string prefix) : root_(std::move(root)), prefix_(std::move(prefix)) {}
    Snapshot read(Diagnostics& diagnostics) override;

private:
    std::string root_;
    std::string prefix_;
};

// Joins a content-root prefix ("content") and a relative path for messages, with bytes that a
// terminal would misread (control characters, non-UTF-8) shown as escapes.
std::string join_repo_path(const std::string& prefix, const std::string& path);

}  // namespace gongkai
