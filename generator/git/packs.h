#pragma once

#include <git2.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "mapped_file.h"

namespace gongkai::git {

// The pack files of a repository's object folder, mapped for reading whole blobs without
// libgit2: most of a content commit's blobs are stored in a pack whole (not as a delta), and
// inflating them is most of reading a commit. libdeflate inflates such a blob in one call, into
// the caller's string (see bench/RESULTS.md, the thirtieth round).
//
// It answers only what it can read for certain: a blob stored whole in one of the packs, whose
// data inflates to exactly the size its entry states and passes zlib's checksum. For anything
// else (a loose object, a delta, an object it cannot find, a pack or an entry it cannot make
// sense of) it says no, and the caller reads the object through libgit2 as before, with
// libgit2's messages for what is wrong. Reading is safe from any number of threads at once.
class Packs {
public:
    // Maps the index and data of every pack in objects_dir/pack; a pack whose files are missing,
    // unreadable or not of git's version 2 index is left out (its objects go to libgit2).
    explicit Packs(const std::string& objects_dir);

    // Reads the blob id into out (replacing what it held) and returns true, or returns false
    // with out emptied if this reader cannot: see above. A blob larger than max_bytes is not
    // read (false). The first pack whose index lists the id answers for it.
    bool read_blob(const git_oid& id, std::string& out, std::size_t max_bytes) const;

    std::size_t pack_count() const { return packs_.size(); }

    // Starts reading the packs into memory on a thread of its own, for a read of most of the
    // repository's current files (a build without a cache): what is not in memory yet (a
    // repository not read since the machine started, or whose pages the system took back) then
    // comes in large reads ahead of the blobs rather than one page fault at a time as each is
    // reached; libgit2's reads of the same packs (trees, commits, deltas) find it there too. Files
    // are asked for in turn while they fit in a quarter of the machine's memory; the thread
    // stops when this reader goes.
    void read_ahead();

    // The inflating library and the version of it gongkai was built with, as `gongkai --version`
    // lists it: "libdeflate 1.14".
    static std::string library_version();

private:
    struct Pack {
        MappedFile index;
        MappedFile data;
        std::uint32_t count = 0;  // objects in the pack
        // Within the index: the 256 counts by first byte, the sorted ids, an offset of 32 bits
        // for each, and the offsets of 64 bits those with the top bit set point to.
        const unsigned char* fanout = nullptr;
        const unsigned char* ids = nullptr;
        const unsigned char* offsets = nullptr;
        const unsigned char* large = nullptr;
        std::size_t large_count = 0;
    };
    // The object's offset in pack, or 0 if the pack does not hold it (an offset is never 0:
    // the pack's header comes first).
    static std::uint64_t find(const Pack& pack, const git_oid& id);
    static bool read_whole_blob(const Pack& pack, std::uint64_t offset, std::string& out, std::size_t max_bytes);

    std::vector<Pack> packs_;
    std::jthread ahead_;  // last: stopped and joined before the packs are unmapped
};

}  // namespace gongkai::git
