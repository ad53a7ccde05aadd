#include "cache/hash.h"

#include <bit>
#include <cstdio>
#include <cstring>
#include <new>

namespace gongkai {

std::string Hash128::hex() const {
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(high),
                  static_cast<unsigned long long>(low));
    return buf;
}

Hash128 hash_bytes(std::string_view bytes) {
    XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
    return {h.low64, h.high64};
}

ByteHasher::ByteHasher() : state_(XXH3_createState()) {
    if (!state_) throw std::bad_alloc();
    XXH3_128bits_reset(state_);
}

ByteHasher::~ByteHasher() { XXH3_freeState(state_); }

void ByteHasher::update(std::string_view bytes) { XXH3_128bits_update(state_, bytes.data(), bytes.size()); }

Hash128 ByteHasher::digest() const {
    XXH128_hash_t h = XXH3_128bits_digest(state_);
    return {h.low64, h.high64};
}

Hash128 hash_pieces(const std::vector<std::string_view>& pieces) {
    ByteHasher h;
    for (auto piece : pieces) h.update(piece);
    return h.digest();
}

Hasher::Hasher() = default;

Hasher::~Hasher() {
    if (state_) XXH3_freeState(state_);
}

void Hasher::put(const void* bytes, std::size_t size) {
    if (size == 0) return;  // an empty view may hold no pointer at all, which memcpy may not take
    if (size <= sizeof buffer_ - used_) {
        std::memcpy(buffer_ + used_, bytes, size);
        used_ += size;
        return;
    }
    spill(bytes, size);
}

void Hasher::spill(const void* bytes, std::size_t size) {
    if (!state_) {
        state_ = XXH3_createState();
        if (!state_) throw std::bad_alloc();
        XXH3_128bits_reset(state_);
    }
    XXH3_128bits_update(state_, buffer_, used_);
    used_ = 0;
    if (size >= sizeof buffer_) {
        XXH3_128bits_update(state_, bytes, size);
    } else {
        std::memcpy(buffer_, bytes, size);
        used_ = size;
    }
}

Hasher& Hasher::add(std::string_view text) {
    add(static_cast<std::uint64_t>(text.size()));
    put(text.data(), text.size());
    return *this;
}

Hasher& Hasher::add(std::uint64_t value) {
    put(&value, sizeof value);
    return *this;
}

Hasher& Hasher::add(double value) { return add(std::bit_cast<std::uint64_t>(value)); }

Hasher& Hasher::add(const Hash128& value) {
    add(value.low);
    return add(value.high);
}

Hash128 Hasher::digest() const {
    XXH128_hash_t h;
    if (!state_) {
        h = XXH3_128bits(buffer_, used_);  // XXH3 in one call gives what its streaming form gives
    } else {
        XXH3_128bits_update(state_, buffer_, used_);
        used_ = 0;
        h = XXH3_128bits_digest(state_);
    }
    return {h.low64, h.high64};
}

}  // namespace gongkai
