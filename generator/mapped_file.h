#pragma once

#include <filesystem>
#include <memory>
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

// Asks the kernel to start reading the whole file into memory (MADV_WILLNEED), for a file that
// will be read in scattered places: what would otherwise wait for a page fault at a time is read
// ahead, in large requests, while the caller goes on. About a millisecond for 64 MiB already in
// memory; a mapping the kernel will not advise is read as before.
void read_ahead(const MappedFile& file);

}  // namespace gongkai
