#include "paths.h"

#include <array>

#include "utf8.h"

namespace gongkai {

namespace {
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool is_windows_device_name(std::string_view name) {
    // "con.txt" and "con .txt" are the device too: only the part before the first dot counts.
    name = name.substr(0, name.find('.'));
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.size() != 3 && name.size() != 4) return false;  // every device name is three or four
    char n[4];
    for (std::size_t i = 0; i < name.size(); ++i) n[i] = lower(name[i]);
    const std::string_view first(n, 3);
    if (name.size() == 3) return first == "con" || first == "prn" || first == "aux" || first == "nul";
    return (first == "com" || first == "lpt") && n[3] >= '1' && n[3] <= '9';
}

std::string id_problem(std::string_view id) {
    if (id.empty()) return "is empty";
    if (id.size() > max_id_length)
        return "is " + std::to_string(id.size()) + " characters long; an id has at most " +
               std::to_string(max_id_length);
    bool upper = false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        char c = id[i];
        if (c >= 'A' && c <= 'Z') {
            upper = true;
        } else if (!lower_alnum(c) && c != '-') {
            // The whole character, not its first byte: '教', not '\xE6'.
            std::size_t len = 1;
            while (i + len < id.size() && len < 4 && (static_cast<unsigned char>(id[i + len]) & 0xC0) == 0x80) ++len;
            return "has the character '" + printable(id.substr(i, len)) +
                   "'; an id is lower-case letters, digits and '-'";
        }
    }
    if (upper) {
        std::string lowered;
        for (char c : id) lowered += lower(c);
        return "has upper-case letters; an id is lower-case (rename it '" + lowered + "')";
    }
    if (!lower_alnum(id.front())) return "starts with '-'; an id starts with a letter or digit";
    if (is_windows_device_name(id)) return "is a device name on Windows, where the site could not be copied";
    return "";
}

bool is_valid_id(std::string_view id) {
    if (id.empty() || id.size() > max_id_length || !lower_alnum(id.front())) return false;
    for (char c : id)
        if (!lower_alnum(c) && c != '-') return false;
    return !is_windows_device_name(id);
}

bool is_valid_goal_id(std::string_view id) {
    if (id.empty() || id.size() > max_id_length || !alnum(id.front())) return false;
    for (char c : id)
        if (!alnum(c) && c != '.' && c != '-') return false;
    return true;
}

namespace {

// The bytes no file or folder name may hold: the control characters, and what Windows forbids.
constexpr std::array<bool, 256> not_in_names = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c) table[c] = true;
    table[0x7F] = true;
    for (unsigned char c : std::string_view("\\:<>\"|?*")) table[c] = true;
    return table;
}();

}  // namespace

bool is_safe_relative_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || first_invalid_utf8(path)) return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string_view seg = path.substr(start, end - start);
        if (seg.empty() || seg.front() == '.' || seg.back() == '.' || seg.back() == ' ') return false;
        for (char c : seg)
            if (not_in_names[static_cast<unsigned char>(c)]) return false;
        if (is_windows_device_name(seg)) return false;
        start = end + 1;
    }
    return true;
}

std::string stem(std::string_view path) {
    auto slash = path.rfind('/');
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    auto dot = name.rfind('.');
    if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
    return std::string(name);
}

}  // namespace gongkai
