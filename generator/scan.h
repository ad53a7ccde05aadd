#pragma once

// Finding the next byte an escaper must look at, sixteen bytes at a time where the processor
// has SSE2 (every x86-64 does). Escaping the text of a site's pages and data files looked at each
// byte in turn; most bytes are copied as they are.

#include <array>
#include <bit>
#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gongkai {

// The index of the first byte of text at or after from that is below 0x20 or one of Marks, or
// text.size() if there is none. The caller decides what such a byte needs: it may need nothing
// (a tab, say), and the search goes on from the byte after it.
template <char... Marks>
std::size_t find_special(std::string_view text, std::size_t from) {
    const char* const data = text.data();
    const std::size_t size = text.size();
    std::size_t i = from;
#if defined(__SSE2__)
    const __m128i control = _mm_set1_epi8(0x1f);
    for (; i + 16 <= size; i += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
        // Unsigned: a byte is at most 0x1f exactly when the smaller of it and 0x1f is itself.
        __m128i found = _mm_cmpeq_epi8(_mm_min_epu8(bytes, control), bytes);
        ((found = _mm_or_si128(found, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(Marks)))), ...);
        if (const int mask = _mm_movemask_epi8(found); mask != 0)
            return i + static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(mask)));
    }
#endif
    // The rest (short values are most of the calls) by a table of the bytes looked for.
    static constexpr std::array<bool, 256> special = [] {
        std::array<bool, 256> t{};
        for (unsigned c = 0; c < 0x20; ++c) t[c] = true;
        ((t[static_cast<unsigned char>(Marks)] = true), ...);
        return t;
    }();
    for (; i < size; ++i)
        if (special[static_cast<unsigned char>(data[i])]) return i;
    return size;
}

}  // namespace gongkai
