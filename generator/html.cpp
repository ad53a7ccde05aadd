#include "html.h"

#include <charconv>
#include <cmath>

namespace gongkai {

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
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
            // Other control characters are not allowed in XML and mean nothing in HTML.
            if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
        }
    }
    return out;
}

std::string format_number(double value) {
    char buf[400];  // the longest double in fixed notation, with two decimals
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::round(value * 100) / 100, std::chars_format::fixed, 2);
    std::string s(buf, ec == std::errc() ? end : buf);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

}  // namespace gongkai
