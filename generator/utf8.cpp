#include "utf8.h"

#include <iconv.h>
#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace gongkai {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one.
std::size_t sequence_length(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return 0;
    for (std::size_t k = 2; k < len; ++k) {
        auto ck = static_cast<unsigned char>(s[i + k]);
        if (ck < 0x80 || ck > 0xBF) return 0;
    }
    return len;
}

// The code point of a valid sequence.
char32_t decode(std::string_view s, std::size_t i, std::size_t len) {
    auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
    switch (len) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    }
}

bool is_bidi_control(char32_t c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

// Where the text first goes wrong, read one character at a time.
std::optional<std::size_t> first_invalid_by_character(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (i + 8 <= s.size()) {  // eight ASCII bytes at a time
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            const std::uint64_t high = word & 0x8080808080808080u;
            if (high == 0) {
                i += 8;
                continue;
            }
            // Else past the ASCII bytes before the first that is not, as English words between
            // Chinese ones are.
            if constexpr (std::endian::native == std::endian::little) i += std::countr_zero(high) / 8;
        }
        // A character of three bytes whose second byte may be any continuation byte, as most
        // Chinese characters are, without the general case's checks.
        if (const auto c = static_cast<unsigned char>(s[i]);
            ((c >= 0xE1 && c <= 0xEC) || c >= 0xEE) && c <= 0xEF && i + 3 <= s.size() &&
            (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80 && (static_cast<unsigned char>(s[i + 2]) & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        std::size_t len = sequence_length(s, i);
        if (len == 0) return i;
        i += len;
    }
    return std::nullopt;
}

// A text of 64 bytes or more is first checked whole, 32 or 64 bytes at a time (simdjson picks the
// widest instructions the processor has): a content file is almost always valid, and then that is
// all. Only a text found invalid is read again, one character at a time, for where it goes wrong.
// Short texts (names, paths) are read a character at a time at once.
bool valid_whole(std::string_view s) { return s.size() >= 64 && simdjson::validate_utf8(s.data(), s.size()); }

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
    if (valid_whole(s)) return std::nullopt;
    return first_invalid_by_character(s);
}

std::string valid_utf8(std::string_view text) {
    if (valid_whole(text)) return std::string(text);
    // Each bad byte found from where the last one was, a character at a time: asked again of the
    // whole rest, the check of a text with many bad bytes would read it once for each.
    std::string out;
    while (const auto bad = first_invalid_by_character(text)) {
        out.append(text.substr(0, *bad));
        out += "\xEF\xBF\xBD";
        text.remove_prefix(*bad + 1);
    }
    out.append(text);
    return out;
}

std::optional<std::string> from_encoding(std::string_view text, const std::string& encoding) {
    iconv_t cd = ::iconv_open("UTF-8", encoding.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out(text.size() * 4 + 4, '\0');  // no character takes more than four bytes of UTF-8
    char* in = const_cast<char*>(text.data());
    std::size_t in_left = text.size();
    char* to = out.data();
    std::size_t to_left = out.size();
    const bool whole = ::iconv(cd, &in, &in_left, &to, &to_left) != static_cast<std::size_t>(-1) &&
                       ::iconv(cd, nullptr, nullptr, &to, &to_left) != static_cast<std::size_t>(-1);
    ::iconv_close(cd);
    if (!whole) return std::nullopt;
    out.resize(out.size() - to_left);
    return out;
}

TextPosition position_of(std::string_view text, std::size_t offset) {
    TextPosition pos;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            line_start = i + 1;
        }
    }
    pos.column = offset - line_start + 1;
    return pos;
}

bool looks_binary(std::string_view text) { return text.find('\0') != std::string_view::npos; }

std::optional<std::string> foreign_byte_order_mark(std::string_view text) {
    auto starts = [&](std::string_view bom) { return text.starts_with(bom); };
    using namespace std::string_view_literals;
    if (starts("\xFF\xFE\0\0"sv) || starts("\0\0\xFE\xFF"sv)) return "UTF-32";
    if (starts("\xFF\xFE"sv) || starts("\xFE\xFF"sv)) return "UTF-16";
    return std::nullopt;
}

std::string printable(std::string_view s, std::size_t max_bytes, bool keep_tabs) {
    // Most texts shown are printable ASCII that fits (every content file's path is made printable
    // as it is read): those come back as they are, as the loop below would give them.
    if (s.size() <= max_bytes &&
        std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
        return std::string(s);
    std::string out;
    char buf[16];
    for (std::size_t i = 0; i < s.size();) {
        if (out.size() >= max_bytes) {
            out += "…";
            break;
        }
        std::size_t len = sequence_length(s, i);
        if (len == 0) {
            std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[i]));
            out += buf;
            ++i;
            continue;
        }
        char32_t c = decode(s, i, len);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += keep_tabs ? "\t" : "\\t";
        } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || is_bidi_control(c) || c == 0x2028 ||
                   c == 0x2029) {
            std::snprintf(buf, sizeof buf, c < 0x100 ? "\\x%02X" : "\\u%04X", static_cast<unsigned>(c));
            out += buf;
        } else {
            out.append(s, i, len);
        }
        i += len;
    }
    return out;
}

std::string utf8_library_version() {
    return "simdjson " + std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." +
           std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." + std::to_string(simdjson::SIMDJSON_VERSION_REVISION);
}

}  // namespace gongkai
