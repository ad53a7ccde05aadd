#pragma once

#include <git2.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "content/source.h"
#include "history.h"

namespace gongkai::git {

// A libgit2 failure, with libgit2's own message captured when the call failed.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

template <auto F>
struct Deleter {
    void operator()(auto* p) const { F(p); }
};
using RepositoryPtr = std::unique_ptr<git_repository, Deleter<git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree_free>>;
using TreeEntryPtr = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob_free>>;

// Throws Error naming what was attempted when a libgit2 call returns < 0.
void check(int rc, const std::string& what);

// Throws Error if ref cannot name anything (it is empty, or holds a NUL): said before any work,
// where a ref is not resolved at once (a preview of the working tree resolves it at each build).
void check_ref_given(const std::string& ref);

// Initialises libgit2 once per process.
void ensure_initialised();

class Repository {
public:
    // Opens the repository at path, or the one that contains it; throws Error if there is none.
    explicit Repository(const std::string& path);

    bool is_bare() const;
    bool is_shallow() const;
    // The working tree's folder, with a trailing '/'; throws for a bare repository.
    std::string workdir() const;
    // Resolves a ref, branch, tag or object id to a commit; throws Error if it does not name one.
    CommitPtr resolve(const std::string& ref) const;

    git_repository* get() const { return repo_.get(); }

private:
    RepositoryPtr repo_;
};

// Content of one commit, below content_dir ("" for the whole tree). With worktree set, the files
// come from the working tree instead, for a preview; the time and history are still the commit's.
class CommitSource final : public ContentSource {
public:
    CommitSource(const Repository& repo, std::string ref, std::string content_dir, bool worktree = false)
        : repo_(repo), ref_(std::move(ref)), dir_(std::move(content_dir)), worktree_(worktree) {}
    Snapshot read(Diagnostics& diagnostics) override;
    std::optional<History> history(const Snapshot& snapshot, std::stop_token stop) const override;
    std::string cache_identity() const override;
    std::optional<History> history(const Snapshot& snapshot, History base, const std::string& base_commit,
                                   std::stop_token stop) const override;
    // Lets go of the repository's pack files, which its object database holds mapped in memory
    // (as large as the packs, once read); they are mapped again if the repository is used again.
    void done_reading() override;
    // Reads a blob of the repository by id; calls on other threads at once each take a
    // repository of their own (kept for the next call). Throws Error if it cannot be read.
    std::string read_again(const std::string& oid, const std::string& repo_path) const override;

private:
    const Repository& repo_;
    std::string ref_;
    std::string dir_;
    bool worktree_;
    mutable std::mutex spare_lock_;
    mutable std::vector<RepositoryPtr> spare_repos_;  // for read_again, not in use
};

std::string oid_string(const git_oid* oid);

}  // namespace gongkai::git
