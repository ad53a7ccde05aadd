#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace gongkai {

// Position of the first byte that is not part of valid UTF-8, if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// 1-based line and column (in bytes) of a byte offset.
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

// True when text holds a NUL byte: what git and editors call a binary file.
bool looks_binary(std::string_view text);

}  // namespace gongkai
