#include "git/packs.h"

#include <libdeflate.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace gongkai::git {

namespace {

// git's pack formats (Documentation/gitformat-pack.txt): an index of version 2 is a header, 256
// counts by first byte of the id, the sorted ids, their CRC-32s, their 32-bit offsets, the 64-bit
// offsets those point to, and two SHA-1 checksums: the pack's, then its own.
constexpr unsigned char index_magic[] = {0xff, 't', 'O', 'c'};
constexpr std::size_t id_bytes = 20;
constexpr std::size_t index_header = 8;
constexpr std::size_t fanout_bytes = 256 * 4;
constexpr std::size_t index_trailer = 2 * id_bytes;
constexpr std::size_t pack_header = 12;  // "PACK", version, object count
constexpr std::size_t pack_trailer = id_bytes;
constexpr unsigned blob_type = 3;

std::uint32_t be32(const unsigned char* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

std::uint64_t be64(const unsigned char* p) { return std::uint64_t(be32(p)) << 32 | be32(p + 4); }

// One decompressor per thread, made when the thread first reads a blob.
struct Decompressor {
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    ~Decompressor() { libdeflate_free_decompressor(d); }
};

libdeflate_decompressor* decompressor() {
    thread_local Decompressor own;
    return own.d;
}

}  // namespace

Packs::Packs(const std::string& objects_dir) {
    if (objects_dir.empty()) return;
    std::error_code ec;
    std::vector<std::string> indexes;
    // An unreadable folder, or one that fails part way, leaves the packs not listed to libgit2.
    for (std::filesystem::directory_iterator it(objects_dir + "/pack", ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".idx") == 0) indexes.push_back(it->path().string());
    }
    std::sort(indexes.begin(), indexes.end());
    for (const std::string& index_path : indexes) {
        Pack pack;
        pack.index = map_read_only(index_path, false);
        if (pack.index.owner) pack.data = map_read_only(index_path.substr(0, index_path.size() - 4) + ".pack", false);
        const auto* ix = reinterpret_cast<const unsigned char*>(pack.index.bytes.data());
        const auto* pk = reinterpret_cast<const unsigned char*>(pack.data.bytes.data());
        const std::size_t index_size = pack.index.bytes.size(), pack_size = pack.data.bytes.size();
        bool usable = pack.index.owner && pack.data.owner &&
                      index_size >= index_header + fanout_bytes + index_trailer &&
                      pack_size >= pack_header + pack_trailer && std::memcmp(ix, index_magic, 4) == 0 &&
                      be32(ix + 4) == 2 && std::memcmp(pk, "PACK", 4) == 0 && (be32(pk + 4) == 2 || be32(pk + 4) == 3);
        if (!usable) continue;  // its mappings go with it
        pack.fanout = ix + index_header;
        for (int i = 1; i < 256 && usable; ++i) usable = be32(pack.fanout + 4 * (i - 1)) <= be32(pack.fanout + 4 * i);
        pack.count = be32(pack.fanout + 4 * 255);
        const std::uint64_t fixed = index_header + fanout_bytes + std::uint64_t(pack.count) * (id_bytes + 4 + 4);
        const std::uint64_t rest = index_size - index_trailer;
        // As libgit2 checks an index's size: at most one 64-bit offset for each object but one.
        usable = usable && rest >= fixed && (rest - fixed) % 8 == 0 &&
                 (rest - fixed) / 8 <= (pack.count ? pack.count - 1 : 0) && be32(pk + 8) == pack.count &&
                 // The index records the checksum of the pack it indexes.
                 std::memcmp(ix + rest, pk + pack_size - pack_trailer, id_bytes) == 0;
        if (!usable) continue;
        pack.ids = pack.fanout + fanout_bytes;
        pack.offsets = pack.ids + std::size_t(pack.count) * (id_bytes + 4);
        pack.large = pack.offsets + std::size_t(pack.count) * 4;
        pack.large_count = (rest - fixed) / 8;
        packs_.push_back(std::move(pack));
    }
}

void Packs::read_ahead() {
    if (packs_.empty() || ahead_.joinable()) return;
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    std::uint64_t budget = pages > 0 && page > 0 ? std::uint64_t(pages) * std::uint64_t(page) / 4 : 0;
    std::vector<const MappedFile*> files;
    // More than the budget would push out of memory what was read ahead before it is used.
    for (const Pack& pack : packs_)
        for (const MappedFile* file : {&pack.index, &pack.data})
            if (file->bytes.size() <= budget) {
                budget -= file->bytes.size();
                files.push_back(file);
            }
    ahead_ = std::jthread([files = std::move(files)](std::stop_token stop) {
        for (const MappedFile* file : files) gongkai::read_ahead(*file, stop);
    });
}

std::uint64_t Packs::find(const Pack& pack, const git_oid& id) {
    const unsigned first = id.id[0];
    std::uint32_t lo = first == 0 ? 0 : be32(pack.fanout + 4 * (first - 1));
    std::uint32_t hi = be32(pack.fanout + 4 * first);
    while (lo < hi) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        const int order = std::memcmp(pack.ids + std::size_t(mid) * id_bytes, id.id, id_bytes);
        if (order == 0) {
            const std::uint32_t small = be32(pack.offsets + std::size_t(mid) * 4);
            if (!(small & 0x80000000u)) return small;
            const std::size_t at = small & 0x7fffffffu;
            return at < pack.large_count ? be64(pack.large + at * 8) : 0;
        }
        if (order < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

// deflate makes at most 1,032 bytes of each byte it reads.
constexpr std::uint64_t max_deflate_ratio = 1032;

bool Packs::read_whole_blob(const Pack& pack, std::uint64_t offset, std::string& out, std::size_t max_bytes) {
    const auto* const data = reinterpret_cast<const unsigned char*>(pack.data.bytes.data());
    const std::size_t end = pack.data.bytes.size() - pack_trailer;
    if (offset < pack_header || offset >= end) return false;
    const unsigned char* p = data + offset;
    const unsigned char* const stop = data + end;
    // The entry's header: its type, and its size seven bits at a time, the lowest first.
    unsigned c = *p++;
    const unsigned type = (c >> 4) & 7;
    std::uint64_t size = c & 15;
    for (unsigned shift = 4; c & 0x80; shift += 7) {
        if (p == stop || shift > 57) return false;
        c = *p++;
        size |= std::uint64_t(c & 0x7f) << shift;
    }
    if (type != blob_type) return false;  // a delta, or not a blob
    // A size the rest of the pack could not inflate to is not believed: memory is not taken for it.
    if (size > max_bytes || size > std::uint64_t(stop - p) * max_deflate_ratio) return false;
    libdeflate_decompressor* d = decompressor();
    if (!d) return false;
    out.resize(static_cast<std::size_t>(size));
    // The stream's end is not known beforehand (the entries that follow are read as unused
    // input, whose length used gets). With no room for the size it gives back, libdeflate
    // succeeds only if the data inflates to exactly out's size.
    std::size_t used = 0;
    return libdeflate_zlib_decompress_ex(d, p, static_cast<std::size_t>(stop - p), out.data(), out.size(), &used,
                                         nullptr) == LIBDEFLATE_SUCCESS;
}

bool Packs::read_blob(const git_oid& id, std::string& out, std::size_t max_bytes) const {
    // The first pack that holds the blob answers; if it cannot, libgit2 does (with its messages).
    for (const Pack& pack : packs_)
        if (std::uint64_t offset = find(pack, id)) {
            if (read_whole_blob(pack, offset, out, max_bytes)) return true;
            break;
        }
    std::string().swap(out);  // not merely emptied: a large failed read gives its memory back
    return false;
}

std::string Packs::library_version() {
    return "libdeflate " LIBDEFLATE_VERSION_STRING;
}

}  // namespace gongkai::git
