#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gongkai {

// A level-2 heading of a rendered document: one section of a report.
struct Section {
    std::string id;  // "section-1", also set on the heading in html
    std::string title;
};

struct RenderedMarkdown {
    std::string html;
    std::vector<Section> sections;
};

// Renders GitHub-flavoured Markdown (tables, strikethrough, autolinks, task lists) to HTML.
// Raw HTML is never passed through (cmark-gfm's safe mode plus the tagfilter extension), and a
// link or image whose address has a scheme other than http:, https:, mailto: or tel: (javascript:,
// vbscript:, data:, file:, however written) is replaced by its text. The text must be valid UTF-8,
// as every content file is found to be before anything in it is rendered (first_invalid_utf8);
// it is not checked again here.
RenderedMarkdown render_markdown(std::string_view markdown);

// True when a link or image address is one a page may carry: no scheme (a relative address), or
// http:, https:, mailto:, tel:. Read as a browser reads it: case, leading spaces and control
// characters, and tabs or line breaks inside the scheme make no difference.
bool is_safe_url(std::string_view url);

// Documents nested deeper than this (lists in lists, quotes in quotes, emphasis in emphasis) are
// refused: no reader can follow them, and browsers flatten them anyway.
inline constexpr std::size_t max_markdown_depth = 100;

// Where a document first nests deeper than max_depth levels, and how deep it goes there.
struct DeepNesting {
    std::size_t depth = 0;
    std::size_t line = 0;  // 1-based line of the Markdown text; 0 when unknown
};
std::optional<DeepNesting> find_deep_nesting(std::string_view markdown, std::size_t max_depth = max_markdown_depth);

// The scan find_deep_nesting makes before it parses: false when the markers in the text (at the
// starts of lines, and in each paragraph) cannot add up to more than max_depth levels, so the
// document needs no parse. Shown for the tests.
bool may_nest_deeper_than(std::string_view text, std::size_t max_depth);

// cmark-gfm takes time that grows with the square of some inputs: a long run of letters, digits,
// '.', '_' and '-' (its autolink extension rescans it from every "www."), and table rows of very
// many cells. Documents with a run longer than max_markdown_run or a row of more than
// max_table_cells cells are refused, which keeps any document of the largest size gongkai reads
// to a second or two.
inline constexpr std::size_t max_markdown_run = 2048;
inline constexpr std::size_t max_table_cells = 256;

struct RenderLimit {
    std::size_t line = 0;  // 1-based line of the Markdown text
    std::string problem;   // "a run of 100000 letters, digits, '.', '_' and '-' without a break"
};
std::optional<RenderLimit> find_render_limit(std::string_view markdown);

}  // namespace gongkai
