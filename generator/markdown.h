#pragma once

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
// Raw HTML is never passed through and links to javascript:, vbscript:, file: and data: (other
// than images) are removed: cmark-gfm's safe mode plus the tagfilter extension.
RenderedMarkdown render_markdown(std::string_view markdown);

}  // namespace gongkai
