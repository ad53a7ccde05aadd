#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gongkai {

// Position of the first byte that is not part of valid UTF-8, if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// The library that checks UTF-8 and the version of it gongkai was built with, as
// `gongkai --version` lists it: "simdjson 3.0.1".
std::string utf8_library_version();

// text as UTF-8: each byte at which no valid sequence begins is replaced by U+FFFD, as a browser
// shows it. For text gongkai did not check, such as a commit message, before it is published.
std::string valid_utf8(std::string_view text);

// text converted to UTF-8 from the encoding named (as iconv names them: "GBK", "ISO-8859-1"), or
// nothing if the name is unknown or the text is not in that encoding.
std::optional<std::string> from_encoding(std::string_view text, const std::string& encoding);

// 1-based line and column (in bytes) of a byte offset.
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

// True when text holds a NUL byte: what git and editors call a binary file.
bool looks_binary(std::string_view text);

// The encoding a byte order mark announces when it is not UTF-8's: "UTF-16" or "UTF-32", so an
// editor who saved a file as "Unicode" is told what to change; nothing otherwise.
std::optional<std::string> foreign_byte_order_mark(std::string_view text);

// Text that is safe to print in a message on one line: control characters, bytes that are not
// UTF-8 and the bidirectional overrides that could make a line read differently from its bytes
// are shown as escapes (\n, \xE9, \u202E); longer than max_bytes, it is cut with "…". With
// keep_tabs, a tab stays a tab (for quoting a source line, whose indentation it may be).
std::string printable(std::string_view text, std::size_t max_bytes = 200, bool keep_tabs = false);

}  // namespace gongkai
