// Hostile content: every vector of tests/hostile/strings.txt is put into every text value the
// content has, and every vector of tests/hostile/markdown.txt is the body of a plan and a report.
// The site built from it is read back file by file, as a browser, a feed reader, a spreadsheet or
// a JSON parser would read it, and must carry no script, no event handler, no dangerous URL and no
// formula that the theme did not put there itself.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::Files;
using gongkai::test::GitRepo;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

namespace {

fs::path hostile_dir() {
    return fs::path(test::source_dir()) / "tests/hostile";
}

std::string unescape(const std::string& line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '\\' || i + 1 >= line.size()) {
            out += line[i];
            continue;
        }
        char c = line[++i];
        if (c == 't') {
            out += '\t';
        } else if (c == 'r') {
            out += '\r';
        } else if (c == 'n') {
            out += '\n';
        } else if (c == 'u' && i + 4 < line.size()) {
            unsigned cp = static_cast<unsigned>(std::stoul(line.substr(i + 1, 4), nullptr, 16));
            i += 4;
            if (cp < 0x80) {
                out += static_cast<char>(cp);
            } else if (cp < 0x800) {
                out += static_cast<char>(0xC0 | (cp >> 6));
                out += static_cast<char>(0x80 | (cp & 0x3F));
            } else {
                out += static_cast<char>(0xE0 | (cp >> 12));
                out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (cp & 0x3F));
            }
        } else {
            out += '\\';
            out += c;
        }
    }
    return out;
}

std::vector<std::string> string_vectors() {
    std::vector<std::string> out;
    std::string text = test::read_file(hostile_dir() / "strings.txt");
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty() || line.front() == '#') continue;
        out.push_back(unescape(line));
    }
    return out;
}

std::vector<std::string> markdown_vectors() {
    std::vector<std::string> out;
    std::string text = test::read_file(hostile_dir() / "markdown.txt");
    std::optional<std::string> current;  // none before the first separator
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line == "%%") {
            if (current) out.push_back(*current);
            current = std::string();
        } else if (current) {
            *current += line + "\n";
        }
    }
    if (current) out.push_back(*current);
    return out;
}

// A TOML basic string holding text exactly.
std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04X", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string contacts(const std::string& v) {
    return "[[contacts]]\nname = " + toml_string(v) + "\nrole = " + toml_string(v) + "\nphone = " + toml_string(v) +
           "\nemail = " + toml_string(v) + "\n";
}

// The hostile content repository: one department, project and report per string vector, each
// text value the vector; one project and report per Markdown vector, with it as their bodies.
Files hostile_site() {
    auto strings = string_vectors();
    auto markdown = markdown_vectors();
    std::string all;
    for (const auto& v : strings) all += v + " ";
    Files files;
    files["gongkai.toml"] = "title = " + toml_string(strings[0] + " " + strings[12]) + "\nlanguage = \"zh-CN\"\n" +
                            "base_url = \"https://example.org/progress/\"\npublisher = " + toml_string(all) +
                            "\ndescription = " + toml_string(all) + "\nprogramme = " + toml_string(all) + "\n" +
                            "[calendar]\nfrequency = \"monthly\"\n";
    for (std::size_t i = 0; i < strings.size(); ++i) {
        const std::string& v = strings[i];
        std::string n = std::to_string(i);
        files["departments/d" + n + ".toml"] =
            "name = " + toml_string(v) + "\nshort_name = " + toml_string(v) + "\ndescription = " + toml_string(v) +
            "\nurl = \"https://example.org/javascript:alert(1)?a=1&b=2#x\"\n" + contacts(v);
        files["projects/p" + n + ".md"] = "+++\ntitle = " + toml_string(v) +
                                          "\nyear = 2020\nnumber = " + toml_string(v) + "\ndepartment = \"d" + n +
                                          "\"\nco_departments = [\"d" + std::to_string((i + 1) % strings.size()) +
                                          "\"]\nofficial = " + toml_string(v) + "\ntarget = " + toml_string(v) +
                                          "\n\n[[goals]]\nid = \"1\"\ntitle = " + toml_string(v) +
                                          "\n\n  [[goals.goals]]\n  id = \"1.1\"\n  title = " + toml_string(v) +
                                          "\n\n[[milestones]]\ndate = 2020-06-30\nexpected = 40\n+++\n" + v + "\n";
        files["reports/p" + n + "/2020-06.md"] =
            "+++\ntitle = " + toml_string(v) +
            "\nperiod_start = 2020-01-01\nperiod_end = 2020-06-30\ndate = 2020-07-05\n" +
            "completion = 40\naddressee = " + toml_string(v) + "\nsigned_by = " + toml_string(v) + "\n" + contacts(v) +
            "\n[goal_completion]\n\"1\" = 40\n\"1.1\" = 40\n+++\n" + v + "\n\n## " + v + "\n\n" + v + "\n";
        files["reports/p" + n + "/2020-10.md"] =
            "+++\ntitle = " + toml_string(v) +
            "\nperiod_start = 2020-01-01\nperiod_end = 2020-10-31\ndate = 2020-10-21\n" +
            "on_schedule = false\n+++\n## " + v + "\n\n" + v + "\n";
    }
    for (std::size_t i = 0; i < markdown.size(); ++i) {
        std::string n = std::to_string(i);
        files["projects/m" + n + ".md"] = "+++\ntitle = \"Markdown " + n + "\"\nyear = 2020\ndepartment = \"d0\"\n" +
                                          "target = " + toml_string(markdown[i]) + "\n+++\n" + markdown[i];
        files["reports/m" + n + "/2020-10.md"] =
            "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-10-31\ndate = 2020-10-21\ncompletion = 80\n+++\n" +
            markdown[i] + "\n## 小节\n\n" + markdown[i];
    }
    return files;
}

// A small benign site: what the theme writes by itself, to tell its own markup from injected.
Files benign_site() {
    Files files = test::basic_site();
    files["reports/2020-001/2020-10.md"] +=
        "\n[链接](https://example.org/) ![图](https://example.org/x.png) *强调* **加粗** ~~删除~~\n\n"
        "> 引用\n\n- 列表\n\n| 甲 | 乙 |\n|:--|--:|\n| 1 | 2 |\n\n- [x] 任务\n";
    return files;
}

// ---------------------------------------------------------------------------------------------
// Reading markup as a browser tokenizes it: tags, attributes (entity-decoded), raw text elements,
// comments and CDATA sections.

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Character references, numeric and the named ones that matter for hiding a scheme.
std::string decode_entities(std::string_view s) {
    static const std::map<std::string, std::string> named = {
        {"amp", "&"},  {"lt", "<"},       {"gt", ">"},  {"quot", "\""}, {"apos", "'"}, {"colon", ":"},
        {"tab", "\t"}, {"newline", "\n"}, {"sol", "/"}, {"lpar", "("},  {"rpar", ")"}, {"nbsp", "\xC2\xA0"}};
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        std::size_t semi = s.find(';', i);
        std::size_t end = semi;
        // Numeric references may lack their ';' in HTML.
        if (i + 1 < s.size() && s[i + 1] == '#') {
            std::size_t j = i + 2;
            bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
            if (hex) ++j;
            std::size_t start = j;
            while (j < s.size() && (std::isxdigit(static_cast<unsigned char>(s[j])) != 0) &&
                   (hex || std::isdigit(static_cast<unsigned char>(s[j])) != 0))
                ++j;
            if (j > start) {
                append_utf8(out, std::stoul(std::string(s.substr(start, j - start)), nullptr, hex ? 16 : 10));
                i = j < s.size() && s[j] == ';' ? j : j - 1;
                continue;
            }
        } else if (semi != std::string_view::npos && semi - i < 12) {
            auto it = named.find(lower(std::string(s.substr(i + 1, semi - i - 1))));
            if (it != named.end()) {
                out += it->second;
                i = end;
                continue;
            }
        }
        out += '&';
    }
    return out;
}

struct Tag {
    std::string name;                                             // lower case; "" for text
    std::vector<std::pair<std::string, std::string>> attributes;  // names lower case, values decoded
    bool closing = false;
};

// Calls on_tag for every start and end tag, and on_text for the text between them (decoded),
// with the name of the raw text element it is in ("style", "script") or "" for ordinary text.
template <typename OnTag, typename OnText>
void tokenize(std::string_view doc, OnTag on_tag, OnText on_text) {
    std::size_t i = 0;
    std::string text;
    auto flush = [&] {
        if (!text.empty()) on_text(decode_entities(text), "");
        text.clear();
    };
    while (i < doc.size()) {
        if (doc[i] != '<') {
            text += doc[i++];
            continue;
        }
        if (doc.substr(i, 4) == "<!--") {
            flush();
            std::size_t end = doc.find("-->", i + 4);
            i = end == std::string_view::npos ? doc.size() : end + 3;
            continue;
        }
        if (doc.substr(i, 9) == "<![CDATA[") {
            std::size_t end = doc.find("]]>", i + 9);
            std::string_view inner = doc.substr(i + 9, (end == std::string_view::npos ? doc.size() : end) - i - 9);
            flush();
            on_text(std::string(inner), "");
            i = end == std::string_view::npos ? doc.size() : end + 3;
            continue;
        }
        if (doc.substr(i, 2) == "<!" || doc.substr(i, 2) == "<?") {
            flush();
            std::size_t end = doc.find('>', i);
            i = end == std::string_view::npos ? doc.size() : end + 1;
            continue;
        }
        std::size_t j = i + 1;
        Tag tag;
        if (j < doc.size() && doc[j] == '/') {
            tag.closing = true;
            ++j;
        }
        std::size_t name_start = j;
        while (j < doc.size() &&
               (std::isalnum(static_cast<unsigned char>(doc[j])) != 0 || doc[j] == ':' || doc[j] == '-'))
            ++j;
        if (j == name_start) {  // "<" that starts no tag is text
            text += doc[i++];
            continue;
        }
        flush();
        tag.name = lower(std::string(doc.substr(name_start, j - name_start)));
        // Attributes, as the HTML tokenizer reads them.
        while (j < doc.size() && doc[j] != '>') {
            if (std::isspace(static_cast<unsigned char>(doc[j])) != 0 || doc[j] == '/') {
                ++j;
                continue;
            }
            std::size_t a = j;
            while (j < doc.size() && std::isspace(static_cast<unsigned char>(doc[j])) == 0 && doc[j] != '=' &&
                   doc[j] != '>' && doc[j] != '/')
                ++j;
            std::string name = lower(std::string(doc.substr(a, j - a)));
            std::string value;
            std::size_t k = j;
            while (k < doc.size() && std::isspace(static_cast<unsigned char>(doc[k])) != 0) ++k;
            if (k < doc.size() && doc[k] == '=') {
                j = k + 1;
                while (j < doc.size() && std::isspace(static_cast<unsigned char>(doc[j])) != 0) ++j;
                if (j < doc.size() && (doc[j] == '"' || doc[j] == '\'')) {
                    char q = doc[j];
                    std::size_t close = doc.find(q, j + 1);
                    if (close == std::string_view::npos) close = doc.size();
                    value = decode_entities(doc.substr(j + 1, close - j - 1));
                    j = close + 1;
                } else {
                    std::size_t v = j;
                    while (j < doc.size() && std::isspace(static_cast<unsigned char>(doc[j])) == 0 && doc[j] != '>')
                        ++j;
                    value = decode_entities(doc.substr(v, j - v));
                }
            }
            if (!name.empty()) tag.attributes.emplace_back(name, value);
        }
        i = j + 1;
        on_tag(tag);
        if (!tag.closing && (tag.name == "script" || tag.name == "style")) {
            std::size_t end = lower(std::string(doc.substr(i))).find("</" + tag.name);
            std::string inner(doc.substr(i, end == std::string::npos ? std::string::npos : end));
            on_text(inner, tag.name);
            i = end == std::string::npos ? doc.size() : i + end;
        }
    }
    flush();
}

// The scheme of a URL as a browser reads it, lower case; "" for a relative one.
std::string scheme_of(std::string url) {
    std::string cleaned;
    for (char c : url)
        if (c != '\t' && c != '\n' && c != '\r') cleaned += c;
    std::size_t start = 0;
    while (start < cleaned.size() && static_cast<unsigned char>(cleaned[start]) <= 0x20) ++start;
    std::string scheme;
    for (std::size_t i = start; i < cleaned.size(); ++i) {
        char c = cleaned[i];
        if (c == ':') return lower(scheme);
        bool ok =
            std::isalpha(static_cast<unsigned char>(c)) != 0 ||
            (!scheme.empty() && (std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.'));
        if (!ok) return "";
        scheme += c;
    }
    return "";
}

bool dangerous_scheme(const std::string& url) {
    std::string s = scheme_of(url);
    return s == "javascript" || s == "vbscript" || s == "data" || s == "livescript" || s == "mocha" || s == "file";
}

// url(...) in CSS whose target is not a fragment or a relative path, and expression().
bool dangerous_css(const std::string& css) {
    std::string l = lower(css);
    if (l.find("expression(") != std::string::npos || l.find("javascript:") != std::string::npos ||
        l.find("vbscript:") != std::string::npos || l.find("@import") != std::string::npos ||
        l.find("behavior:") != std::string::npos)
        return true;
    for (std::size_t at = l.find("url("); at != std::string::npos; at = l.find("url(", at + 4)) {
        std::size_t k = at + 4;
        while (k < l.size() && (l[k] == ' ' || l[k] == '"' || l[k] == '\'')) ++k;
        std::size_t end = l.find(')', k);
        std::string target = l.substr(k, end == std::string::npos ? std::string::npos : end - k);
        if (!target.starts_with("#") && !scheme_of(target).empty()) return true;
    }
    return false;
}

const std::set<std::string> url_attributes = {"href",   "src",      "xlink:href", "action", "formaction", "data",
                                              "poster", "srcset",   "background", "lowsrc", "dynsrc",     "codebase",
                                              "cite",   "longdesc", "usemap",     "ping",   "manifest",   "icon"};
const std::set<std::string> dangerous_elements = {
    "script",     "iframe", "frame", "frameset",  "object",        "embed",    "applet", "base",
    "form",       "meta",   "link",  "style",     "foreignobject", "template", "portal", "noscript",
    "svg:script", "math",   "xmp",   "plaintext", "listing",       "import",   "handler"};

// What a file holds that could run or load something: each a line "tag attribute=value".
std::vector<std::string> findings_in_markup(std::string_view doc, bool feed = false) {
    std::vector<std::string> out;
    std::vector<bool> html_text;  // inside an Atom element of type="html"
    tokenize(
        doc,
        [&](const Tag& tag) {
            std::string where = "<" + tag.name + ">";
            if (tag.closing) {
                if (feed && !html_text.empty()) html_text.pop_back();
                return;
            }
            if (feed) {
                bool html = false;
                for (const auto& [n, v] : tag.attributes)
                    if (n == "type" && (v == "html" || v == "xhtml")) html = true;
                html_text.push_back(html);
            }
            std::string signature = tag.name;
            std::string rel, href;
            for (const auto& [n, v] : tag.attributes) {
                std::string value = v;
                // The theme's links climb to the site's root from every depth alike.
                while (value.starts_with("../")) value.erase(0, 3);
                signature += " " + n + "=" + value;
                if (n == "rel") rel = v;
                if (n == "href") href = v;
                if (n.starts_with("on")) out.push_back(where + " event handler " + n + "=" + v);
                if (url_attributes.contains(n) && dangerous_scheme(v)) out.push_back(where + " " + n + "=" + v);
                if (n == "style" && dangerous_css(v)) out.push_back(where + " style=" + v);
                if (n == "srcdoc") out.push_back(where + " srcdoc=" + v);
            }
            if (tag.name == "meta") {
                // The theme's own: a charset, and named values (description, viewport, generator).
                for (const auto& [n, v] : tag.attributes)
                    if (n != "charset" && n != "name" && n != "content" && n != "property")
                        out.push_back(where + " " + n + "=" + v);
            } else if (tag.name == "link") {
                // Style sheets, icons, feeds and canonical addresses, all on the site itself.
                bool local =
                    scheme_of(href).empty() ? !href.starts_with("//") : href.starts_with("https://example.org/");
                if (!local) out.push_back(where + " rel=" + rel + " href=" + href);
            } else if (tag.name == "style") {
                // Its text is read as CSS below.
            } else if (dangerous_elements.contains(tag.name)) {
                out.push_back("element " + signature);
            }
        },
        [&](const std::string& text, const std::string& element) {
            if (element == "style" && dangerous_css(text)) out.push_back("style sheet " + text.substr(0, 200));
            if (feed && !html_text.empty() && html_text.back())
                for (const auto& f : findings_in_markup(text)) out.push_back("in an html feed text: " + f);
        });
    return out;
}

// A strict JSON reader, enough to say a document is one valid value and to walk its strings.
class JsonReader {
public:
    explicit JsonReader(std::string_view text) : s_(text) {}
    bool valid() {
        skip();
        if (!value(0)) return false;
        skip();
        return i_ == s_.size();
    }

private:
    void skip() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }
    bool string() {
        if (i_ >= s_.size() || s_[i_] != '"') return false;
        for (++i_; i_ < s_.size(); ++i_) {
            auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                ++i_;
                return true;
            }
            if (c < 0x20) return false;
            if (c == '\\') {
                ++i_;
                if (i_ >= s_.size() || std::string_view("\"\\/bfnrtu").find(s_[i_]) == std::string_view::npos)
                    return false;
            }
        }
        return false;
    }
    bool number() {
        std::size_t start = i_;
        while (i_ < s_.size() && std::string_view("+-0123456789.eE").find(s_[i_]) != std::string_view::npos) ++i_;
        return i_ > start;
    }
    bool value(int depth) {
        if (depth > 64 || i_ >= s_.size()) return false;
        char c = s_[i_];
        if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            ++i_;
            skip();
            if (i_ < s_.size() && s_[i_] == close) {
                ++i_;
                return true;
            }
            while (true) {
                skip();
                if (c == '{') {
                    if (!string()) return false;
                    skip();
                    if (i_ >= s_.size() || s_[i_++] != ':') return false;
                    skip();
                }
                if (!value(depth + 1)) return false;
                skip();
                if (i_ < s_.size() && s_[i_] == ',') {
                    ++i_;
                    continue;
                }
                if (i_ < s_.size() && s_[i_] == close) {
                    ++i_;
                    return true;
                }
                return false;
            }
        }
        if (c == '"') return string();
        if (literal("true") || literal("false") || literal("null")) return true;
        return number();
    }
    std::string_view s_;
    std::size_t i_ = 0;
};

// RFC 4180 rows: "..." cells with "" for a quote, CRLF between rows.
std::vector<std::vector<std::string>> csv_rows(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    bool open = false;  // a row has begun and not ended
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        open = true;
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"' && cell.empty()) {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row.push_back(std::move(cell));
            cell.clear();
            rows.push_back(std::move(row));
            row.clear();
            open = false;
            ++i;
        } else {
            cell += c;
        }
    }
    if (open) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

// Every problem in one output file, by the kind of file it is.
std::vector<std::string> findings_in_file(const std::string& path, const std::string& bytes) {
    std::vector<std::string> out;
    auto ext = fs::path(path).extension().string();
    if (ext == ".html" || ext == ".svg") {
        out = findings_in_markup(bytes);
    } else if (ext == ".xml") {
        out = findings_in_markup(bytes, true);
    } else if (ext == ".json") {
        JsonReader reader(bytes);
        if (!reader.valid()) out.push_back("not valid JSON");
        for (char c : {'<', '>'})
            if (bytes.find(c) != std::string::npos)
                out.push_back(std::string("a raw '") + c +
                              "' that would end a <script> block if the JSON were inlined");
        if (bytes.find("\xE2\x80\xA8") != std::string::npos || bytes.find("\xE2\x80\xA9") != std::string::npos)
            out.push_back("a raw U+2028/U+2029");
    } else if (ext == ".csv") {
        auto rows = csv_rows(bytes);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (rows[r].size() != rows[0].size())
                out.push_back("row " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) +
                              " cells, the header " + std::to_string(rows[0].size()));
            for (const auto& cell : rows[r])
                if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos)
                    out.push_back("row " + std::to_string(r + 1) + ": a cell a spreadsheet runs as a formula: " + cell);
        }
    } else if (path == "robots.txt") {
        std::size_t pos = 0;
        while (pos < bytes.size()) {
            std::size_t end = bytes.find('\n', pos);
            std::string line = bytes.substr(pos, end - pos);
            pos = end == std::string::npos ? bytes.size() : end + 1;
            if (!line.empty() && !line.starts_with("User-agent: ") && !line.starts_with("Allow: ") &&
                !line.starts_with("Sitemap: "))
                out.push_back("a robots.txt line gongkai does not write: " + line);
        }
    }
    return out;
}

std::map<std::string, std::string> build(const Files& files, const std::string& themes) {
    GitRepo repo;
    repo.write(files);
    repo.commit("Content");
    TempDir out;
    auto r =
        test::gongkai_cli({"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", themes});
    INFO(r.output.substr(0, 4000));
    REQUIRE(r.status == 0);
    std::map<std::string, std::string> site;
    for (const auto& [path, bytes] : test::read_tree(out / "site")) site.emplace(path, bytes);
    return site;
}

// Everything the theme writes by itself, from a benign site: allowed in the hostile one too.
std::set<std::string> theme_findings(const std::string& themes) {
    std::set<std::string> out;
    for (const auto& [path, bytes] : build(benign_site(), themes))
        for (const auto& f : findings_in_file(path, bytes)) out.insert(f);
    return out;
}

void check_site(const std::string& themes) {
    auto allowed = theme_findings(themes);
    auto site = build(hostile_site(), themes);
    REQUIRE(site.size() > 400);
    std::size_t checked = 0;
    for (const auto& [path, bytes] : site) {
        if (path == ".gongkai-site") continue;
        ++checked;
        for (const auto& f : findings_in_file(path, bytes)) {
            if (allowed.contains(f)) continue;
            FAIL_CHECK(path << ": " << f.substr(0, 300));
        }
    }
    INFO("files read: " << checked);
    CHECK(checked == site.size() - 1);
    // The vectors did reach every kind of file, escaped: else the checks above proved nothing.
    auto somewhere = [&](const std::string& suffix, const std::string& text) {
        for (const auto& [path, bytes] : site)
            if (path.ends_with(suffix) && bytes.find(text) != std::string::npos) return true;
        UNSCOPED_INFO("no " << suffix << " file holds " << text);
        return false;
    };
    CHECK(somewhere(".html", "&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK(somewhere(".html", "&quot; onmouseover=&quot;alert(1)"));
    CHECK(somewhere(".svg", "&lt;/text&gt;&lt;script&gt;"));
    CHECK(somewhere("atom.xml", "&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK(somewhere(".json", "\\u003cscript\\u003ealert(1)"));
    CHECK(somewhere(".csv", "'=cmd|"));
    CHECK(somewhere(".csv", "'@SUM(1+1)"));
    CHECK(somewhere(".csv", "'-2+3"));
    // The Mustache in the content is text on the page, not a tag that was run.
    bool literal = false;
    for (const auto& [path, bytes] : site)
        if (path.ends_with(".html") && bytes.find("{{site.title}}") != std::string::npos &&
            bytes.find("&lt;%site.title%&gt;") != std::string::npos)
            literal = true;
    CHECK(literal);
}

}  // namespace

TEST_CASE("hostile: the vectors are there", "[integration][hostile]") {
    auto strings = string_vectors();
    auto markdown = markdown_vectors();
    CHECK(strings.size() >= 50);
    CHECK(markdown.size() >= 45);
    CHECK(std::find(strings.begin(), strings.end(), "\t=1+1") != strings.end());
    CHECK(markdown.front() == "<script>alert(1)</script>\n");
    CHECK(markdown.back().starts_with("> <script>"));
}

TEST_CASE("hostile: the scanner finds what it looks for", "[integration][hostile]") {
    // Each of these must be found, or the test below proves nothing.
    const std::vector<std::pair<std::string, std::string>> planted = {
        {"a.html", "<p><script>alert(1)</script></p>"},
        {"a.html", "<p><SCRIPT SRC=//x></SCRIPT></p>"},
        {"a.html", "<img src=x onerror=alert(1)>"},
        {"a.html", "<a href=\"&#106;avascript:alert(1)\">x</a>"},
        {"a.html", "<a href=\"java&#x09;script:alert(1)\">x</a>"},
        {"a.html", "<a href='  JAVASCRIPT:alert(1)'>x</a>"},
        {"a.html", "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">"},
        {"a.html", "<div style=\"background:url(javascript:alert(1))\"></div>"},
        {"a.html", "<style>a{background:url(https://evil.example/)}</style>"},
        {"a.html", "<form action=\"javascript:alert(1)\"></form>"},
        {"a.html", "<button formaction=vbscript:x>x</button>"},
        {"a.svg", "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>"},
        {"a.svg", "<svg onload=\"alert(1)\"></svg>"},
        {"atom.xml",
         "<feed><entry><content type=\"html\">&lt;script&gt;alert(1)&lt;/script&gt;</content></entry></feed>"},
        {"atom.xml",
         "<feed><entry><summary type=\"html\"><![CDATA[<img src=x onerror=alert(1)>]]></summary></entry></feed>"},
        {"data/a.json", "{\"a\": \"</script><script>alert(1)</script>\"}"},
        {"data/a.json", "{\"a\": \"x\", }"},
        {"data/a.csv", "\xEF\xBB\xBFid,title\r\n1,=cmd|' /C calc'!A0\r\n"},
        {"data/a.csv", "id,title\r\n1,\"-2+3\"\r\n"},
        {"data/a.csv", "id,title\r\n1,a,b\r\n"},
        {"robots.txt", "User-agent: *\nDisallow: /\n"},
    };
    for (const auto& [path, bytes] : planted) {
        INFO(path << ": " << bytes);
        CHECK_FALSE(findings_in_file(path, bytes).empty());
    }
    // And these are harmless.
    CHECK(findings_in_file("a.html", "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>").empty());
    CHECK(
        findings_in_file("a.html", "<a href=\"https://example.org/javascript:x\" title=\"&quot; onload=&quot;x\">x</a>")
            .empty());
    CHECK(findings_in_file("a.svg", "<svg><rect fill=\"url(#p)\"/></svg>").empty());
    CHECK(findings_in_file("data/a.csv", "id,title\r\n1,'=cmd\r\n2,\"a,\"\"b\"\"\r\nc\"\r\n").empty());
    CHECK(findings_in_file("data/a.json", "{\"a\": [1, -2.5e3, true, null, \"\\u003cscript\\u003e\"]}").empty());
}

TEST_CASE("hostile: no vector reaches a page of the default theme as live markup", "[integration][hostile]") {
    check_site(test::source_themes_dir());
}

TEST_CASE("hostile: no vector reaches a page of the fixture theme as live markup", "[integration][hostile]") {
    check_site(test::fixture_themes_dir());
}
