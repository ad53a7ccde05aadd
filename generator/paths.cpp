#include "paths.h"

namespace gongkai {

namespace {
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
}  // namespace

bool is_valid_id(std::string_view id) {
    if (id.empty() || id.size() > max_id_length || !lower_alnum(id.front())) return false;
    for (char c : id)
        if (!lower_alnum(c) && c != '-') return false;
    return true;
}

bool is_valid_goal_id(std::string_view id) {
    if (id.empty() || id.size() > max_id_length || !alnum(id.front())) return false;
    for (char c : id)
        if (!alnum(c) && c != '.' && c != '-') return false;
    return true;
}

bool is_safe_relative_path(std::string_view path) {
    if (path.empty() || path.front() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string_view seg = path.substr(start, end - start);
        if (seg.empty() || seg.front() == '.') return false;
        for (char c : seg)
            if (c == '\\' || c == '\0' || c == ':' || static_cast<unsigned char>(c) < 0x20) return false;
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
