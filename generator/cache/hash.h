#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gongkai {

// A 128-bit XXH3 digest: the build cache's keys and the output manifest's checksums. Not a
// defence against a forger (the cache and the output folder are the publisher's own); a guard
// against mistakes.
struct Hash128 {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    bool operator==(const Hash128&) const = default;
    std::string hex() const;
};

Hash128 hash_bytes(std::string_view bytes);
// The same digest as hash_bytes of the pieces joined.
Hash128 hash_pieces(const std::vector<std::string_view>& pieces);

// hash_bytes of bytes given a piece at a time.
class ByteHasher {
public:
    ByteHasher();
    ~ByteHasher();
    ByteHasher(const ByteHasher&) = delete;
    ByteHasher& operator=(const ByteHasher&) = delete;
    void update(std::string_view bytes);
    Hash128 digest() const;

private:
    XXH3_state_t* state_;
};

// Hashes a sequence of values. Texts are length-prefixed, so ("ab", "c") and ("a", "bc") differ;
// numbers go in as their 8 bytes, so a list of them needs its count added where the count is not
// fixed by something else the hash covers.
//
// The digest is XXH3's of the bytes added, in order. They are gathered in a buffer first and
// handed to XXH3 a buffer at a time, and a hash of no more than the buffer is taken in one call
// with no streaming state at all: keys are made from many small values (a report's key from some
// forty), and XXH3's streaming update costs about a hundred instructions a call however few bytes
// it is given. digest() hands the buffer on to XXH3, so one Hasher is not for two threads at
// once, even through a const reference.
class Hasher {
public:
    Hasher();
    ~Hasher();
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    Hasher& add(std::string_view text);
    Hasher& add(const char* text) { return add(std::string_view(text)); }
    Hasher& add(const std::string& text) { return add(std::string_view(text)); }
    Hasher& add(std::uint64_t value);
    Hasher& add(std::int64_t value) { return add(static_cast<std::uint64_t>(value)); }
    Hasher& add(int value) { return add(static_cast<std::uint64_t>(static_cast<std::int64_t>(value))); }
    Hasher& add(bool value) { return add(static_cast<std::uint64_t>(value ? 1 : 0)); }
    Hasher& add(double value);
    Hasher& add(const Hash128& value);
    Hash128 digest() const;

private:
    void put(const void* bytes, std::size_t size);
    void spill(const void* bytes, std::size_t size);

    // mutable: digest() hands the buffer on to the state when there is one.
    mutable XXH3_state_t* state_ = nullptr;  // made when the bytes outgrow the buffer
    mutable std::size_t used_ = 0;
    mutable unsigned char buffer_[512];
};

}  // namespace gongkai
