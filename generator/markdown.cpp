#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace gongkai {

namespace {

template <auto F>
struct Deleter {
    void operator()(auto* p) const { F(p); }
};
using ParserPtr = std::unique_ptr<cmark_parser, Deleter<cmark_parser_free>>;
using NodePtr = std::unique_ptr<cmark_node, Deleter<cmark_node_free>>;

constexpr const char* extension_names[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};

void ensure_registered() {
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

void append_text(cmark_node* node, std::string& out) {
    cmark_iter* iter = cmark_iter_new(node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node* cur = cmark_iter_get_node(iter);
        if (ev != CMARK_EVENT_ENTER) continue;
        auto type = cmark_node_get_type(cur);
        if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
            if (const char* lit = cmark_node_get_literal(cur)) out += lit;
        } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
            out += ' ';
        }
    }
    cmark_iter_free(iter);
}

// Gives the n-th "<h2>" of html the id of the n-th section. With raw HTML suppressed, every
// "<h2>" in cmark's output is a heading it wrote.
std::string add_section_ids(const std::string& html, const std::vector<Section>& sections) {
    std::string out;
    out.reserve(html.size() + sections.size() * 20);
    std::size_t pos = 0;
    for (const auto& s : sections) {
        std::size_t at = html.find("<h2>", pos);
        if (at == std::string::npos) break;
        out.append(html, pos, at - pos);
        out += "<h2 id=\"" + s.id + "\">";
        pos = at + 4;
    }
    out.append(html, pos, std::string::npos);
    return out;
}

}  // namespace

RenderedMarkdown render_markdown(std::string_view markdown) {
    ensure_registered();
    const int options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
    ParserPtr parser(cmark_parser_new(options));
    for (const char* name : extension_names) {
        if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    NodePtr root(cmark_parser_finish(parser.get()));

    RenderedMarkdown out;
    // Every level-2 heading, in document order, which is the order cmark writes them in.
    cmark_iter* iter = cmark_iter_new(root.get());
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node* node = cmark_iter_get_node(iter);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING &&
            cmark_node_get_heading_level(node) == 2) {
            Section s;
            s.id = "section-" + std::to_string(out.sections.size() + 1);
            append_text(node, s.title);
            out.sections.push_back(std::move(s));
        }
    }
    cmark_iter_free(iter);
    char* html = cmark_render_html(root.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
    out.html = add_section_ids(html, out.sections);
    std::free(html);
    return out;
}

}  // namespace gongkai
