#include "git/repository.h"

#include <algorithm>
#include <mutex>

namespace gongkai::git {

void ensure_initialised() {
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
}

void check(int rc, const std::string& what) {
    if (rc >= 0) return;
    const git_error* e = git_error_last();
    std::string detail = e && e->message ? e->message : "unknown libgit2 error";
    throw Error(what + ": " + detail);
}

std::string oid_string(const git_oid* oid) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, oid);
    return buf;
}

Repository::Repository(const std::string& path) {
    ensure_initialised();
    git_repository* raw = nullptr;
    int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
    if (rc == GIT_ENOTFOUND) throw Error(path + ": not a git repository (nor inside one)");
    check(rc, path + ": cannot open the git repository");
    repo_.reset(raw);
}

bool Repository::is_bare() const { return git_repository_is_bare(repo_.get()) == 1; }

bool Repository::is_shallow() const { return git_repository_is_shallow(repo_.get()) == 1; }

std::string Repository::workdir() const {
    const char* dir = git_repository_workdir(repo_.get());
    if (!dir) throw Error("a bare repository has no working tree; build from a commit instead of --worktree");
    return dir;
}

CommitPtr Repository::resolve(const std::string& ref) const {
    git_object* obj = nullptr;
    int rc = git_revparse_single(&obj, repo_.get(), ref.c_str());
    if (rc < 0 && git_repository_head_unborn(repo_.get()) == 1 && (ref == "HEAD" || ref == "@"))
        throw Error("the repository is empty: commit the content first (git add, git commit)");
    if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC)
        throw Error("'" + ref + "' does not name a commit in this repository");
    check(rc, "cannot resolve '" + ref + "'");
    ObjectPtr object(obj);
    git_object* peeled = nullptr;
    check(git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT), "'" + ref + "' does not name a commit");
    return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

namespace {

struct WalkState {
    git_repository* repo;
    std::string prefix;  // content dir, for messages
    Snapshot* snap;
    Diagnostics* diagnostics;
    std::string error;
};

int collect(const char* root, const git_tree_entry* entry, void* payload) {
    auto* st = static_cast<WalkState*>(payload);
    std::string rel = std::string(root) + git_tree_entry_name(entry);
    std::string repo_path = join_repo_path(st->prefix, rel);
    switch (git_tree_entry_type(entry)) {
    case GIT_OBJECT_TREE:
        return 0;
    case GIT_OBJECT_COMMIT:
        st->diagnostics->error(repo_path, 0, 0, "", "submodules are not read; commit the content itself");
        return 1;  // skip
    case GIT_OBJECT_BLOB:
        break;
    default:
        return 0;
    }
    if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
        st->diagnostics->error(repo_path, 0, 0, "", "symbolic links are not published; commit the file itself");
        return 0;
    }
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, st->repo, git_tree_entry_id(entry)) < 0) {
        const git_error* e = git_error_last();
        st->diagnostics->error(repo_path, 0, 0, "",
                               std::string("cannot read the file from git: ") + (e ? e->message : "unknown error"));
        return 0;
    }
    BlobPtr blob(raw);
    const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    auto size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
    st->snap->files.push_back({rel, repo_path, std::string(data, size)});
    return 0;
}

}  // namespace

Snapshot CommitSource::read(Diagnostics& diagnostics) {
    Snapshot snap;
    if (worktree_) {
        snap = DirectorySource(repo_.workdir() + dir_, dir_).read(diagnostics);
        // A preview's "now" is the commit it is based on, as a build's would be.
        if (git_repository_head_unborn(repo_.get()) != 1 || ref_ != "HEAD") {
            CommitPtr head = repo_.resolve(ref_);
            snap.commit = oid_string(git_commit_id(head.get()));
            snap.commit_time = static_cast<std::int64_t>(git_commit_time(head.get()));
            snap.commit_offset = git_commit_time_offset(head.get());
        }
        snap.description = "working tree";
        return snap;
    }
    snap.prefix = dir_;
    CommitPtr commit = repo_.resolve(ref_);
    snap.commit = oid_string(git_commit_id(commit.get()));
    snap.commit_time = static_cast<std::int64_t>(git_commit_time(commit.get()));
    snap.commit_offset = git_commit_time_offset(commit.get());
    snap.description = ref_ + " (" + snap.commit.substr(0, 7) + ")";

    git_tree* raw_tree = nullptr;
    check(git_commit_tree(&raw_tree, commit.get()), "cannot read the tree of " + snap.description);
    TreePtr tree(raw_tree);
    TreePtr sub;
    git_tree* walk_tree = tree.get();
    if (!dir_.empty()) {
        git_tree_entry* raw_entry = nullptr;
        if (git_tree_entry_bypath(&raw_entry, tree.get(), dir_.c_str()) < 0) {
            diagnostics.error(dir_, 0, 0, "", "no such folder in " + snap.description);
            return snap;
        }
        TreeEntryPtr entry(raw_entry);
        if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
            diagnostics.error(dir_, 0, 0, "", "is not a folder in " + snap.description);
            return snap;
        }
        git_tree* raw_sub = nullptr;
        check(git_tree_lookup(&raw_sub, repo_.get(), git_tree_entry_id(entry.get())), "cannot read " + dir_);
        sub.reset(raw_sub);
        walk_tree = sub.get();
    }
    WalkState st{repo_.get(), dir_, &snap, &diagnostics, {}};
    check(git_tree_walk(walk_tree, GIT_TREEWALK_PRE, collect, &st), "cannot walk the tree of " + snap.description);
    std::sort(snap.files.begin(), snap.files.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return snap;
}

}  // namespace gongkai::git

namespace gongkai::git {

std::optional<History> CommitSource::history(const Snapshot& snapshot) const {
    if (snapshot.commit.empty()) return std::nullopt;
    return read_history(repo_, snapshot.commit, dir_, {"projects", "reports"});
}

}  // namespace gongkai::git
