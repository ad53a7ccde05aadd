#include "utf8.h"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <string_view>

using namespace gongkai;

TEST_CASE("first_invalid_utf8 finds a bad byte wherever it falls after ASCII text", "[utf8]") {
    const std::string chinese = "完成率";
    for (std::size_t pad = 0; pad < 25; ++pad) {
        INFO("ASCII bytes before: " << pad);
        const std::string ascii(pad, 'a');
        CHECK_FALSE(first_invalid_utf8(ascii + chinese + ascii + "\n").has_value());
        CHECK(first_invalid_utf8(ascii + "\xFF" + ascii) == pad);
        CHECK(first_invalid_utf8(ascii + chinese + ascii + "\xC0\xAF") == pad + chinese.size() + pad);
        // A character cut short by ASCII: its first byte is where the text goes wrong.
        CHECK(first_invalid_utf8(ascii + "\xE5\xAE" + ascii + "aaaaaaaa") == pad);
        // A surrogate, and a character cut short by the end of the text.
        CHECK(first_invalid_utf8(ascii + "\xED\xA0\x80") == pad);
        CHECK(first_invalid_utf8(ascii + "\xE5") == pad);
    }
}

namespace {

// The well-formed byte sequences of the Unicode Standard's table 3-7, read one at a time.
std::optional<std::size_t> first_invalid_by_table(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100u; };
        const auto in = [](unsigned v, unsigned lo, unsigned hi) { return v >= lo && v <= hi; };
        const unsigned c = b(0);
        std::size_t len = 0;
        if (c <= 0x7F) len = 1;
        else if (in(c, 0xC2, 0xDF) && in(b(1), 0x80, 0xBF)) len = 2;
        else if (c == 0xE0 && in(b(1), 0xA0, 0xBF) && in(b(2), 0x80, 0xBF)) len = 3;
        else if ((in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF)) && in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF)) len = 3;
        else if (c == 0xED && in(b(1), 0x80, 0x9F) && in(b(2), 0x80, 0xBF)) len = 3;
        else if (c == 0xF0 && in(b(1), 0x90, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF)) len = 4;
        else if (in(c, 0xF1, 0xF3) && in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF)) len = 4;
        else if (c == 0xF4 && in(b(1), 0x80, 0x8F) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF)) len = 4;
        if (len == 0) return i;
        i += len;
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("first_invalid_utf8 agrees with the standard's table on every short sequence of telling bytes",
          "[utf8]") {
    // Each edge of table 3-7, and bytes on either side of it.
    const unsigned char bytes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                   0xDF, 0xE0, 0xE1, 0xE4, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    for (unsigned char a : bytes)
        for (unsigned char b : bytes)
            for (unsigned char c : bytes)
                for (unsigned char d : bytes) {
                    const std::string four{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                                           static_cast<char>(d)};
                    // Cut short by the end, after text, and before more text.
                    for (const std::string& text : {four, four.substr(0, 3), std::string("完成") + four,
                                                    "ab" + four + "率" + four.substr(0, 2) + "aaaaaaaa"}) {
                        if (first_invalid_utf8(text) != first_invalid_by_table(text)) {
                            INFO("bytes: " << std::hex << unsigned(a) << ' ' << unsigned(b) << ' ' << unsigned(c) << ' '
                                           << unsigned(d) << "; text of " << std::dec << text.size() << " bytes");
                            REQUIRE(first_invalid_utf8(text) == first_invalid_by_table(text));
                        }
                    }
                }
}

TEST_CASE("first_invalid_utf8 agrees with the standard's table within long texts, at every offset of a block",
          "[utf8]") {
    // Texts of 64 bytes or more are checked whole first (32 or 64 bytes at a time, by simdjson):
    // telling bytes, or a whole character, are put at each offset around the blocks' edges,
    // between ASCII or Chinese text, and the answer must be the table's: whether the text is
    // valid, and where it goes wrong. With each of simdjson's implementations this processor can
    // run (it picks the widest; another processor may get another).
    const unsigned char bytes[] = {0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                   0xE0, 0xE1, 0xE4, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    const std::string characters[] = {"\xC3\xA9", "\xDF\xBF", "\xE0\xA0\x80", "\xE5\xAE\x8C", "\xED\x9F\xBF",
                                      "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF3\xA0\x80\x80",
                                      "\xF4\x8F\xBF\xBF"};
    // Text of exactly size bytes, of whole characters: Chinese (with one to two ASCII bytes to
    // make up the size) or ASCII.
    auto filler = [](std::size_t size, bool chinese) {
        std::string text(chinese ? size % 3 : size, 'a');
        while (text.size() < size) text += "率";
        return text;
    };
    // The implementation simdjson chose, put back however the test ends.
    struct Chosen {
        const simdjson::implementation* before = simdjson::get_active_implementation();
        ~Chosen() { simdjson::get_active_implementation() = before; }
    } chosen;
    std::size_t implementations = 0;
    for (const simdjson::implementation* implementation : simdjson::get_available_implementations()) {
        if (!implementation->supported_by_runtime_system()) continue;
        simdjson::get_active_implementation() = implementation;
        ++implementations;
        INFO("simdjson's implementation: " << implementation->name());
        std::mt19937 random(11);
        std::size_t valid = 0, invalid = 0;
        for (int round = 0; round < 40000; ++round) {
            std::string telling;
            if (random() % 2) {
                telling = characters[random() % std::size(characters)];
            } else {
                const std::size_t count = 1 + random() % 4;
                for (std::size_t k = 0; k < count; ++k)
                    telling += static_cast<char>(bytes[random() % std::size(bytes)]);
            }
            const std::size_t length = 64 + random() % 100;
            // Around the edges of 32 and 64 bytes, at the end of the text, and anywhere.
            const std::size_t edges[] = {29, 30, 31, 32, 33, 61, 62, 63, 64, 65, 93, 94, 95, 96, 97};
            const std::size_t room = length - telling.size();
            const std::size_t choice = random() % 3;
            const std::size_t at = choice == 0 ? room : std::min(room, choice == 1 ? edges[random() % std::size(edges)]
                                                                                   : random() % (room + 1));
            const std::string text = filler(at, random() % 2) + telling + filler(room - at, random() % 2);
            const auto expected = first_invalid_by_table(text);
            (expected ? invalid : valid) += 1;
            if (first_invalid_utf8(text) != expected) {
                INFO("telling bytes at " << at << " of a text of " << text.size() << " bytes");
                REQUIRE(first_invalid_utf8(text) == expected);
            }
        }
        // Both answers were asked for, many times.
        CHECK(valid > 5000);
        CHECK(invalid > 5000);
        // A long valid text of each length, and one cut short at its very end.
        for (std::size_t length = 64; length < 200; ++length) {
            std::string text = filler(length, true);
            INFO("length " << length);
            CHECK_FALSE(first_invalid_utf8(text).has_value());
            text += "\xE5\xAE";
            CHECK(first_invalid_utf8(text) == text.size() - 2);
        }
    }
    CHECK(implementations > 0);
}

TEST_CASE("valid_utf8 replaces each bad byte of a long text once, wherever it is", "[utf8]") {
    // A long text with a bad byte every few characters: each is replaced, the rest kept.
    std::string text, expected;
    for (int i = 0; i < 2000; ++i) {
        text += "进展 \xFF";
        expected += "进展 \xEF\xBF\xBD";
    }
    CHECK(valid_utf8(text) == expected);
    CHECK(valid_utf8(expected) == expected);
}

TEST_CASE("valid_utf8 keeps UTF-8 as it is and replaces every other byte with U+FFFD", "[utf8]") {
    for (const std::string& text : {std::string(), std::string("ASCII only"), std::string("进展 progress 完成"),
                                   std::string("\xF0\x9F\x93\x88 \xC3\xA9")})
        CHECK(valid_utf8(text) == text);
    const std::string r = "\xEF\xBF\xBD";
    CHECK(valid_utf8("a\xFF" "b") == "a" + r + "b");
    CHECK(valid_utf8("Sk\xFDrsla \xFEri\xF0ja") == "Sk" + r + "rsla " + r + "ri" + r + "ja");
    CHECK(valid_utf8("\xE4\xB8") == r + r);             // cut short at the end
    CHECK(valid_utf8("\xE4\xB8" "a\xE5\xAE\x8C") == r + r + "a\xE5\xAE\x8C");
    CHECK(valid_utf8("\xED\xA0\x80") == r + r + r);     // a UTF-16 surrogate
    // Whatever the bytes, the result is UTF-8, and the same again when made valid twice.
    std::mt19937 random(7);
    for (int round = 0; round < 2000; ++round) {
        std::string bytes(random() % 16, '\0');
        for (char& c : bytes) c = static_cast<char>(random() % 4 == 0 ? random() % 0x80 : 0x80 + random() % 0x80);
        const std::string valid = valid_utf8(bytes);
        CHECK_FALSE(first_invalid_utf8(valid));
        CHECK(valid_utf8(valid) == valid);
    }
}
