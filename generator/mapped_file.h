#pragma once

#include <filesystem>
#include <memory>
#include <stop_token>
#include <string_view>

namespace gongkai {

// A regular file mapped read-only: its bytes, valid while a copy of owner is held (the file is
// unmapped when the last one is let go).
struct MappedFile {
    enum class Failure { none, cannot_open, empty, cannot_map };
    std::shared_ptr<const void> owner;
    std::string_view bytes;
    Failure failure = Failure::none;  // why owner is null
};

// populate: read the whole file in at once (MAP_POPULATE), for one that will be read through.
MappedFile map_read_only(const std::filesystem::path& path, bool populate);

// Has the kernel read the whole file into memory (MADV_WILLNEED), for a file that will be read in
// scattered places, and returns when it has asked for all of it or stop is asked: the kernel
// starts the reads and they go on as the caller does, but asking can wait for memory or a busy
// disk, so a caller that must not wait runs it on a thread of its own. About 2 ms for 64 MiB
// already in memory; a mapping the kernel will not advise is read as before.
void read_ahead(const MappedFile& file, std::stop_token stop = {});

}  // namespace gongkai
