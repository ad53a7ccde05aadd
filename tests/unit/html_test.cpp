#include "html.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <string_view>

using namespace gongkai;

TEST_CASE("escape_html: the five characters that matter", "[html]") {
    CHECK(escape_html("a & b") == "a &amp; b");
    CHECK(escape_html("<script>") == "&lt;script&gt;");
    CHECK(escape_html("\"quoted\"") == "&quot;quoted&quot;");
    CHECK(escape_html("it's") == "it&#39;s");
    CHECK(escape_html("&amp;") == "&amp;amp;");
}

TEST_CASE("escape_html: other text is left as it is", "[html]") {
    CHECK(escape_html("") == "");
    CHECK(escape_html("长宁区教育局 {{site.title}} 90%") == "长宁区教育局 {{site.title}} 90%");
}

namespace {

// escape_html's rule, a character at a time.
std::string by_rule(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t':
        case '\n':
        case '\r': out += c; break;
        default:
            if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("escape_html: every byte, alone and among others, as the character-by-character rule has it",
          "[html]") {
    std::string all;
    for (int b = 0; b < 256; ++b) {
        const std::string one(1, static_cast<char>(b));
        INFO("byte " << b);
        CHECK(escape_html(one) == by_rule(one));
        CHECK(escape_html("进展" + one + "x" + one + one) == by_rule("进展" + one + "x" + one + one));
        all += one;
    }
    CHECK(escape_html(all) == by_rule(all));
    CHECK(escape_html(all + all) == by_rule(all + all));
}

TEST_CASE("escape_html: random text, with what it escapes at every place in and across 16-byte blocks",
          "[html]") {
    // escape_html looks for the bytes it changes sixteen at a time: each must be found wherever it
    // falls in a block, first, last or alone, and the blocks must not skip the ones after it.
    const std::string pieces[] = {"进", "展", "a", " ", "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\x01",
                                  "\x1f", "\x7f", "\xe2\x80\x9c", "\xff", "0123456789abcdef"};
    for (const std::string special : {"&", "'", "\t", "\x01", "\x7f"})
        for (std::size_t at = 0; at < 40; ++at) {
            const std::string text = std::string(at, 'a') + special + std::string(20, 'b');
            INFO("at " << at << ": " << text);
            CHECK(escape_html(text) == by_rule(text));
        }
    std::mt19937 random(20261201);
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int count = static_cast<int>(random() % 40);
        for (int k = 0; k < count; ++k) text += pieces[random() % std::size(pieces)];
        INFO("text: " << text);
        CHECK(escape_html(text) == by_rule(text));
    }
}

TEST_CASE("format_number: as people write percentages", "[html]") {
    CHECK(format_number(90) == "90");
    CHECK(format_number(87.5) == "87.5");
    CHECK(format_number(87.25) == "87.25");
    CHECK(format_number(33.333333) == "33.33");
    CHECK(format_number(66.666) == "66.67");
    CHECK(format_number(0) == "0");
    CHECK(format_number(100) == "100");
    CHECK(format_number(0.9) == "0.9");
    CHECK(format_number(-0.001) == "0");
    CHECK(format_number(99.999) == "100");
}

namespace {

// What format_number must write: printf's "%.2f" of the value rounded to hundredths, trimmed.
std::string by_printf(double value) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.2f", std::round(value * 100) / 100);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

}  // namespace

TEST_CASE("format_number: the same digits as printf's %.2f, trimmed, at every hundredth and between",
          "[html]") {
    // format_number writes with std::to_chars; a page's figures must not change with that.
    for (int i = -20000; i <= 20000; ++i) {
        for (double value : {i / 100.0, i / 100.0 + 0.005, i / 1000.0, i * 7.77}) {
            INFO(value);
            REQUIRE(format_number(value) == by_printf(value));
        }
    }
    CHECK(format_number(1e300) == by_printf(1e300));
    CHECK(format_number(-1e300) == by_printf(-1e300));
}

TEST_CASE("append_escaped_html: escapes onto the end of what is there", "[html]") {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"", "<p>"},
        {"plain 中文", "<p>plain 中文"},
        {"a & <b> \"c\" 'd'", "<p>a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;"},
        {"bell\x07 tab\t del\x7F end&", "<p>bell tab\t del end&amp;"},
    };
    for (const auto& [text, expected] : cases) {
        INFO(text);
        std::string out = "<p>";
        append_escaped_html(out, text);
        CHECK(out == expected);
    }
}

TEST_CASE("format_number: the same digits as printf's %.2f at every magnitude", "[html]") {
    // Whole hundredths are written from an integer up to 10^13; beyond, to_chars writes them.
    std::uint64_t state = 0x9E3779B97F4A7C15u;  // a fixed sequence: the same values every run
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int exponent = -4; exponent <= 17; ++exponent) {
        for (int k = 0; k < 2000; ++k) {
            const double mantissa = 1.0 + static_cast<double>(next() % 1000000007) / 1000000007.0 * 9.0;
            for (double value : {mantissa * std::pow(10.0, exponent), -mantissa * std::pow(10.0, exponent)}) {
                INFO(value);
                REQUIRE(format_number(value) == by_printf(value));
            }
        }
    }
    for (double value : {9.999999999999e12, 1e13, 1e13 + 0.005, 9.99999999999999e14, 1e15, 4503599627370495.5,
                         -1e15, 0.005, -0.005, 0.015, 1.005, 2.675}) {
        INFO(value);
        CHECK(format_number(value) == by_printf(value));
    }
    CHECK(format_number(-0.0) == "0");
    CHECK(format_number(std::numeric_limits<double>::infinity()) == by_printf(std::numeric_limits<double>::infinity()));
    CHECK(format_number(-std::numeric_limits<double>::infinity()) == by_printf(-std::numeric_limits<double>::infinity()));
}
