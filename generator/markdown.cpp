#include "markdown.h"

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <new>
#include <memory>
#include <mutex>
#include <vector>

namespace gongkai {

namespace {

template <auto F>
struct Deleter {
    void operator()(auto* p) const { F(p); }
};
using ParserPtr = std::unique_ptr<cmark_parser, Deleter<cmark_parser_free>>;
using NodePtr = std::unique_ptr<cmark_node, Deleter<cmark_node_free>>;
using IterPtr = std::unique_ptr<cmark_iter, Deleter<cmark_iter_free>>;

constexpr const char* extension_names[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};
// No CMARK_OPT_VALIDATE_UTF8: every text rendered is from a content file the library has found
// to be valid UTF-8 (render_markdown's contract), and checking it again took a seventieth of a build.
constexpr int options = CMARK_OPT_DEFAULT | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;

void ensure_registered() {
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

// Where cmark-gfm's parser, nodes and buffers for the documents a thread parses live: allocated
// from large blocks one after another, and all given back at once when the thread's last document
// is freed (a parse makes some 250 nodes and buffers, and calloc, realloc and free, most of them
// cmark's, were about 6% of a build's instructions). Freeing one allocation does nothing; growing the
// last one grows it in place. cmark_mem's functions take no context, so each thread has its own.
class Arena {
public:
    void* allocate(std::size_t size, bool zeroed) {
        const std::size_t need = header + round_up(size);
        if (blocks_.empty() || used_ + need > blocks_.back().size) add_block(need);
        std::byte* p = blocks_.back().data.get() + used_;
        used_ += need;
        std::memcpy(p, &size, sizeof size);
        last_ = p + header;
        if (zeroed) std::memset(last_, 0, size);
        return last_;
    }
    void* reallocate(void* old, std::size_t size) {
        if (!old) return allocate(size, false);
        std::size_t was = 0;
        std::memcpy(&was, static_cast<std::byte*>(old) - header, sizeof was);
        if (size <= was) return old;
        if (old == last_ && used_ + round_up(size) - round_up(was) <= blocks_.back().size) {
            used_ += round_up(size) - round_up(was);
            std::memcpy(static_cast<std::byte*>(old) - header, &size, sizeof size);
            return old;
        }
        void* moved = allocate(size, false);
        std::memcpy(moved, old, was);
        return moved;
    }
    // Everything allocated is given back; the largest block is kept for the next document,
    // unless it is larger than most documents need.
    void reset() {
        if (!blocks_.empty()) {
            Block largest = std::move(blocks_.back());
            blocks_.clear();
            if (largest.size <= keep_at_most) blocks_.push_back(std::move(largest));
        }
        used_ = 0;
        last_ = nullptr;
    }
    std::size_t documents = 0;  // parsed on this thread and not yet freed

private:
    static constexpr std::size_t header = 16;  // the size, and what keeps each allocation aligned
    static constexpr std::size_t first_block = std::size_t(64) << 10;
    static constexpr std::size_t keep_at_most = std::size_t(1) << 20;
    static std::size_t round_up(std::size_t size) { return (size + header - 1) / header * header; }
    void add_block(std::size_t need) {
        const std::size_t size = std::max(need, blocks_.empty() ? first_block : 2 * blocks_.back().size);
        blocks_.push_back({std::make_unique_for_overwrite<std::byte[]>(size), size});
        used_ = 0;
    }

    struct Block {
        std::unique_ptr<std::byte[]> data;
        std::size_t size;
    };
    std::vector<Block> blocks_;
    std::size_t used_ = 0;  // of the last block
    void* last_ = nullptr;  // the last allocation, which may grow in place
};

thread_local Arena arena;

// Memory cmark-gfm cannot have ends the process, as with its own allocator: an exception must
// not unwind through its C code.
[[noreturn]] void out_of_memory() {
    std::fputs("gongkai: out of memory while rendering Markdown\n", stderr);
    std::abort();
}
void* arena_calloc(std::size_t count, std::size_t size) {
    if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size) out_of_memory();
    try {
        return arena.allocate(count * size, true);
    } catch (const std::bad_alloc&) {
        out_of_memory();
    }
}
void* arena_realloc(void* p, std::size_t size) {
    try {
        return arena.reallocate(p, size);
    } catch (const std::bad_alloc&) {
        out_of_memory();
    }
}
void arena_free(void*) {}
cmark_mem arena_mem = {arena_calloc, arena_realloc, arena_free};

// One document's hold on its thread's arena: the arena is reset once no document holds it.
struct ArenaHold {
    ArenaHold() { ++arena.documents; }
    ~ArenaHold() {
        if (--arena.documents == 0) arena.reset();
    }
    ArenaHold(const ArenaHold&) = delete;
    ArenaHold& operator=(const ArenaHold&) = delete;
};

// A parsed document: its parser (with the extensions) and root, in its thread's arena; what
// cmark allocates for it, the rendered HTML too, is valid while it lives.
struct Document {
    std::unique_ptr<ArenaHold> hold = std::make_unique<ArenaHold>();  // freed last
    ParserPtr parser;
    NodePtr root;
};

// The parser with gongkai's extensions attached, fed the whole text: the document's root.
Document parse(std::string_view markdown) {
    ensure_registered();
    Document doc;
    doc.parser.reset(cmark_parser_new_with_mem(options, &arena_mem));
    ParserPtr& parser = doc.parser;
    for (const char* name : extension_names) {
        if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    doc.root.reset(cmark_parser_finish(parser.get()));
    return doc;
}

void append_text(cmark_node* node, std::string& out) {
    IterPtr iter(cmark_iter_new(node));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
        cmark_node* cur = cmark_iter_get_node(iter.get());
        if (ev != CMARK_EVENT_ENTER) continue;
        auto type = cmark_node_get_type(cur);
        if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
            if (const char* lit = cmark_node_get_literal(cur)) out += lit;
        } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
            out += ' ';
        }
    }
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

// Replaces a link or image by its contents: the link's text, the image's description.
void unwrap(cmark_node* node) {
    while (cmark_node* child = cmark_node_first_child(node)) cmark_node_insert_before(node, child);
    cmark_node_unlink(node);
    cmark_node_free(node);
}

// Replaces the links and images whose address a page must not carry (unsafe, in document order)
// by their contents (see unwrap), last first: a link inside another comes after it, so it is
// unwrapped before the node that holds it is freed.
void remove_unsafe_links(const std::vector<cmark_node*>& unsafe) {
    for (auto it = unsafe.rbegin(); it != unsafe.rend(); ++it) unwrap(*it);
}

// The nodes a reader sees as one level inside another: quotes, list items, emphasis, links,
// strikethrough. Documents, lists themselves, paragraphs and text add no level of their own.
bool is_nesting(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_ITEM:
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        return true;
    default: {
        const char* name = cmark_node_get_type_string(node);
        return name && std::string_view(name) == "strikethrough";
    }
    }
}

// What the scans before a parse look for in a byte.
enum ByteClass : std::uint8_t {
    is_mark = 1,     // '*', '_', '[', '~': may open emphasis, a link or strikethrough
    is_prefix = 2,   // may open a quote or list item at the start of a line
    is_space = 4,    // ' ', '\t', '\r'
    is_word = 8,     // letters, digits, '.', '_', '-': a run cmark-gfm's autolinker walks
    is_newline = 16,
    is_pipe = 32,    // '|': a table's cell
};

constexpr std::array<std::uint8_t, 256> byte_classes = [] {
    std::array<std::uint8_t, 256> t{};
    for (unsigned char c : std::string_view("*_[~")) t[c] |= is_mark;
    for (unsigned char c : std::string_view(" \t>-*+.)0123456789")) t[c] |= is_prefix;
    for (unsigned char c : std::string_view(" \t\r")) t[c] |= is_space;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<unsigned>(c)] |= is_word;
    for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<unsigned>(c)] |= is_word;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<unsigned>(c)] |= is_word;
    for (unsigned char c : std::string_view("._-")) t[c] |= is_word;
    t['\n'] |= is_newline;
    t['|'] |= is_pipe;
    return t;
}();

// True when all eight bytes from text[i] on are 0x80 or above: inside Chinese text, whose bytes
// are none of those the scans look for. The scans skip such text eight bytes at a time.
bool eight_high_bytes(std::string_view text, std::size_t i) {
    if (i + 8 > text.size()) return false;
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    return (word & 0x8080808080808080u) == 0x8080808080808080u;
}

// The scan of may_nest_deeper_than one byte at a time, for text with a CR alone somewhere: it ends
// a line where a split at LF would not.
bool may_nest_deeper_bytewise(std::string_view text, std::size_t max_depth) {
    std::size_t deepest_prefix = 0, prefix = 0;
    std::size_t most_marks = 0, marks = 0;  // in one paragraph
    bool at_line_start = true, blank = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        const std::uint8_t k = byte_classes[static_cast<unsigned char>(ch)];
        if (k == 0) {  // most bytes: text, and every byte of a Chinese character
            at_line_start = false;
            blank = false;
            while (eight_high_bytes(text, i + 1)) i += 8;  // each would do the same as this one
            continue;
        }
        const bool line_end = (k & is_newline) || (ch == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
        if (line_end) {
            if (blank) marks = 0;
            at_line_start = true;
            blank = true;
            prefix = 0;
            continue;
        }
        if (!(k & is_space)) blank = false;
        if (k & is_mark) most_marks = std::max(most_marks, ++marks);
        if (at_line_start) {
            if (k & is_prefix)
                deepest_prefix = std::max(deepest_prefix, ++prefix);
            else
                at_line_start = false;
        }
        if (deepest_prefix * 2 + most_marks + 1 > max_depth) return true;
    }
    return false;
}

// The lines of a text, split at LF (a CR before it stays on the line), each with its number.
template <class F>
void for_each_line(std::string_view text, F&& f) {
    std::size_t number = 1;
    for (std::size_t start = 0; start <= text.size(); ++number) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (!f(text.substr(start, end - start), number)) return;
        start = end + 1;
    }
}

// The marks ('*', '_', '[', '~') in text[begin, end): sixteen bytes at a time where the processor
// has SSE2 (every x86-64 does), each byte's matches added up in a lane of its own. The last
// bytes are counted in the sixteen that end the range, the bytes before them masked off (text
// before begin is read, never past end); a text shorter than that is counted a byte at a time.
std::size_t count_marks(std::string_view text, std::size_t begin, std::size_t end) {
    std::size_t marks = 0, i = begin;
#if defined(__SSE2__)
    if (end >= 16) {
        const char* const p = text.data();
        auto matches = [](__m128i b) {  // -1 in each lane that holds a mark
            return _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('*')), _mm_cmpeq_epi8(b, _mm_set1_epi8('_'))),
                _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('[')), _mm_cmpeq_epi8(b, _mm_set1_epi8('~'))));
        };
        auto total = [](__m128i lanes) {
            const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
            return static_cast<std::size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
        };
        __m128i lanes = _mm_setzero_si128();
        int blocks = 0;  // added into lanes, each of which counts to 255 at most
        for (; i + 16 <= end; i += 16) {
            lanes = _mm_sub_epi8(lanes, matches(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))));
            if (++blocks == 255) {
                marks += total(lanes);
                lanes = _mm_setzero_si128();
                blocks = 0;
            }
        }
        if (i < end) {
            // The sixteen bytes that end the range, of which the last end - i are new.
            static constexpr char tail_masks[32] = {0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
                                                    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
            const __m128i last = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + end - 16));
            const __m128i keep = _mm_loadu_si128(reinterpret_cast<const __m128i*>(tail_masks + (end - i)));
            lanes = _mm_sub_epi8(lanes, _mm_and_si128(matches(last), keep));
        }
        return marks + total(lanes);
    }
#endif
    for (; i < end; ++i) marks += (byte_classes[static_cast<unsigned char>(text[i])] & is_mark) != 0;
    return marks;
}

// Whether a CR in text is neither before an LF nor its last byte: such a CR ends a line where a
// split at LF would not.
bool has_lone_cr(std::string_view text) {
    for (std::size_t i = text.find('\r'); i != std::string_view::npos; i = text.find('\r', i + 1))
        if (i + 1 < text.size() && text[i + 1] != '\n') return true;
    return false;
}

}  // namespace

// A document can nest only as deep as its containers (quotes, list items: each opened by marker
// characters at the start of a line, two levels per character at most) plus what is inside one
// paragraph: emphasis, links, images and strikethrough (one level per '*', '_', '[' or '~' at
// most), and one autolink (<http://…>, www.…), which holds only text, so one level more at most.
// A paragraph ends at a blank line; a line ends at LF, CRLF or a CR alone, as cmark-gfm reads
// them. Documents whose bound is within max_depth need no parse.
// Line by line for the containers' markers, and a paragraph (the text up to a blank line) at a time
// for the marks in it: where a line's marks were counted on their own, the many short lines of a
// report took a sixtieth of a build's instructions. Text with a CR alone is scanned byte by byte
// instead.
bool may_nest_deeper_than(std::string_view text, std::size_t max_depth) {
    // At 0 the bound is passed by the first byte counted at all, which the lines do not tell.
    if (max_depth == 0 || has_lone_cr(text)) return may_nest_deeper_bytewise(text, max_depth);
    std::size_t deepest_prefix = 0, most_marks = 0;
    std::size_t paragraph = 0;  // where the paragraph being read begins
    auto deeper = [&] { return deepest_prefix * 2 + most_marks + 1 > max_depth; };
    bool stopped = false;
    for_each_line(text, [&](std::string_view line, std::size_t) {
        std::size_t prefix = 0;
        while (prefix < line.size() && (byte_classes[static_cast<unsigned char>(line[prefix])] & is_prefix)) ++prefix;
        deepest_prefix = std::max(deepest_prefix, prefix);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {  // a blank line ends a paragraph
            const auto at = static_cast<std::size_t>(line.data() - text.data());
            most_marks = std::max(most_marks, count_marks(text, paragraph, at));
            paragraph = at + line.size();
        }
        stopped = deeper();
        return !stopped;
    });
    if (stopped) return true;
    most_marks = std::max(most_marks, count_marks(text, paragraph, text.size()));
    return deeper();
}

bool is_safe_url(std::string_view url) {
    // As the URL standard reads an address: leading and trailing spaces and C0 controls are
    // dropped, tabs and line breaks anywhere are ignored.
    while (!url.empty() && static_cast<unsigned char>(url.front()) <= 0x20) url.remove_prefix(1);
    std::string scheme;
    for (char c : url) {
        if (c == '\t' || c == '\n' || c == '\r') continue;
        if (c == ':') {
            if (scheme.empty()) return true;  // ":x" is a relative path
            return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
        }
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
        if (!letter && !(other && !scheme.empty())) return true;  // no scheme: a relative address
        scheme += static_cast<char>(letter && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return true;
}

std::optional<DeepNesting> find_deep_nesting(std::string_view markdown, std::size_t max_depth) {
    if (!may_nest_deeper_than(markdown, max_depth)) return std::nullopt;
    Document doc = parse(markdown);
    auto& [hold, parser, root] = doc;
    IterPtr iter(cmark_iter_new(root.get()));
    std::size_t depth = 0;
    std::size_t line = 0;  // of the innermost block entered, since inlines carry no position
    std::optional<DeepNesting> deepest;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
        cmark_node* node = cmark_iter_get_node(iter.get());
        if (!is_nesting(node)) {
            if (int start = cmark_node_get_start_line(node); ev == CMARK_EVENT_ENTER && start > 0)
                line = static_cast<std::size_t>(start);
            continue;
        }
        if (ev == CMARK_EVENT_EXIT) {
            --depth;
            continue;
        }
        if (int start = cmark_node_get_start_line(node); start > 0) line = static_cast<std::size_t>(start);
        if (++depth > max_depth) {
            if (!deepest) deepest = DeepNesting{depth, line};
            deepest->depth = std::max(deepest->depth, depth);
        }
    }
    return deepest;
}

std::optional<RenderLimit> find_render_limit(std::string_view markdown) {
    std::optional<RenderLimit> limit;
    std::size_t longest = 0, longest_line = 0;
    for_each_line(markdown, [&](std::string_view line, std::size_t number) {
        // A line holds no more cells than bytes, nor a longer run: most need no closer look.
        if (line.size() > max_table_cells &&
            static_cast<std::size_t>(std::count(line.begin(), line.end(), '|')) > max_table_cells) {
            std::size_t cells = 0;
            for (std::size_t i = 0; i < line.size(); ++i)
                if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++cells;
            if (cells > max_table_cells) {
                limit = RenderLimit{number, "a table row of more than " + std::to_string(max_table_cells) + " cells"};
                return false;
            }
        }
        if (line.size() > max_markdown_run && line.size() > longest) {
            std::size_t run = 0;
            for (std::size_t i = 0; i < line.size(); ++i) {
                const std::uint8_t k = byte_classes[static_cast<unsigned char>(line[i])];
                if (!(k & is_word)) {
                    run = 0;
                    while (eight_high_bytes(line, i + 1)) i += 8;
                    continue;
                }
                if (++run > longest) {
                    longest = run;
                    longest_line = number;
                }
            }
        }
        return true;
    });
    if (limit) return limit;
    if (longest > max_markdown_run)
        return RenderLimit{longest_line, "a run of " + std::to_string(longest) +
                                             " letters, digits, '.', '_' and '-' without a space or other break"};
    return std::nullopt;
}

RenderedMarkdown render_markdown(std::string_view markdown) {
    Document doc = parse(markdown);
    auto& [hold, parser, root] = doc;
    // One walk finds both the links and images whose address a page must not carry, and every
    // level-2 heading, in document order, which is the order cmark writes them in.
    std::vector<cmark_node*> unsafe, headings;
    {
        IterPtr iter(cmark_iter_new(root.get()));
        cmark_event_type ev;
        while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
            if (ev != CMARK_EVENT_ENTER) continue;
            cmark_node* node = cmark_iter_get_node(iter.get());
            switch (cmark_node_get_type(node)) {
            case CMARK_NODE_LINK:
            case CMARK_NODE_IMAGE:
                if (const char* url = cmark_node_get_url(node); url && !is_safe_url(url)) unsafe.push_back(node);
                break;
            case CMARK_NODE_HEADING:
                if (cmark_node_get_heading_level(node) == 2) headings.push_back(node);
                break;
            default: break;
            }
        }
    }
    // The links go first; a heading is never inside one, and keeps the text of those inside it.
    remove_unsafe_links(unsafe);

    RenderedMarkdown out;
    for (cmark_node* heading : headings) {
        Section s;
        s.id = "section-" + std::to_string(out.sections.size() + 1);
        append_text(heading, s.title);
        out.sections.push_back(std::move(s));
    }
    // In the document's arena, as all cmark allocates for it.
    char* html = cmark_render_html(root.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
    out.html = add_section_ids(html, out.sections);
    return out;
}

}  // namespace gongkai
