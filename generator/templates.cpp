#include "templates.h"

#include "html.h"

#include <array>
#include <algorithm>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gongkai {

namespace {
constexpr std::array<const char*, 6> page_names = {"index", "departments", "department", "project", "report", "404"};
}

namespace {

constexpr std::string_view spaces = " \t\n\v\f\r";  // what the renderer trims from a tag (isspace)

// Whether text changes the tag delimiters anywhere ("{{=<% %>=}}", with or without spaces inside
// the braces, as the renderer reads it): such a template is left as written.
bool changes_delimiters(std::string_view text) {
    for (auto open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
        // A tag of three braces ("{{{=<% %>=}}}") is read from after the third, and also changes them.
        const std::size_t contents = open + 2 < text.size() && text[open + 2] == '{' ? open + 3 : open + 2;
        auto first = text.find_first_not_of(spaces, contents);
        if (first != std::string_view::npos && text[first] == '=') return true;
    }
    return false;
}

// Replaces each partial tag "{{> name}}" with the partial's text, recursively, so a page is
// parsed once instead of every partial being parsed again at every use. A partial that includes
// itself (a goal and its finer parts) is inlined one level and then left as a tag, which the
// renderer resolves at run time. A tag alone on its line takes the whole line, as the Mustache
// spec's standalone rule does.
std::string expand_partials(const std::string& text, const std::map<std::string, std::string>& sources,
                            std::vector<std::string>& stack) {
    if (changes_delimiters(text)) return text;  // custom delimiters: leave as written
    std::string out;
    out.reserve(text.size() * 2);
    std::size_t pos = 0;
    while (true) {
        std::size_t open = text.find("{{>", pos);
        if (open == std::string::npos) break;
        std::size_t close = text.find("}}", open);
        if (close == std::string::npos) break;
        std::string name = text.substr(open + 3, close - open - 3);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        auto it = sources.find(name);
        bool recursive = std::find(stack.begin(), stack.end(), name) != stack.end();
        if (it == sources.end() || recursive) {
            out.append(text, pos, close + 2 - pos);
            pos = close + 2;
            continue;
        }
        std::size_t line_start = text.rfind('\n', open);
        line_start = line_start == std::string::npos ? 0 : line_start + 1;
        std::size_t line_end = text.find('\n', close);
        bool standalone = text.find_first_not_of(" \t", line_start) == open &&
                          (line_end == std::string::npos ? text.size() : line_end) ==
                              (text.find_first_not_of(" \t\r", close + 2) == std::string::npos
                                   ? text.size()
                                   : text.find_first_not_of(" \t\r", close + 2));
        stack.push_back(name);
        std::string body = expand_partials(it->second, sources, stack);
        stack.pop_back();
        if (standalone) {
            out.append(text, pos, line_start - pos);
            out += body;
            if (!body.empty() && body.back() != '\n') out += '\n';
            pos = line_end == std::string::npos ? text.size() : line_end + 1;
        } else {
            out.append(text, pos, open - pos);
            out += body;
            pos = close + 2;
        }
    }
    out.append(text, pos, std::string::npos);
    return out;
}

// Writes the value of each tag {{t.key}}, {{{t.key}}} and {{&t.key}} (the strings, the same on
// every page of a build) into the template text, so the renderer does not look them up on every
// page: a third of a page's tags. The value is written escaped as the renderer would escape it, or
// raw. A tag is left as written when its value might read otherwise in place of the tag: a key
// the strings lack, or one the renderer's dotted lookup would not find (empty, or with a dot); a
// blank value, or one with a line break (the renderer decides which lines hold only a section
// tag from the template's own line breaks, and a value's do not count); or a value with a brace
// (it could join a neighbouring tag). Text with custom delimiters is left as written. Only page
// data could hide the strings by a member named "t", and it has none.
std::string write_strings(const std::string& text, const std::map<std::string, std::string>& strings) {
    if (strings.empty() || changes_delimiters(text)) return text;
    std::string out;
    out.reserve(text.size() * 2);
    std::size_t pos = 0;
    while (true) {
        std::size_t open = text.find("{{", pos);
        if (open == std::string::npos) break;
        const bool triple = text.compare(open, 3, "{{{") == 0;
        const std::string_view closer = triple ? "}}}" : "}}";
        std::size_t close = text.find(closer, open);
        if (close == std::string::npos) break;
        const std::size_t end = close + closer.size();
        std::string_view name(text.data() + open + (triple ? 3 : 2), close - open - (triple ? 3 : 2));
        bool raw = triple;
        if (!triple && name.starts_with('&')) {
            raw = true;
            name.remove_prefix(1);
        }
        if (const auto first = name.find_first_not_of(spaces); first == std::string_view::npos)
            name = {};
        else
            name = name.substr(first, name.find_last_not_of(spaces) + 1 - first);
        const std::string* value = nullptr;
        if (const std::string_view key = name.substr(std::min<std::size_t>(2, name.size()));
            name.starts_with("t.") && !key.empty() && key.find('.') == std::string_view::npos) {
            auto it = strings.find(std::string(key));
            if (it != strings.end() && it->second.find_first_not_of(spaces) != std::string::npos &&
                it->second.find_first_of("{}\r\n") == std::string::npos)
                value = &it->second;
        }
        out.append(text, pos, open - pos);
        if (value)
            out += raw ? *value : escape_html(*value);
        else
            out.append(text, open, end - open);
        pos = end;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

// What a space and a line break of a page template's text are written as where mark_blanks marks
// them: bytes that no UTF-8 text holds, so no value a page shows can hold them either.
constexpr char space_mark = '\xff';
constexpr char line_mark = '\xfe';

// kainjow's parser makes every space and line break of a template's text a part of its own, and
// the renderer takes a step for each, and two more for a line break (the default theme's report
// page has 2,448 parts: 1,368 spaces and 270 line breaks). Here the blanks between pieces of other
// text are marked, and render() turns the marks back, so the page is the same:
// - a space next to other text, in the same stretch between two tags and on the same line;
// - a line break ('\n' alone) with other text before it on its line and after it on the next,
//   in the same stretch between two tags.
// A marked blank is rendered exactly when the text beside it is, so every line it is on shows other
// text too, and the renderer's rule for a line that holds nothing but a section tag and blanks
// decides as it did. Other blanks are left as written. The text keeps its length, so an error's
// position is unchanged. (A lambda would see the marks in a section's text; gongkai's page data
// holds none.)
std::string mark_blanks(const std::string& text) {
    std::string out = text;
    auto blank = [](char c) { return c == space_mark || c == line_mark || spaces.find(c) != std::string_view::npos; };
    auto mark = [&](std::size_t begin, std::size_t end) {  // text between two tags
        for (std::size_t i = begin; i < end;) {
            if (out[i] != ' ') {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < end && out[j] == ' ') ++j;
            if ((i > begin && !blank(out[i - 1])) || (j < end && !blank(out[j])))
                std::fill(out.begin() + static_cast<std::ptrdiff_t>(i), out.begin() + static_cast<std::ptrdiff_t>(j),
                          space_mark);
            i = j;
        }
        auto in_line = [](char c) { return c == ' ' || c == '\t' || c == space_mark; };
        for (std::size_t i = begin; i < end; ++i) {
            if (out[i] != '\n' || (i > begin && out[i - 1] == '\r')) continue;
            std::size_t before = i;
            while (before > begin && in_line(out[before - 1])) --before;
            std::size_t after = i + 1;
            while (after < end && in_line(out[after])) ++after;
            if (before > begin && !blank(out[before - 1]) && after < end && !blank(out[after])) out[i] = line_mark;
        }
    };
    std::size_t pos = 0;
    while (true) {
        const std::size_t open = text.find("{{", pos);
        if (open == std::string::npos) {
            mark(pos, text.size());
            break;
        }
        mark(pos, open);
        const std::string_view closer = text.compare(open, 3, "{{{") == 0 ? "}}}" : "}}";
        const std::size_t close = text.find(closer, open);
        if (close == std::string::npos) break;  // an unclosed tag: the parser says so
        pos = close + closer.size();
    }
    return out;
}

// Turns mark_blanks's marks in a rendered page back into the blanks they stand for: sixteen bytes
// a step with SSE2, where most steps (a report's body, the values) hold no mark and change nothing.
void unmark(std::string& text) {
    char* const data = text.data();
    const std::size_t size = text.size();
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i spaces_marked = _mm_set1_epi8(space_mark), lines_marked = _mm_set1_epi8(line_mark);
    const __m128i space = _mm_set1_epi8(' '), line = _mm_set1_epi8('\n');
    for (; i + 16 <= size; i += 16) {
        auto* at = reinterpret_cast<__m128i*>(data + i);
        const __m128i bytes = _mm_loadu_si128(at);
        const __m128i is_space = _mm_cmpeq_epi8(bytes, spaces_marked), is_line = _mm_cmpeq_epi8(bytes, lines_marked);
        const __m128i marked = _mm_or_si128(is_space, is_line);
        if (_mm_movemask_epi8(marked) == 0) continue;
        const __m128i blanks = _mm_or_si128(_mm_and_si128(is_space, space), _mm_and_si128(is_line, line));
        _mm_storeu_si128(at, _mm_or_si128(_mm_andnot_si128(marked, bytes), blanks));
    }
#endif
    for (; i < size; ++i) data[i] = data[i] == space_mark ? ' ' : data[i] == line_mark ? '\n' : data[i];
}

// Whether mark_blanks may mark text: not where the delimiters change (the tags are then not where
// it looks for them), nor where the text holds either mark's byte already (a theme's template
// need not be UTF-8), which render() would turn into a blank.
bool can_mark(const std::string& text) {
    return !changes_delimiters(text) && text.find_first_of("\xfe\xff") == std::string::npos;
}

// What a later link makes of itself when a template first asks for a name it may hold.
struct Later {
    std::span<const std::string_view> names;
    std::function<mustache::data()> make;
    std::optional<mustache::data> made;

    bool may_hold(const std::string& name) const { return std::binary_search(names.begin(), names.end(), name); }
    const mustache::data* value() {
        if (!made) made = make();
        return &*made;
    }
};

// A link is held as a partial, the one kind of kainjow value that can carry a C++ object, and
// is found again by its type.
struct Link {
    const mustache::data* to;
    mustache::data own;
    std::shared_ptr<Later> later;  // in place of to, for later_link
    std::string operator()() const { return {}; }
};

const Link* link_of(const mustache::data* value) {
    return value->is_partial() ? value->partial_value().target<Link>() : nullptr;
}

// The member name of value, looking through links.
const mustache::data* member(const mustache::data* value, const std::string& name) {
    while (const Link* link = link_of(value)) {
        if (const mustache::data* own = link->own.get(name)) return own;
        if (!link->later) {
            value = link->to;
        } else if (link->later->may_hold(name)) {
            value = link->later->value();
        } else {
            return nullptr;  // not a name the rest can hold: it is not made for it
        }
    }
    return value->get(name);
}

// The renderer's context: kainjow's own, except that a dotted name ("project.title") is looked up
// piece by piece in place, where kainjow's splits it through a std::stringstream on every tag
// (a tenth of a build's CPU). The lookup rules are kainjow's: "." is the innermost value; a
// name is looked for in each value from the innermost out, and a dotted name must resolve whole
// within one of them; an empty last piece ("a.") is ignored, as std::getline ignores it. Links
// are looked through (see link_to).
class Context final : public mustache::basic_context<std::string> {
public:
    explicit Context(const mustache::data* outermost) { items_.push_back(outermost); }

    void push(const mustache::data* data) override { items_.push_back(data); }
    void pop() override { items_.pop_back(); }

    const mustache::data* get(const std::string& name) const override {
        if (name.size() == 1 && name[0] == '.') return items_.back();
        if (name.find('.') == std::string::npos) return get_partial(name);
        std::string piece;
        for (auto item = items_.rbegin(); item != items_.rend(); ++item) {
            const mustache::data* var = *item;
            std::size_t start = 0;
            while (var) {
                std::size_t dot = name.find('.', start);
                if (dot == std::string::npos) {
                    if (start < name.size()) {
                        piece.assign(name, start, std::string::npos);
                        var = member(var, piece);
                    }
                    break;
                }
                piece.assign(name, start, dot - start);
                var = member(var, piece);
                start = dot + 1;
            }
            if (var) return var;
        }
        return nullptr;
    }

    const mustache::data* get_partial(const std::string& name) const override {
        for (auto item = items_.rbegin(); item != items_.rend(); ++item)
            if (const mustache::data* var = member(*item, name)) return var;
        return nullptr;
    }

private:
    std::vector<const mustache::data*> items_;  // innermost last
};

// Where the renderer writes a page: straight into a string, not through a std::ostringstream.
struct PageText {
    std::string text;
    PageText& operator<<(const std::string& piece) {
        text += piece;
        return *this;
    }
};

}  // namespace

mustache::data link_to(const mustache::data& value, mustache::data own) {
    return mustache::data(mustache::partial(Link{&value, std::move(own), nullptr}));
}

mustache::data later_link(mustache::data own, std::span<const std::string_view> later,
                          std::function<mustache::data()> make) {
    auto rest = std::make_shared<Later>(Later{later, std::move(make), std::nullopt});
    return mustache::data(mustache::partial(Link{nullptr, std::move(own), std::move(rest)}));
}

bool Templates::is_page(const std::string& name) {
    return std::find(page_names.begin(), page_names.end(), name) != page_names.end();
}

Templates::Templates(const std::map<std::string, std::string>& theme, const std::string& theme_origin,
                     const std::map<std::string, std::string>& overrides, const std::string& override_origin,
                     Diagnostics& diagnostics, const std::map<std::string, std::string>& strings) {
    std::map<std::string, std::string> origin;
    for (const auto& [name, text] : theme) {
        sources_[name] = text;
        origin[name] = theme_origin + "/" + name + ".mustache";
    }
    for (const auto& [name, text] : overrides) {
        sources_[name] = text;
        origin[name] = override_origin + "/" + name + ".mustache";
    }
    for (const auto& [name, text] : sources_) {
        // Each template is checked as written, so an error names the file it is in.
        mustache::mustache tmpl(text);
        if (!tmpl.is_valid()) {
            diagnostics.error(origin[name], 0, 0, "", "template error: " + tmpl.error_message());
            continue;
        }
        if (!is_page(name)) continue;
        std::vector<std::string> stack{name};
        std::string prepared = write_strings(expand_partials(text, sources_, stack), strings);
        const bool marked = can_mark(prepared);
        auto expanded = std::make_unique<mustache::mustache>(marked ? mark_blanks(prepared) : prepared);
        expanded->set_custom_escape([](const std::string& s) { return escape_html(s); });
        if (expanded->is_valid()) pages_.emplace(name, Page{std::move(expanded), marked});
        else diagnostics.error(origin[name], 0, 0, "", "template error with its partials: " + expanded->error_message());
    }
    for (const char* name : page_names) {
        if (!sources_.contains(name))
            diagnostics.error(theme_origin + "/" + name + ".mustache", 0, 0, "", "the theme lacks this page template");
    }
}

void Templates::add_partials(mustache::data& data) const {
    for (const auto& [partial_name, text] : sources_) {
        if (is_page(partial_name)) continue;
        const std::string* source = &text;
        data.set(partial_name, mustache::partial([source] { return *source; }));
    }
}

std::string Templates::render(const std::string& name, mustache::data& data) const {
    add_partials(data);
    return render(name, data, mustache::data(mustache::data::type::object));
}

std::string Templates::render(const std::string& name, const mustache::data& shared, const mustache::data& page) const {
    auto it = pages_.find(name);
    if (it == pages_.end()) return {};
    Context ctx(&shared);
    ctx.push(&page);
    PageText out;
    out.text.reserve(32 * 1024);
    it->second.parsed->render(ctx, out);
    // The marks back into blanks (see mark_blanks). Every value a page shows is UTF-8, so none
    // holds either byte.
    if (it->second.marked) unmark(out.text);
    return std::move(out.text);
}

}  // namespace gongkai
