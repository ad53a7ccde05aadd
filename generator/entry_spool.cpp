#include "entry_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "writer.h"

namespace gongkai {

std::unique_ptr<EntrySpool> EntrySpool::open(const std::filesystem::path& folder, std::size_t count) {
    const int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return nullptr;
    return std::unique_ptr<EntrySpool>(new EntrySpool(fd, count));
}

EntrySpool::EntrySpool(int fd, std::size_t count) : fd_(fd), entries_(count), kept_(count, 0), read_(count, 0) {}

EntrySpool::~EntrySpool() { ::close(fd_); }

void EntrySpool::put(std::size_t index, std::string_view entry, const Hash128& sum) {
    if (index >= entries_.size()) return;
    std::uint64_t at = 0;
    {
        std::lock_guard guard(end_lock_);
        at = end_;
        end_ += entry.size();
    }
    std::size_t done = 0;
    while (done < entry.size()) {
        const ssize_t n = ::pwrite(fd_, entry.data() + done, entry.size() - done, static_cast<off_t>(at + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // not kept: the bytes written stay unread
        done += static_cast<std::size_t>(n);
    }
    entries_[index] = SpooledEntry{at, entry.size(), sum};
    kept_[index] = 1;
}

std::size_t EntrySpool::count_read() const {
    return static_cast<std::size_t>(std::count(read_.begin(), read_.end(), 1));
}

std::optional<std::string_view> EntrySpool::read(std::size_t index) {
    const SpooledEntry* kept = find(index);
    if (!kept) return std::nullopt;
    const SpooledEntry& entry = *kept;
    const auto in_window = [&] {
        return entry.offset >= window_at_ && entry.size <= window_.size() &&
               entry.offset - window_at_ <= window_.size() - entry.size;
    };
    if (!in_window()) {
        // From a little before the entry, where the entries put just before it by other threads
        // are, to well after it.
        constexpr std::uint64_t before = 32 << 10;
        constexpr std::uint64_t after = 224 << 10;
        const std::uint64_t start = entry.offset > before ? entry.offset - before : 0;
        const auto size = static_cast<std::size_t>(entry.offset - start + std::max(entry.size, after));
        window_.resize(size);
        window_.resize(read_at(fd_, start, size, window_.data()));
        window_at_ = start;
        if (!in_window()) return std::nullopt;
    }
    read_[index] = 1;
    return std::string_view(window_).substr(static_cast<std::size_t>(entry.offset - window_at_),
                                            static_cast<std::size_t>(entry.size));
}

}  // namespace gongkai
