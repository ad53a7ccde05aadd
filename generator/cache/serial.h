#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cache/hash.h"
#include "content/model.h"
#include "history.h"
#include "markdown.h"

namespace gongkai {

// The build cache could not be read: damaged, cut short, or written by another version.
class CacheError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Values appended as bytes in the machine's own order; the cache never leaves the machine that
// wrote it (its header names the format and gongkai's version, and a mismatch means a full build).
class BinaryWriter {
public:
    void u64(std::uint64_t v) { raw(&v, sizeof v); }
    void i64(std::int64_t v) { raw(&v, sizeof v); }
    void f64(double v) { raw(&v, sizeof v); }
    void flag(bool v) { u64(v ? 1 : 0); }
    void str(std::string_view s) {
        u64(s.size());
        out_.append(s);
    }
    void hash(const Hash128& h) {
        u64(h.low);
        u64(h.high);
    }
    // Room for n bytes in all, so that a large text is not moved and made again as it grows.
    void reserve(std::size_t n) { out_.reserve(n); }
    std::string& bytes() { return out_; }

private:
    void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
    std::string out_;
};

// Reads what BinaryWriter wrote; any read past the end throws CacheError.
class BinaryReader {
public:
    explicit BinaryReader(std::string_view in) : in_(in) {}
    std::uint64_t u64() {
        std::uint64_t v;
        raw(&v, sizeof v);
        return v;
    }
    std::int64_t i64() {
        std::int64_t v;
        raw(&v, sizeof v);
        return v;
    }
    double f64() {
        double v;
        raw(&v, sizeof v);
        return v;
    }
    bool flag() {
        std::uint64_t v = u64();
        if (v > 1) throw CacheError("a flag is neither 0 nor 1");
        return v == 1;
    }
    std::string str() { return std::string(view()); }
    // A text without copying it: valid while the input is.
    std::string_view view() {
        std::uint64_t n = u64();
        if (n > in_.size() - pos_) throw CacheError("a text runs past the end");
        std::string_view s = in_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    Hash128 hash() {
        Hash128 h;
        h.low = u64();
        h.high = u64();
        return h;
    }
    // A count of items that follow, each at least min_bytes long: a damaged count fails here
    // instead of asking for a vast allocation.
    std::size_t count(std::size_t min_bytes = 1) {
        std::uint64_t n = u64();
        if (min_bytes && n > (in_.size() - pos_) / min_bytes) throw CacheError("a count runs past the end");
        return static_cast<std::size_t>(n);
    }
    bool done() const { return pos_ == in_.size(); }
    // What is left to read, without reading it.
    std::string_view rest() const { return in_.substr(pos_); }

private:
    void raw(void* p, std::size_t n) {
        if (n > in_.size() - pos_) throw CacheError("the cache is cut short");
        std::memcpy(p, in_.data() + pos_, n);
        pos_ += n;
    }
    std::string_view in_;
    std::size_t pos_ = 0;
};

void write(BinaryWriter& w, const Department& d);
void write(BinaryWriter& w, const Project& p);
// A report with its Markdown, or (with_body false, for the build cache) without: read back, it is
// marked body_unread.
void write(BinaryWriter& w, const Report& r, bool with_body = true);
void write(BinaryWriter& w, const History& h);
void write(BinaryWriter& w, const std::vector<Section>& sections);

void read(BinaryReader& r, Department& d);
void read(BinaryReader& r, Project& p);
void read(BinaryReader& r, Report& rep, bool with_body = true);
void read(BinaryReader& r, History& h);
void read(BinaryReader& r, std::vector<Section>& sections);

}  // namespace gongkai
