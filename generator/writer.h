#pragma once

#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cache/hash.h"

namespace gongkai {

class WriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    // site_moved: the published site is no longer in the output folder (what() says where it is).
    WriteError(const std::string& what, bool site_moved) : std::runtime_error(what), site_moved_(site_moved) {}
    bool site_moved() const { return site_moved_; }

private:
    bool site_moved_ = false;
};

// A file as written into an output folder: its checksum, and what stat said of it then, so a
// later build can tell whether it is still as written without reading it.
struct OutputEntry {
    Hash128 hash;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;  // changes with any write, even one that puts the time back
    std::uint64_t inode = 0;
    std::string job;  // the page job that made it ("" for files every build makes anew)
};
// Unordered: a large site lists tens of thousands of files, looked up one by one.
using Manifest = std::unordered_map<std::string, OutputEntry>;
// Whether two entries record the same file as written: the same inode, size and times (what a
// stat tells; the bytes' checksum is not compared).
bool same_file(const OutputEntry& a, const OutputEntry& b);

// A file of the published site, open to copy from while it is as the last build wrote it: as its
// manifest entry says (size, times, inode). Opened without blocking: a pipe put in the file's
// place by hand is opened, found no such file and closed. Anything else is not open either.
class PublishedFile {
public:
    PublishedFile(const std::filesystem::path& file, const OutputEntry& as_written);
    ~PublishedFile();
    PublishedFile(const PublishedFile&) = delete;
    PublishedFile& operator=(const PublishedFile&) = delete;
    bool is_open() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    std::uint64_t size() const { return size_; }
    // Whether the file is still as written. Every write to it changes its ctime first, and the
    // ctime is never put back by hand: true means that no write to it had begun when asked, so
    // bytes copied from it before are as the last build wrote them.
    bool unchanged() const;

private:
    int fd_ = -1;
    std::uint64_t size_ = 0;
    OutputEntry as_written_;
};

// Where a file made piece by piece goes (see MakeBytes).
class ByteSink {
public:
    // The next bytes of the file.
    virtual void write(std::string_view bytes) = 0;
    void operator()(std::string_view bytes) { write(bytes); }
    // How many bytes the file has so far.
    virtual std::uint64_t size() const = 0;
    // Adds size bytes at offset of the regular file open at fd, as they are there now, without
    // bringing them through the process's memory where the kernel can copy between the two files
    // (copy_file_range). False when the file ends sooner; what was copied stays until cut_back.
    virtual bool copy(int fd, std::uint64_t offset, std::uint64_t size) = 0;
    // Drops the bytes from at (at most size()) on.
    virtual void cut_back(std::uint64_t at) = 0;

protected:
    ~ByteSink() = default;
};
// A file made in order, piece by piece, and written as it is made: for a file too large to hold
// whole (data/reports.json). The function is given where to put the bytes, and returns a checksum
// of what it made: of the bytes, or of what fixes them (a list's entries' checksums, in order),
// the same whenever the bytes are, and different whenever they differ. A store compares it with
// the one it has on record, as it compares other files' checksums.
using MakeBytes = std::function<Hash128(ByteSink&)>;

// Where a site's files go as they are made, from any thread.
class FileStore {
public:
    virtual ~FileStore() = default;
    virtual void put(const std::string& path, std::string bytes, const std::string& job) = 0;
    virtual void put_pieces(const std::string& path, const std::vector<std::string_view>& pieces,
                            const std::string& job) = 0;
    virtual void put_streamed(const std::string& path, const MakeBytes& make, const std::string& job) = 0;
    // The file at path is the same as in the published site: carry it over.
    virtual void keep(const std::string& path, const std::string& job) = 0;
};

// The site being built: relative path -> bytes. Paths are checked so none escapes the site.
// With a store, files go to it as they are added (from any thread) and only their paths stay.
class SiteFiles {
public:
    SiteFiles() = default;
    explicit SiteFiles(FileStore* store) : store_(store) {}
    // Adds a file; throws WriteError for an unsafe or duplicate path. Safe from several threads.
    void add(const std::string& path, std::string data, const std::string& job = "");
    // Adds a file given in pieces, which a store writes without joining them first.
    void add_pieces(const std::string& path, const std::vector<std::string_view>& pieces, const std::string& job = "");
    // Adds a file that make writes piece by piece; a store writes each piece as it comes.
    void add_streamed(const std::string& path, const MakeBytes& make, const std::string& job = "");
    // A file the store carries over from the published site unchanged.
    void keep(const std::string& path, const std::string& job);
    // Every file; with a store, the bytes are empty (they are on disk). Not while files are added.
    const std::map<std::string, std::string>& files() const { return files_; }
    // The paths of the files added so far, in order; safe while files are added.
    std::vector<std::string> paths() const;

private:
    void claim(const std::string& path);
    FileStore* store_ = nullptr;
    std::unique_ptr<std::mutex> lock_ = std::make_unique<std::mutex>();
    std::map<std::string, std::string> files_;
};

// Writes into one folder as files come: a file whose bytes the folder already holds (by
// current, the folder's verified manifest) is left alone, others are replaced (never changed in
// place, as another folder may share the file), and kept files are hard-linked from live.
class FolderStore final : public FileStore {
public:
    FolderStore(std::filesystem::path folder, Manifest current, std::filesystem::path live = {},
                const Manifest* live_manifest = nullptr);
    ~FolderStore() override;
    FolderStore(const FolderStore&) = delete;
    FolderStore& operator=(const FolderStore&) = delete;
    void put(const std::string& path, std::string bytes, const std::string& job) override;
    void put_pieces(const std::string& path, const std::vector<std::string_view>& pieces,
                    const std::string& job) override;
    void put_streamed(const std::string& path, const MakeBytes& make, const std::string& job) override;
    void keep(const std::string& path, const std::string& job) override;
    // Removes what the folder held that the new site does not have; returns its manifest.
    Manifest finish();
    // Inodes whose link count this store changed (which changes their ctime): files of other
    // folders that share them must be looked at again.
    const std::set<std::uint64_t>& touched() const { return touched_; }

private:
    // Makes the folders path is in that are not there yet. The _locked functions are called under lock_.
    void make_parents(const std::string& path);
    std::size_t known_parent_locked(std::string_view path) const;
    std::vector<std::string> make_parents_below(const std::string& path, std::size_t known);
    void record_dirs_locked(std::vector<std::string>&& made);
    // Whether the folder already holds these bytes at path (by current): if so, they stay as they
    // are and go into the result as job's.
    bool holds(const std::string& path, const Hash128& hash, const std::string& job);
    bool holds_locked(const std::string& path, const Hash128& hash, const std::string& job);
    // Notes that the file the folder lists at path (if any) is about to be replaced; whether it
    // lists one.
    bool forget(const std::string& path);
    bool forget_locked(const std::string& path);
    // Under one hold of the lock: whether the folder holds these bytes at path already (then, as
    // holds does, nothing else); else whether it lists a file there to replace (noted, as forget
    // does), and where the deepest of path's folders it knows ends (see known_parent_locked).
    struct Claim {
        bool held = false;
        bool listed = false;
        std::size_t known = 0;
    };
    Claim claim(const std::string& path, const Hash128& hash, const std::string& job);
    std::filesystem::path folder_;
    int folder_fd_ = -1;  // folder_, open: every file is made, linked and removed from it
    Manifest current_;
    std::filesystem::path live_;
    int live_fd_ = -1;  // live_, open to find the files kept (see keep)
    int live_errno_ = ENOENT;  // why live_ could not be opened
    dev_t live_dev_ = 0;       // the device live_ is on
    const Manifest* live_manifest_;
    std::mutex lock_;
    Manifest result_;
    std::set<std::string, std::less<>> dirs_;  // folders made or found, each after its parents
    std::set<std::uint64_t> touched_;
    unsigned streams_ = 0;  // files written piece by piece so far (under lock_): names their drafts
};

// Opens (O_PATH) the folder at the relative path dir ("" for root itself) within the folder open
// at root, through folders alone: a symbolic link on the way fails it (ELOOP; openat2's
// RESOLVE_BENEATH and RESOLVE_NO_SYMLINKS), as does a path that is not a safe site path
// (is_safe_relative_path: no "..", no name starting with '.'; EINVAL). Returns the descriptor, or
// -1 and errno.
int open_folder_within(int root, const std::string& dir);
// The same one folder at a time (openat with O_NOFOLLOW), where openat2 is missing.
int open_folder_by_steps(int root, const std::string& dir);

// Drops the entries whose file in folder is missing or not as recorded (size, times, inode); with
// dropped (which must not list them already), moves them there. With vouched, an entry it vouches
// for is kept without a stat; it is called from several threads at once.
void verify_manifest(const std::filesystem::path& folder, Manifest& manifest, Manifest* dropped = nullptr,
                     const std::function<bool(const std::string& path, const OutputEntry& entry)>& vouched = {});

// Each folder of a site (relative path, "" for the top) and its ctime, which changes whenever an
// entry is added to it, removed from it or renamed in it: how a build notices files that were
// added by hand without listing every folder.
using FolderTimes = std::unordered_map<std::string, std::int64_t>;
// The folders that hold the manifest's files, with their ctimes now (a folder found no folder
// with a time no folder has). With known, the ctimes of folders found unchanged earlier (what
// clear_unlisted returns), a folder that is in known is not looked at again unless it is in
// changed, or a folder inside it is new; a value out of date only makes the next build read that
// folder. The top folder is always looked at.
FolderTimes folder_times(const std::filesystem::path& folder, const Manifest& manifest,
                         const FolderTimes* known = nullptr, const std::unordered_set<std::string>* changed = nullptr);
// The folder that holds path ("" for the top).
std::string parent_folder(std::string_view path);
// The recorded folders whose ctime is as recorded: no name in them was added, removed or changed
// since, so each names the files it named then.
FolderTimes unchanged_folders(const std::filesystem::path& folder, const FolderTimes& recorded);
// verify_manifest for a second copy of a site, most of whose files are links to the published
// files at the same paths. A file of the copy listed as the same file as the published one at its
// path (same_file), in a folder of unchanged (see unchanged_folders), is kept without a look: its
// name still leads to that inode (the folder says so), and the inode is as written (the published
// file says so; a link to it removed or replaced in either copy changes its ctime). Sound only
// where published was just checked by verify_manifest.
void verify_linked_copy(const std::filesystem::path& folder, Manifest& manifest, const Manifest& published,
                        const FolderTimes& unchanged);
// Makes folder hold what manifest lists and nothing else, as far as can be told cheaply: files
// that were listed but are no longer as written (original minus verified) are removed, and every
// recorded folder that is not in unchanged (as unchanged_folders found them before), or that
// held a file removed here or holds such a folder, is read and cleared of what the manifest does
// not list (the marker excepted). Before anything else, whatever stands where one of the copy's
// folders should be and is not a folder (a symbolic link put there by hand, say to a folder moved
// to another disk, or a file) is removed itself, never followed, and the files verified lists
// below it are dropped from it: nothing a build removes, writes or links in the copy reaches
// outside it. Returns the recorded folders still unchanged.
FolderTimes clear_unlisted(const std::filesystem::path& folder, const Manifest& original, Manifest& verified,
                           const FolderTimes& recorded, FolderTimes unchanged);
// Records what stat says now of the file at path (size, times, inode) in entry.
void restat(const std::filesystem::path& path, OutputEntry& entry);
// The same for a file entry described before a link to it was added or removed, which moved its
// ctime and nothing else. A file whose size or modification time moved too, or another file now
// at the path, was changed by hand meanwhile, after it was found as written: its entry is then
// marked so that no build trusts it, and the next one writes the file again.
void restat_linked(const std::filesystem::path& path, OutputEntry& entry);
// The size an entry no file matches: the next build does not trust the file it lists.
inline constexpr std::uint64_t untrusted_size = ~std::uint64_t(0);

// The file gongkai leaves in every folder it writes, so it never replaces a folder it did not make.
inline constexpr const char* site_marker = ".gongkai-site";

struct WriteOptions {
    bool force = false;  // replace an output folder gongkai did not create
};

// Writes files into a new folder beside out and swaps it in for out in one rename, so readers
// and a failed build only ever see the old site or the whole new one.
void write_site(const std::filesystem::path& out, const SiteFiles& files, const WriteOptions& options = {});

// The steps of write_site, for builds that write as they render.
// Checks that out may be written (or replaced), changing nothing; returns out as an absolute path.
// A build calls it before it reads the content, so that a folder it would refuse is refused
// before any work, and prepare_output checks again.
std::filesystem::path check_output(const std::filesystem::path& out, const WriteOptions& options);
// Checks as check_output does, makes out's parent folder and clears what killed builds left
// beside out; returns out as an absolute path.
std::filesystem::path prepare_output(const std::filesystem::path& out, const WriteOptions& options);
// Makes folder anew (removing what was there), holding only the marker.
void make_site_folder(const std::filesystem::path& folder);
// A new, empty working folder beside out, holding only the marker.
std::filesystem::path new_site_folder(const std::filesystem::path& out);
// Makes folder the site at out in one rename. When out existed, folder then holds the previous
// site (the caller keeps or removes it); returns whether it did.
bool swap_in(const std::filesystem::path& out, const std::filesystem::path& folder);
// Writes a whole file at path, replacing none: WriteError names the path and the reason.
void write_new_file(const std::filesystem::path& path, const std::string& data);
// The same, written from pieces in order.
void write_new_file(const std::filesystem::path& path, const std::vector<std::string_view>& pieces);
// Removes a folder and all it holds, on all cores, following no link (a link, or a file, at the
// path is removed itself); errors are ignored: what cannot be removed stays.
void remove_folder(const std::filesystem::path& folder);

}  // namespace gongkai
