#include "git/repository.h"

#include <git2/sys/repository.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

#include "git/packs.h"
#include "parallel.h"
#include "utf8.h"

namespace gongkai::git {

void ensure_initialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        // Objects are read as git reads them to check files out, without computing each one's id
        // again (with SHA-1's collision detection, a twentieth of a build's CPU). Damage to the
        // compressed data still fails zlib's own checksum (the "damaged" errors of
        // bad_input_test); an object file swapped for another whole object is read as it stands,
        // as git would read it.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        // gongkai reads each commit once, or twice in a row in the git record's walk: a
        // mebibyte of cached objects does as well as libgit2's default of 256 and holds less.
        git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(1 << 20));
        // Trees are not cached at all: each is read from the pack whenever it is asked for. The
        // git record's walk asks twice for each folder a commit changed, tens of thousands of
        // small trees in a large archive, which kept that mebibyte full: each tree stored made
        // libgit2 evict others, at a cost that grew faster than the trees. Reading a tree again
        // costs less: at 100,000 reports the walk took 3.6 billion instructions so, against 5.9
        // with the trees cached (22 times its count at 10,000 reports; bench/RESULTS.md, the
        // twentieth round). A tree over 4 KiB, as a wide root is, was never cached anyway.
        git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, static_cast<size_t>(0));
    });
}

namespace {

// libgit2's message for the call that just failed.
std::string last_error() {
    const git_error* e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

// Whether the failure that just happened is a damaged object rather than a missing one.
bool last_error_is_damage() {
    const git_error* e = git_error_last();
    if (!e) return false;
    std::string m = e->message ? e->message : "";
    return e->klass == GIT_ERROR_ZLIB || m.find("inflate") != std::string::npos ||
           m.find("corrupt") != std::string::npos || m.find("malformed") != std::string::npos ||
           m.find("failed to parse") != std::string::npos;
}

constexpr const char* damaged_hint = "; the repository is damaged: run 'git fsck' to see what is wrong";

std::string short_id(const git_oid* oid) { return oid_string(oid).substr(0, 7); }

// The repository's object folder, or "" if libgit2 cannot say.
std::string objects_dir(git_repository* repo) {
    git_buf objects{};
    if (git_repository_item_path(&objects, repo, GIT_REPOSITORY_ITEM_OBJECTS) < 0) return "";
    std::string dir(objects.ptr, objects.size);
    git_buf_dispose(&objects);
    return dir;
}

}  // namespace

void check(int rc, const std::string& what) {
    if (rc >= 0) return;
    bool damaged = last_error_is_damage();
    throw Error(what + ": " + last_error() + (damaged ? damaged_hint : ""));
}

std::string oid_string(const git_oid* oid) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, oid);
    return buf;
}

Repository::Repository(const std::string& path) {
    if (path.empty()) throw Error("--repo is empty: name the repository (by default, the one you are in)");
    ensure_initialised();
    git_repository* raw = nullptr;
    int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
    if (rc == GIT_ENOTFOUND) throw Error(printable(path) + ": not a git repository (nor inside one)");
    check(rc, printable(path) + ": cannot open the git repository");
    repo_.reset(raw);
}

bool Repository::is_bare() const { return git_repository_is_bare(repo_.get()) == 1; }

bool Repository::is_shallow() const { return git_repository_is_shallow(repo_.get()) == 1; }

std::string Repository::workdir() const {
    const char* dir = git_repository_workdir(repo_.get());
    if (!dir) throw Error("a bare repository has no working tree; build from a commit instead of --worktree");
    return dir;
}

void check_ref_given(const std::string& ref) {
    if (ref.empty() || ref.find('\0') != std::string::npos) throw Error("--ref is empty: name a branch, tag or commit");
}

CommitPtr Repository::resolve(const std::string& ref) const {
    const std::string shown = "'" + printable(ref) + "'";
    check_ref_given(ref);
    using ReferencePtr = std::unique_ptr<git_reference, Deleter<git_reference_free>>;
    git_object* obj = nullptr;
    // A branch, tag or HEAD is looked up here rather than by git_revparse_single: libgit2 1.5's
    // revparse leaks the reference when the object it points to cannot be read, and the message
    // can say which object that is.
    git_reference* raw_ref = nullptr;
    git_reference* raw_resolved = nullptr;
    if (git_reference_dwim(&raw_ref, repo_.get(), ref.c_str()) == 0) {
        ReferencePtr named(raw_ref);
        if (git_reference_resolve(&raw_resolved, named.get()) == 0) {
            ReferencePtr resolved(raw_resolved);
            const git_oid* target = git_reference_target(resolved.get());
            if (target && git_object_lookup(&obj, repo_.get(), target, GIT_OBJECT_ANY) < 0) {
                bool damaged = last_error_is_damage();
                throw Error(shown + " points to " + short_id(target) + ", which " +
                            (damaged ? "cannot be read: " + last_error()
                                     : std::string("is missing from the repository's objects")) +
                            damaged_hint);
            }
        }
    }
    int rc = obj ? 0 : git_revparse_single(&obj, repo_.get(), ref.c_str());
    if (rc < 0) {
        bool damaged = last_error_is_damage();
        std::string detail = last_error();
        if (git_repository_head_unborn(repo_.get()) == 1 && (ref == "HEAD" || ref == "@"))
            throw Error("the repository is empty: commit the content first (git add, git commit)");
        if (damaged) throw Error("cannot resolve " + shown + ": " + detail + damaged_hint);
        if (rc == GIT_EAMBIGUOUS)
            throw Error(shown + " is ambiguous: several objects start with it; give more of the commit id");
        if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
            if (is_shallow())
                throw Error(shown + " does not name a commit in this shallow clone; its history may be cut off "
                                    "(git fetch --unshallow)");
            throw Error(shown + " does not name a commit in this repository");
        }
        throw Error("cannot resolve " + shown + ": " + detail);
    }
    ObjectPtr object(obj);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) < 0) {
        bool damaged = last_error_is_damage();
        throw Error(shown + " does not name a commit (it names " +
                    std::string(git_object_type2string(git_object_type(object.get()))) + ")" +
                    (damaged ? std::string(": ") + last_error() + damaged_hint : std::string()));
    }
    return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

namespace {

// Folders below the content root deeper than this are not read: gongkai's own layout is three
// deep, and a tree built to be deeper would only cost time and memory.
constexpr std::size_t max_tree_depth = 64;

// Blobs larger than this are not loaded at all; the library refuses text files far smaller.
constexpr std::size_t max_blob_bytes = std::size_t(512) << 20;

struct PendingTree {
    git_oid id;
    std::string rel;  // "" for the content root, else "reports/2020-043/"
    std::size_t depth;
};

void read_blob(git_repository* repo, const Packs& packs, const git_oid* id, SourceFile& file) {
    if (packs.read_blob(*id, file.data, max_blob_bytes)) return;
    git_odb* raw_odb = nullptr;
    if (git_repository_odb(&raw_odb, repo) == 0) {
        std::unique_ptr<git_odb, Deleter<git_odb_free>> odb(raw_odb);
        std::size_t size = 0;
        git_object_t type{};
        if (git_odb_read_header(&size, &type, odb.get(), id) == 0 && size > max_blob_bytes) {
            file.kind = EntryKind::unreadable;
            file.problem = "is " + std::to_string(size >> 20) + " MB, too large to read";
            return;
        }
    }
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, repo, id) < 0) {
        bool damaged = last_error_is_damage();
        file.kind = EntryKind::unreadable;
        file.problem = "cannot read the file from git: " + last_error() + (damaged ? damaged_hint : "");
        return;
    }
    BlobPtr blob(raw);
    const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    auto size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
    file.data.assign(data, size);
}

// A blob the walk found, and what reading it gave (data, or why it could not be read).
struct PendingBlob {
    std::size_t file;  // index in the snapshot's files
    git_oid id;
    SourceFile read;
};

// Reading blobs is most of reading a commit: they are read on all cores while the walk is still
// finding them. The walk adds; readers take one at a time until the walk is done and none is left.
class BlobQueue {
public:
    void add(std::size_t file, const git_oid& id) {
        {
            std::lock_guard guard(lock_);
            items_.push_back({file, id, {}});
        }
        ready_.notify_one();
    }

    void finish() {
        {
            std::lock_guard guard(lock_);
            done_ = true;
        }
        ready_.notify_all();
    }

    // After an error: the walk stops adding and readers stop taking.
    void stop() {
        {
            std::lock_guard guard(lock_);
            done_ = stopped_ = true;
        }
        ready_.notify_all();
    }

    bool stopped() {
        std::lock_guard guard(lock_);
        return stopped_;
    }

    // The next blob to read (its address stays put as more are added), or null at the end.
    PendingBlob* take() {
        std::unique_lock guard(lock_);
        ready_.wait(guard, [this] { return next_ < items_.size() || done_; });
        return next_ < items_.size() && !stopped_ ? &items_[next_++] : nullptr;
    }

    // Once every reader has stopped.
    std::deque<PendingBlob>& items() { return items_; }

private:
    std::mutex lock_;
    std::condition_variable ready_;
    std::deque<PendingBlob> items_;
    std::size_t next_ = 0;
    bool done_ = false;
    bool stopped_ = false;
};

// A folder's listing as read from git: each entry gongkai may read, with its kind.
TreeListing list_tree(git_repository* repo, const git_oid& id, std::string oid, const std::string& prefix,
                      const std::string& rel) {
    git_tree* raw_tree = nullptr;
    if (git_tree_lookup(&raw_tree, repo, &id) < 0) {
        bool damaged = last_error_is_damage();
        std::string folder =
            rel.empty() ? join_repo_path("", prefix) : join_repo_path(prefix, rel.substr(0, rel.size() - 1));
        throw Error("cannot read the folder " + (folder.empty() ? std::string("at the content root") : folder) +
                    " from git: " + last_error() + (damaged ? damaged_hint : ""));
    }
    TreePtr tree(raw_tree);
    TreeListing listing{std::move(oid), {}};
    const std::size_t n = git_tree_entrycount(tree.get());
    listing.entries.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(tree.get(), i);
        char kind = 0;
        switch (git_tree_entry_type(entry)) {
        case GIT_OBJECT_TREE: kind = 't'; break;
        case GIT_OBJECT_COMMIT: kind = 'c'; break;
        case GIT_OBJECT_BLOB: kind = git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK ? 'l' : 'f'; break;
        default: continue;
        }
        listing.entries.push_back({git_tree_entry_name(entry), oid_string(git_tree_entry_id(entry)), kind});
    }
    return listing;
}

git_oid oid_of(const std::string& oid) {
    git_oid id;
    if (git_oid_fromstr(&id, oid.c_str()) < 0) throw Error("a folder listing holds a malformed object id");
    return id;
}

// Every entry below root, depth first, without recursion: a crafted tree cannot exhaust the stack.
// A folder whose tree id known lists is taken from there (moved into the snapshot's listings)
// rather than read from git again.
void walk(git_repository* repo, const git_oid& root, const std::string& prefix, Snapshot& snap,
          Diagnostics& diagnostics, const ContentSource::Known& known, TreeListings* known_trees, BlobQueue& blobs) {
    std::vector<PendingTree> pending{{root, "", 0}};
    while (!pending.empty() && !blobs.stopped()) {
        PendingTree current = std::move(pending.back());
        pending.pop_back();
        std::string oid = oid_string(&current.id);
        TreeListing listing;
        if (known_trees)
            if (auto it = known_trees->find(current.rel); it != known_trees->end() && it->second.oid == oid)
                listing = std::move(known_trees->extract(it).mapped());
        if (listing.oid.empty()) listing = list_tree(repo, current.id, std::move(oid), prefix, current.rel);
        for (const TreeListing::Entry& entry : listing.entries) {
            const std::string& name = entry.name;
            std::string rel = current.rel + name;
            SourceFile file{rel, join_repo_path(prefix, rel), ""};
            // git itself refuses to check such entries out; only a hand-made tree holds them.
            if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
                diagnostics.error(
                    file.repo_path, 0, 0, "",
                    "the git tree holds an entry named '" + printable(name) +
                        "', which git refuses to check out: the repository was made by hand or is damaged");
                continue;
            }
            switch (entry.kind) {
            case 't':
                if (current.depth + 1 >= max_tree_depth) {
                    diagnostics.error(file.repo_path, 0, 0, "",
                                      "folders are nested more than " + std::to_string(max_tree_depth) +
                                          " deep here; gongkai does not read this far");
                    continue;
                }
                pending.push_back({oid_of(entry.oid), rel + "/", current.depth + 1});
                continue;
            case 'c':
                file.kind = EntryKind::submodule;
                break;
            case 'l':
                file.kind = EntryKind::symlink;
                break;
            default:
                file.oid = entry.oid;
                if (known && known(rel, file.oid))
                    file.reused = true;
                else
                    blobs.add(snap.files.size(), oid_of(entry.oid));
                break;
            }
            snap.files.push_back(std::move(file));
        }
        snap.trees.emplace(std::move(current.rel), std::move(listing));
    }
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
    snap.description = printable(ref_) + " (" + snap.commit.substr(0, 7) + ")";

    git_tree* raw_tree = nullptr;
    check(git_commit_tree(&raw_tree, commit.get()), "cannot read the tree of " + snap.description);
    TreePtr tree(raw_tree);
    git_oid root = *git_tree_id(tree.get());
    if (!dir_.empty()) {
        git_tree_entry* raw_entry = nullptr;
        if (git_tree_entry_bypath(&raw_entry, tree.get(), dir_.c_str()) < 0) {
            if (last_error_is_damage()) check(-1, "cannot read " + join_repo_path("", dir_));
            diagnostics.error(join_repo_path("", dir_), 0, 0, "", "no such folder in " + snap.description);
            return snap;
        }
        TreeEntryPtr entry(raw_entry);
        if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
            diagnostics.error(join_repo_path("", dir_), 0, 0, "", "is not a folder in " + snap.description);
            return snap;
        }
        root = *git_tree_entry_id(entry.get());
    }
    // One thread walks the trees and then reads blobs too; the others read blobs as they are
    // found. A git_repository is not shared between threads: each reader opens its own.
    BlobQueue blobs;
    Packs packs(objects_dir(repo_.get()));
    if (!known_) packs.read_ahead();  // nothing to reuse: every current file is read
    const unsigned workers = worker_count(0);
    std::vector<RepositoryPtr> repos(workers);
    const std::string path = git_repository_path(repo_.get());
    parallel_for(workers, workers, [&](std::size_t task, unsigned worker) {
        git_repository* repo = repo_.get();
        try {
            if (task == 0) {
                walk(repo, root, dir_, snap, diagnostics, known_, known_trees_, blobs);
                blobs.finish();
            }
            for (PendingBlob* blob = blobs.take(); blob; blob = blobs.take()) {
                if (task != 0) {
                    if (!repos[worker]) {
                        git_repository* raw = nullptr;
                        check(git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
                              "cannot open " + path + " again to read it");
                        repos[worker].reset(raw);
                    }
                    repo = repos[worker].get();
                }
                read_blob(repo, packs, &blob->id, blob->read);
            }
        } catch (...) {
            blobs.stop();  // the first error ends the read: no thread waits, none reads on
            throw;
        }
    });
    for (PendingBlob& blob : blobs.items()) {
        SourceFile& file = snap.files[blob.file];
        file.data = std::move(blob.read.data);
        if (blob.read.kind != EntryKind::file) {
            file.kind = blob.read.kind;
            file.problem = std::move(blob.read.problem);
        }
    }
    std::sort(snap.files.begin(), snap.files.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return snap;
}

}  // namespace gongkai::git

namespace gongkai::git {

std::optional<History> CommitSource::history(const Snapshot& snapshot, std::stop_token stop) const {
    if (snapshot.commit.empty()) return std::nullopt;
    return read_history(repo_, snapshot.commit, dir_, {"projects", "reports"}, nullptr, "", std::move(stop));
}

std::string CommitSource::cache_identity() const {
    if (worktree_) return "";
    return std::string(git_repository_path(repo_.get())) + "\n" + dir_;
}

std::string CommitSource::read_again(const std::string& oid, const std::string& repo_path) const {
    git_oid id;
    if (git_oid_fromstr(&id, oid.c_str()) < 0) check(-1, "cannot read " + repo_path + " again");
    RepositoryPtr repo;
    {
        std::lock_guard guard(spare_lock_);
        if (!spare_repos_.empty()) {
            repo = std::move(spare_repos_.back());
            spare_repos_.pop_back();
        }
    }
    if (!repo) {
        const std::string path = git_repository_path(repo_.get());
        git_repository* raw = nullptr;
        check(git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
              "cannot open " + path + " again to read " + repo_path);
        repo.reset(raw);
    }
    // Looked up at once, without read_blob's look at the size first: a build read this blob whole
    // before, by the same id, when the cache took the file.
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, repo.get(), &id) < 0)
        check(-1, "cannot read " + repo_path + " (blob " + oid.substr(0, 7) + ") again from git");
    std::string text;
    {
        BlobPtr blob(raw);  // freed before its repository is given to another thread
        text.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                    static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    }
    std::lock_guard guard(spare_lock_);
    spare_repos_.push_back(std::move(repo));
    return text;
}

void CommitSource::done_reading() {
    {
        std::lock_guard guard(spare_lock_);
        spare_repos_.clear();  // read_again opens another when next asked
    }
    // The repository's object database is replaced: first by an empty one, so that the old one
    // is freed with the packs it holds mapped (a database opened beside it would share them), then
    // by a fresh one, which maps nothing until it is used. (Not git_repository__cleanup: from
    // libgit2 1.7 on it also frees the repository's grafts, for good.)
    const std::string objects = objects_dir(repo_.get());
    if (objects.empty()) return;
    git_odb* empty = nullptr;
    if (git_odb_new(&empty) < 0) return;
    git_repository_set_odb(repo_.get(), empty);
    git_odb_free(empty);  // the repository holds its own reference
    git_odb* fresh = nullptr;
    check(git_odb_open(&fresh, objects.c_str()), "cannot open the repository's objects again");
    git_repository_set_odb(repo_.get(), fresh);
    git_odb_free(fresh);
}

std::optional<History> CommitSource::history(const Snapshot& snapshot, History base,
                                             const std::string& base_commit, std::stop_token stop) const {
    if (snapshot.commit.empty()) return std::nullopt;
    return read_history(repo_, snapshot.commit, dir_, {"projects", "reports"}, &base, base_commit,
                        std::move(stop));
}

}  // namespace gongkai::git
