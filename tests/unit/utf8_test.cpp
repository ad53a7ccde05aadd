#include "utf8.h"

#include <catch2/catch.hpp>

#include <string>

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
