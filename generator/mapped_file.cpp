#include "mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace gongkai {

MappedFile map_read_only(const std::filesystem::path& path, bool populate) {
    MappedFile out;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        out.failure = MappedFile::Failure::cannot_open;
        return out;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
        ::close(fd);
        out.failure = MappedFile::Failure::empty;
        return out;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    void* p = S_ISREG(st.st_mode) ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0)
                                  : MAP_FAILED;
    ::close(fd);
    if (p == MAP_FAILED) {
        out.failure = MappedFile::Failure::cannot_map;
        return out;
    }
    out.owner = std::shared_ptr<const void>(p, [size](const void* q) { ::munmap(const_cast<void*>(q), size); });
    out.bytes = std::string_view(static_cast<const char*>(p), size);
    return out;
}

void read_ahead(const MappedFile& file, std::stop_token stop) {
    if (!file.owner) return;
    // The kernel reads ahead at most its read-ahead window (128 KiB by default) or the disk's
    // largest request, whichever is larger, of what one call names: so 128 KiB per call.
    constexpr std::size_t step = std::size_t(128) << 10;
    char* const start = const_cast<char*>(file.bytes.data());
    for (std::size_t at = 0; at < file.bytes.size() && !stop.stop_requested(); at += step)
        ::madvise(start + at, std::min(step, file.bytes.size() - at), MADV_WILLNEED);
}

}  // namespace gongkai
