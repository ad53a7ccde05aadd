#include "html.h"

#include <array>
#include <charconv>
#include <cmath>

#include "scan.h"

namespace gongkai {

namespace {

// 1 for the bytes escape_html changes or drops: the five that matter, and control characters
// other than tab and line ends.
constexpr std::array<bool, 256> needs_escape = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<unsigned>(c)] = c != '\t' && c != '\n' && c != '\r';
    t[0x7F] = true;
    for (unsigned char c : std::string_view("&<>\"'")) t[c] = true;
    return t;
}();

}  // namespace

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    append_escaped_html(out, text);
    return out;
}

void append_escaped_html(std::string& out, std::string_view text) {
    std::size_t from = 0;  // the start of the run of bytes copied as they are
    for (std::size_t i = find_special<'&', '<', '>', '"', '\'', '\x7f'>(text, 0); i < text.size();
         i = find_special<'&', '<', '>', '"', '\'', '\x7f'>(text, i + 1)) {
        const char c = text[i];
        if (!needs_escape[static_cast<unsigned char>(c)]) continue;  // a tab or a line end
        out.append(text, from, i - from);
        from = i + 1;
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: break;  // other control characters are not allowed in XML and mean nothing in HTML
        }
    }
    out.append(text, from, std::string_view::npos);
}

std::string format_number(double value) {
    // Up to 10^13 in magnitude, the value rounded to hundredths is a whole number of hundredths
    // that a double holds exactly, and its nearest double is within 0.004 of it: the digits of
    // that whole number are those to_chars writes below. A site writes hundreds of thousands of
    // numbers (completions, chart points), and to_chars with a precision is slow.
    const double hundredths = std::round(value * 100);
    if (std::fabs(hundredths) < 1e15) {
        const auto whole = static_cast<long long>(hundredths);
        const unsigned long long magnitude = whole < 0 ? 0ULL - static_cast<unsigned long long>(whole) : whole;
        char buf[32];
        char* end = buf;
        if (whole < 0) *end++ = '-';
        end = std::to_chars(end, buf + sizeof buf, magnitude / 100).ptr;
        if (const unsigned fraction = magnitude % 100; fraction != 0) {
            *end++ = '.';
            *end++ = static_cast<char>('0' + fraction / 10);
            if (fraction % 10 != 0) *end++ = static_cast<char>('0' + fraction % 10);
        }
        return std::string(buf, end);
    }
    char buf[400];  // the longest double in fixed notation, with two decimals
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::round(value * 100) / 100, std::chars_format::fixed, 2);
    std::string s(buf, ec == std::errc() ? end : buf);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

}  // namespace gongkai
