#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/hash.h"

namespace gongkai {

// Where a report's entry was put in a spool, and the checksum of its bytes.
struct SpooledEntry {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    Hash128 sum;
};

// The entries of data/reports.json made beside their reports' pages, kept in a file until
// data/reports.json is made, after the pages: neither an entry nor its report's Markdown waits in
// memory for the pages to end (at 10,000 reports the Markdown alone is some 29 MB). The file is
// made without a name (O_TMPFILE) in the folder the site is written to, so on the same file
// system, and is gone when the spool is.
class EntrySpool {
public:
    // A spool for count reports' entries in folder; nothing where its file system cannot make a
    // file without a name (the build then makes the entries after the pages, as it did before).
    static std::unique_ptr<EntrySpool> open(const std::filesystem::path& folder, std::size_t count);
    ~EntrySpool();
    EntrySpool(const EntrySpool&) = delete;
    EntrySpool& operator=(const EntrySpool&) = delete;

    // Keeps report index's entry, whose checksum is sum; from any thread, each index once. An
    // entry that cannot be written (the disk is full) is not kept: it is made again when
    // data/reports.json is.
    void put(std::size_t index, std::string_view entry, const Hash128& sum);
    // Report index's entry, if it was kept. Once every put has returned.
    const SpooledEntry* find(std::size_t index) const {
        return index < kept_.size() && kept_[index] ? &entries_[index] : nullptr;
    }

    // Report index's entry's bytes, if it was kept, read back through a window of the file:
    // entries of reports next to each other were put at about the same time, so a window holds
    // the next ones too. The view lasts until the next read; nothing when the file holds fewer
    // bytes. One thread at a time, once every put has returned.
    std::optional<std::string_view> read(std::size_t index);
    // How many entries were read back at least once.
    std::size_t count_read() const;

private:
    EntrySpool(int fd, std::size_t count);
    int fd_;
    std::mutex end_lock_;
    std::uint64_t end_ = 0;
    std::vector<SpooledEntry> entries_;
    std::vector<char> kept_;
    std::vector<char> read_;  // by index: read back
    std::string window_;
    std::uint64_t window_at_ = 0;
};

}  // namespace gongkai
