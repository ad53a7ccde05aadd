#include "data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "html.h"
#include "markdown.h"
#include "cache/serial.h"
#include "parallel.h"
#include "scan.h"

namespace gongkai {

namespace {

void append_escape(std::string& out, unsigned code) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", code);
    out += buf;
}

// The first byte of s at or after from that append_json_string looks at: one it may escape. 0xe2
// begins U+2028 and U+2029, and much punctuation that is copied as it is.
std::size_t next_json_special(std::string_view s, std::size_t from) {
    return find_special<'"', '\\', '<', '>', '&', '\x7f', '\xe2'>(s, from);
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t from = 0;  // the start of the run of bytes copied as they are
    for (std::size_t i = next_json_special(s, 0); i < s.size(); i = next_json_special(s, i)) {
        const auto c = static_cast<unsigned char>(s[i]);
        const bool separator = c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                               (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
                                static_cast<unsigned char>(s[i + 2]) == 0xa9);
        if (c == 0xe2 && !separator) {
            ++i;
            continue;
        }
        out.append(s.data() + from, i - from);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case 0xe2:
            append_escape(out, static_cast<unsigned char>(s[i + 2]) == 0xa8 ? 0x2028 : 0x2029);
            i += 2;
            break;
        default: append_escape(out, c); break;  // < > & and the other control characters
        }
        from = ++i;
    }
    out.append(s.data() + from, s.size() - from);
    out += '"';
}

namespace {

// A JSON value whose object keys keep the order they were added in, so files read as documented.
class Json {
public:
    Json() = default;
    static Json boolean(bool b) { return Json(Kind::literal, b ? "true" : "false"); }
    static Json number(double v) { return std::isfinite(v) ? Json(Kind::literal, format_number(v)) : Json(); }
    static Json integer(std::int64_t v) { return Json(Kind::literal, std::to_string(v)); }
    static Json string(std::string s) { return Json(Kind::string, std::move(s)); }
    static Json array() { return Json(Kind::array, ""); }
    static Json object() { return Json(Kind::object, ""); }
    // A value written before, at the depth it is placed at.
    static Json raw(std::string text) { return Json(Kind::literal, std::move(text)); }
    static Json number_or_null(std::optional<double> v) { return v ? number(*v) : Json(); }
    static Json boolean_or_null(std::optional<bool> v) { return v ? boolean(*v) : Json(); }

    // Chained on a temporary (Json::object().set(...)), they hand the value on, not a copy.
    Json& set(std::string key, Json value) & {
        members_.emplace_back(std::move(key), std::move(value));
        return *this;
    }
    Json&& set(std::string key, Json value) && { return std::move(set(std::move(key), std::move(value))); }
    Json& push(Json value) & {
        items_.push_back(std::move(value));
        return *this;
    }
    Json&& push(Json value) && { return std::move(push(std::move(value))); }

    // Two-space indented, as Python's json.dumps(indent=2) writes it.
    void write(std::string& out, int depth) const;

private:
    enum class Kind { null, literal, string, array, object };
    Json(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}

    Kind kind_ = Kind::null;
    std::string text_;
    std::vector<Json> items_;
    std::vector<std::pair<std::string, Json>> members_;
};

void indent(std::string& out, int depth) { out.append(static_cast<std::size_t>(depth) * 2, ' '); }

void Json::write(std::string& out, int depth) const {
    switch (kind_) {
    case Kind::null: out += "null"; break;
    case Kind::literal: out += text_; break;
    case Kind::string: append_json_string(out, text_); break;
    case Kind::array:
        if (items_.empty()) {
            out += "[]";
            break;
        }
        out += "[\n";
        for (std::size_t i = 0; i < items_.size(); ++i) {
            indent(out, depth + 1);
            items_[i].write(out, depth + 1);
            out += i + 1 < items_.size() ? ",\n" : "\n";
        }
        indent(out, depth);
        out += ']';
        break;
    case Kind::object:
        if (members_.empty()) {
            out += "{}";
            break;
        }
        out += "{\n";
        for (std::size_t i = 0; i < members_.size(); ++i) {
            indent(out, depth + 1);
            append_json_string(out, members_[i].first);
            out += ": ";
            members_[i].second.write(out, depth + 1);
            out += i + 1 < members_.size() ? ",\n" : "\n";
        }
        indent(out, depth);
        out += '}';
        break;
    }
}

std::string dump(const Json& json) {
    std::string out;
    json.write(out, 0);
    out += '\n';
    return out;
}

Json string_or_null(const std::string* s) { return s ? Json::string(*s) : Json(); }

// Writes what Json::write writes, straight into out, without a tree of values first: for
// data/reports.json's entries, made once per report (a tree, made and then written, took 15 µs
// of CPU an entry). A value follows key() in an object and item() in an array; object() and
// array() open one, end() closes the innermost.
class JsonWriter {
public:
    // depth: the indentation of the value written first.
    JsonWriter(std::string& out, int depth) : out_(out), depth_(depth) {}

    JsonWriter& object() { return open('{', '}'); }
    JsonWriter& array() { return open('[', ']'); }
    JsonWriter& end() {
        const Level level = levels_.back();
        levels_.pop_back();
        if (!level.empty) {
            out_ += '\n';
            indent(out_, depth_ + static_cast<int>(levels_.size()));
        }
        out_ += level.close;
        return *this;
    }
    JsonWriter& key(std::string_view name) {
        item();
        // Most names are gongkai's own, which need no escaping: copied as they are, with the quotes
        // (a report's entry has some thirty, and each was six appends).
        if (next_json_special(name, 0) == name.size()) {
            out_ += '"';
            out_ += name;
            out_.append("\": ", 3);
        } else {
            append_json_string(out_, name);
            out_ += ": ";
        }
        return *this;
    }
    JsonWriter& item() {
        Level& level = levels_.back();
        // The comma, the line break and the indentation in one append, from a line of spaces.
        static constexpr std::string_view line_start =
            ",\n                                                                ";
        const std::size_t spaces = static_cast<std::size_t>(depth_ + static_cast<int>(levels_.size())) * 2;
        const std::size_t from = level.empty ? 1 : 0;
        if (2 + spaces <= line_start.size()) {
            out_.append(line_start.data() + from, 2 - from + spaces);
        } else {
            out_.append(line_start.data() + from, 2 - from);
            indent(out_, depth_ + static_cast<int>(levels_.size()));
        }
        level.empty = false;
        return *this;
    }
    JsonWriter& string(std::string_view text) {
        append_json_string(out_, text);
        return *this;
    }
    JsonWriter& literal(std::string_view text) {
        out_ += text;
        return *this;
    }
    JsonWriter& null() { return literal("null"); }
    JsonWriter& boolean(bool b) { return literal(b ? "true" : "false"); }
    JsonWriter& number(double v) { return std::isfinite(v) ? literal(format_number(v)) : null(); }
    JsonWriter& number_or_null(std::optional<double> v) { return v ? number(*v) : null(); }
    JsonWriter& boolean_or_null(std::optional<bool> v) { return v ? boolean(*v) : null(); }

private:
    struct Level {
        char close;
        bool empty;
    };
    JsonWriter& open(char opening, char close) {
        out_ += opening;
        levels_.push_back({close, true});
        return *this;
    }

    std::string& out_;
    int depth_;
    std::vector<Level> levels_;
};

// A cell as RFC 4180 writes it, added to out. A leading = + - @ tab or CR would make a spreadsheet
// run the cell as a formula, so it is defused with a quote (OWASP's advice on CSV injection).
void add_csv_cell(std::string& out, std::string_view value) {
    const bool defused = !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
    // Not find_first_of, which calls memchr over the four for each byte of the cell.
    const bool quoted = std::any_of(value.begin(), value.end(),
                                    [](char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; });
    if (!quoted) {
        if (defused) out += '\'';
        out += value;
        return;
    }
    out += '"';
    if (defused) out += '\'';
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

// A row of cells, each added as it is: a data file has a row per report, and a row made as a list
// of strings first took a twentieth of an incremental build.
void csv_row(std::string& out, std::initializer_list<std::string_view> cells) {
    bool first = true;
    for (std::string_view cell : cells) {
        if (!first) out += ',';
        first = false;
        add_csv_cell(out, cell);
    }
    out += "\r\n";
}

// Excel reads a CSV file as the system's legacy code page unless it starts with a byte-order mark.
constexpr const char* utf8_bom = "\xEF\xBB\xBF";

std::string csv_number(std::optional<double> v) { return v ? format_number(*v) : ""; }
std::string_view csv_bool(std::optional<bool> v) { return v ? (*v ? "true" : "false") : ""; }

// Schema building blocks. Every key gongkai writes is always present (null when unknown), so an
// object's properties are all required.
using Properties = std::vector<std::pair<std::string, Json>>;

Json type_of(const char* type, bool nullable) {
    Json s = Json::object();
    if (nullable)
        s.set("type", Json::array().push(Json::string(type)).push(Json::string("null")));
    else
        s.set("type", Json::string(type));
    return s;
}

Json text(const char* description, bool nullable = false) {
    return type_of("string", nullable).set("description", Json::string(description));
}
Json formatted(const char* format, const char* description, bool nullable = false) {
    return type_of("string", nullable)
        .set("format", Json::string(format))
        .set("description", Json::string(description));
}
Json date(const char* description, bool nullable = false) { return formatted("date", description, nullable); }
Json date_time(const char* description, bool nullable = false) { return formatted("date-time", description, nullable); }
Json url(const char* description) { return formatted("uri-reference", description); }
Json flag(const char* description, bool nullable = false) {
    return type_of("boolean", nullable).set("description", Json::string(description));
}
Json percent(const char* description, bool nullable = false) {
    return type_of("number", nullable)
        .set("minimum", Json::integer(0))
        .set("maximum", Json::integer(100))
        .set("description", Json::string(description));
}
Json count(const char* description) {
    return type_of("integer", false).set("minimum", Json::integer(0)).set("description", Json::string(description));
}
Json ref(const char* def) { return Json::object().set("$ref", Json::string(std::string("#/$defs/") + def)); }
Json array_of(Json items, const char* description) {
    return type_of("array", false).set("items", std::move(items)).set("description", Json::string(description));
}
// Adds the keywords of an object with exactly these properties, all of them required.
Json with_properties(Json schema, Properties properties) {
    Json props = Json::object();
    Json required = Json::array();
    for (auto& [name, property] : properties) {
        required.push(Json::string(name));
        props.set(name, std::move(property));
    }
    return std::move(schema)
        .set("properties", std::move(props))
        .set("required", std::move(required))
        .set("additionalProperties", Json::boolean(false));
}
Json record(Properties properties) { return with_properties(type_of("object", false), std::move(properties)); }
Json described(Json schema, const char* description) {
    return std::move(schema).set("description", Json::string(description));
}

// The list of a list document, written entry by entry after its head: each entry on its own
// lines at a list item's depth, followed by a comma but for the last. Entries are given as text,
// or copied from where an earlier file of the same shape holds them in a row.
class ListSink {
public:
    ListSink(ByteSink& sink, std::string_view head, std::size_t n) : sink_(sink), n_(n) {
        sink_(head);
        sink_(n == 0 ? "[]" : "[\n");
        digest_.add(head).add(static_cast<std::uint64_t>(n));
    }

    // Adds the next entry, whose checksum is sum; returns where in the file it starts.
    std::uint64_t put(std::string_view entry, const Hash128& sum) {
        sink_(indent);
        const std::uint64_t at = sink_.size();
        sink_(entry);
        end_entries({&sum, 1});
        return at;
    }

    // Adds the next entries, with these checksums, as file holds them in a row from offset:
    // size bytes, each entry followed by the separator this list writes between two. Returns
    // where in the file the first starts, or nothing when file holds fewer bytes (what was
    // copied stays, to be dropped with back_to).
    std::optional<std::uint64_t> copy(int file, std::uint64_t offset, std::uint64_t size,
                                      std::span<const Hash128> sums) {
        sink_(indent);
        const std::uint64_t at = sink_.size();
        if (!sink_.copy(file, offset, size)) return std::nullopt;
        end_entries(sums);
        return at;
    }

    // Where the list stands: back_to forgets what was added since.
    struct Mark {
        std::uint64_t bytes;
        std::size_t entries;
    };
    Mark mark() const { return {sink_.size(), sums_.size()}; }
    void back_to(const Mark& m) {
        sink_.cut_back(m.bytes);
        sums_.resize(m.entries);
    }

    // Ends the list and the document with tail; returns the file's checksum.
    Hash128 finish(std::string_view tail) {
        if (n_ > 0) sink_("  ]");
        sink_(tail);
        for (const auto& sum : sums_) digest_.add(sum);
        return digest_.add(tail).digest();
    }

    // What separates two entries in the file.
    static constexpr std::string_view separator = ",\n    ";

private:
    static constexpr std::string_view indent = "    ";  // a list item's depth: 2
    void end_entries(std::span<const Hash128> sums) {
        sums_.insert(sums_.end(), sums.begin(), sums.end());
        sink_(sums_.size() < n_ ? ",\n" : "\n");
    }

    ByteSink& sink_;
    std::size_t n_;
    std::vector<Hash128> sums_;  // of the entries so far
    Hasher digest_;
};

class OpenData {
public:
    OpenData(const Library& lib, const Analysis& analysis, const std::string& base_url, unsigned workers)
        : lib_(lib), analysis_(analysis), base_url_(base_url), workers_(workers) {}

    // Each file of open_data_paths() on its own, side by side; data/reports.json, much the largest,
    // first.
    void add(SiteFiles& files) const {
        parallel_for(open_data_paths().size(), workers_, [&](std::size_t file, unsigned) { add_file(files, file); });
    }

    void add_file(SiteFiles& files, std::size_t file) const {
        const std::string& path = open_data_paths().at(file);
        switch (file) {
        case 0: add_reports_file(files, path); break;
        case 1: files.add(path, reports_csv()); break;
        case 2: add_projects_file(files, path); break;
        case 3: files.add(path, projects_csv()); break;
        case 4: files.add(path, dump(projects_schema())); break;
        default: files.add(path, dump(reports_schema())); break;
        }
    }

private:
    std::string schema_url(const char* name) const { return base_url_ + "data/" + name + ".schema.json"; }
    std::string project_url(const Project& p) const { return base_url_ + "projects/" + p.id + "/"; }
    std::string report_url(const Report& r) const {
        return base_url_ + "projects/" + r.project + "/reports/" + r.id + "/";
    }

    const ProjectSchedule& schedule_of(const Project& p) const {
        static const ProjectSchedule none;
        auto it = analysis_.schedules.find(p.id);
        return it == analysis_.schedules.end() ? none : it->second;
    }

    const FileHistory* history_of(const Report& r) const {
        const FileHistory* h = analysis_.history_of(lib_, r);
        return h && h->published ? h : nullptr;
    }

    Json header(const char* schema) const {
        Json j = Json::object();
        j.set("$schema", Json::string(schema_url(schema)));
        j.set("generator", Json::string(std::string("gongkai ") + GONGKAI_VERSION));
        Json site = Json::object();
        site.set("title", Json::string(lib_.config.title));
        site.set("publisher", Json::string(lib_.config.publisher));
        site.set("programme", Json::string(lib_.config.programme));
        site.set("language", Json::string(lib_.config.language));
        site.set("base_url", Json::string(base_url_));
        j.set("site", std::move(site));
        j.set("as_of", Json::string(analysis_.today.iso()));
        return j;
    }

    Json goals_json(const std::vector<Goal>& goals) const {
        Json out = Json::array();
        for (const auto& g : goals)
            out.push(Json::object()
                         .set("id", Json::string(g.id))
                         .set("title", Json::string(g.title))
                         .set("goals", goals_json(g.goals)));
        return out;
    }

    Json project_json(const Project& p) const {
        auto reports = lib_.reports_of(p.id);
        const Report* latest = reports.empty() ? nullptr : reports.back();
        const ProjectSchedule& s = schedule_of(p);
        Json j = Json::object();
        j.set("id", Json::string(p.id));
        j.set("url", Json::string(project_url(p)));
        j.set("number", Json::string(p.number));
        j.set("title", Json::string(p.title));
        j.set("year", Json::integer(p.year));
        j.set("department", Json::string(p.department));
        Json co = Json::array();
        for (const auto& id : p.co_departments) co.push(Json::string(id));
        j.set("co_departments", std::move(co));
        j.set("official", Json::string(p.official));
        j.set("target", Json::string(p.target));
        j.set("body_markdown", Json::string(p.body));
        j.set("start", Json::string(p.start.iso()));
        j.set("end", Json::string(p.end.iso()));
        j.set("goals", goals_json(p.goals));
        Json milestones = Json::array();
        for (const auto& m : p.milestones)
            milestones.push(
                Json::object().set("date", Json::string(m.date.iso())).set("expected", Json::number(m.expected)));
        j.set("milestones", std::move(milestones));
        j.set("latest_report", string_or_null(latest ? &latest->id : nullptr));
        j.set("completion", Json::number_or_null(latest ? latest->completion : std::nullopt));
        j.set("on_schedule", Json::boolean_or_null(latest ? latest->on_schedule : std::nullopt));
        j.set("expected_progress", Json::number_or_null(s.expected));
        j.set("expected_at", s.expected ? Json::string(s.expected_at.iso()) : Json());
        j.set("behind_schedule", Json::boolean(s.behind));
        j.set("late_report", Json::boolean(s.late()));
        Json missing = Json::array();
        for (const auto& m : s.missing)
            missing.push(Json::object()
                             .set("start", Json::string(m.start.iso()))
                             .set("end", Json::string(m.end.iso()))
                             .set("due", Json::string(m.due.iso())));
        j.set("missing_periods", std::move(missing));
        j.set("report_count", Json::integer(static_cast<std::int64_t>(reports.size())));
        const Revision* last = last_revision(lib_, analysis_, p);
        j.set("last_updated", last ? Json::string(rfc3339(last->time, last->offset)) : Json());
        j.set("sample_data", Json::boolean(is_sample_data(lib_, p)));
        return j;
    }

    // Writes a report's entry of data/reports.json into out, at a list item's depth (2).
    // markdown: the report's Markdown (Analysis::markdown_of).
    void write_report_json(std::string& out, const Report& r, std::string_view markdown) const {
        JsonWriter j(out, 2);
        j.object();
        j.key("id").string(r.id);
        j.key("project").string(r.project);
        j.key("url").string(report_url(r));
        j.key("title").string(r.title);
        j.key("period_start").string(r.period_start.iso());
        j.key("period_end").string(r.period_end.iso());
        j.key("date").string(r.date.iso());
        j.key("completion").number_or_null(r.completion);
        j.key("on_schedule").boolean_or_null(r.on_schedule);
        j.key("addressee").string(r.addressee);
        j.key("signed_by").string(r.signed_by);
        j.key("leader_signature").boolean(r.leader_signature);
        j.key("contacts").array();
        for (const auto& c : r.contacts) {
            j.item().object();
            j.key("name").string(c.name);
            j.key("role").string(c.role);
            j.key("phone").string(c.phone);
            j.key("email").string(c.email);
            j.end();
        }
        j.end();
        j.key("goal_completion").object();
        for (const auto& gc : r.goal_completion) j.key(gc.goal_id).number(gc.completion);
        j.end();
        j.key("body_markdown").string(markdown);
        j.key("sections").array();
        for (const auto& s : analysis_.sections_of(lib_, r)) {
            j.item().object();
            j.key("id").string(s.id);
            j.key("title").string(s.title);
            j.end();
        }
        j.end();
        auto revision = [&](const Revision& rev) {
            j.key("commit").string(rev.commit);
            j.key("time").string(rfc3339(rev.time, rev.offset));
        };
        const FileHistory* h = history_of(r);
        j.key("first_published");
        if (h) {
            j.object();
            revision(*h->published);
            j.end();
        } else {
            j.null();
        }
        j.key("amendments").array();
        if (h)
            for (const auto& a : h->amendments) {
                j.item().object();
                revision(a);
                j.key("summary").string(a.summary);
                j.key("changes").array();
                for (const auto& c : a.changes) {
                    j.item().object();
                    j.key("key").string(c.key);
                    j.key("before").string(c.before);
                    j.key("after").string(c.after);
                    j.end();
                }
                j.end();
                j.key("body_changed").boolean(a.body_changed);
                j.end();
            }
        j.end();
        // A shallow clone hides when anything was published: say so rather than give no date.
        j.key("history_truncated").boolean((analysis_.has_history && analysis_.history.shallow) || (h && h->truncated));
        j.key("sample_data").boolean(is_sample_data(lib_, r));
        j.end();
    }

    // A list document (data/reports.json, data/projects.json) as dump() writes header(name) with
    // the list under name, made and written piece by piece: make gives the list its n entries in
    // order, each written at a list item's depth (2), so the whole is never held in memory. The
    // file's checksum is made of the header and the entries' checksums.
    void add_list_file(SiteFiles& files, const std::string& path, const char* name, std::size_t n,
                       const std::function<void(ListSink&)>& make) const {
        // The header, with a mark where the list goes: a raw byte 1, which no JSON string holds.
        const std::string frame = dump(header(name).set(name, Json::raw("\x01")));
        const std::size_t mark = frame.find('\x01');
        files.add_streamed(path, [&](ByteSink& sink) {
            ListSink list(sink, std::string_view(frame).substr(0, mark), n);
            make(list);
            return list.finish(std::string_view(frame).substr(mark + 1));
        });
    }

    // data/projects.json, one project at a time.
    void add_projects_file(SiteFiles& files, const std::string& path) const {
        add_list_file(files, path, "projects", lib_.projects.size(), [&](ListSink& list) {
            std::string entry;
            for (const auto& p : lib_.projects) {
                entry.clear();
                project_json(p).write(entry, 2);
                list.put(entry, hash_bytes(entry));
            }
        });
    }

    // Each report is written on its own, on all cores, at the depth it has in the file.
    // What a report's entry is made from: the report's file (by blob id, else its parsed form),
    // its record from git, whether it is sample data, and the site's address.
    Hash128 report_key(const Report& r) const {
        Hasher h;
        h.add("reports.json entry 1").add(base_url_).add(r.path);
        if (auto it = lib_.file_ids.find(r.path); it != lib_.file_ids.end()) {
            h.add(it->second);
        } else {
            BinaryWriter w;
            write(w, r);
            h.add(w.bytes());
        }
        h.add(analysis_.has_history && analysis_.history.shallow).add(is_sample_data(lib_, r));
        const FileHistory* fh = history_of(r);
        h.add(fh != nullptr);
        if (fh) {
            auto revision = [&](const Revision& rev) {
                h.add(rev.commit).add(rev.time).add(rev.offset).add(rev.summary).add(rev.body_changed);
                h.add(rev.changes.size());
                for (const auto& c : rev.changes) h.add(c.key).add(c.before).add(c.after);
            };
            h.add(fh->truncated).add(fh->amendments.size());
            revision(*fh->published);
            for (const auto& a : fh->amendments) revision(a);
        }
        return h.digest();
    }

    // data/reports.json, written as dump() writes the whole document but made and written a few
    // hundred entries at a time: each report's entry is made on its own, on all cores, at the
    // depth it has in the file, and the whole is never made in memory at once. With a cache, the
    // entries of unchanged reports are copied from the published file, where the last build wrote
    // them, without being read; where each entry went, with its checksum, is noted for the next
    // build.
    void add_reports_file(SiteFiles& files, const std::string& path) const {
        const std::size_t n = lib_.reports.size();
        ReportJsonCache* cache = analysis_.report_json;
        if (cache) cache->made.assign(n, {});
        add_list_file(files, path, "reports", n, [&](ListSink& list) {
            const PublishedFile* published = cache ? cache->published : nullptr;
            if (published && !published->is_open()) published = nullptr;
            const ListSink::Mark start = list.mark();
            std::size_t copied = 0;
            if (!add_report_entries(list, published, copied)) {
                // The published file was changed or cut short while entries were copied from it:
                // they are all made anew.
                list.back_to(start);
                copied = 0;
                add_report_entries(list, nullptr, copied);
            }
            if (cache) cache->kept = copied;
        });
    }

    // Adds every report's entry to list, a batch at a time; with published, those of unchanged
    // reports are copied from it, as many at once as it holds in a row. False when published held
    // fewer bytes than it should, or is no longer as written: what was copied is not to be
    // trusted.
    bool add_report_entries(ListSink& list, const PublishedFile* published, std::size_t& copied) const {
        const std::size_t n = lib_.reports.size();
        ReportJsonCache* cache = analysis_.report_json;
        auto within = [published](const ReportJson& e) {
            const std::uint64_t size = published->size();
            return e.size > 0 && e.offset <= size && e.size <= size - e.offset;
        };
        // Whether the published file holds each entry as it would be made, for every report at
        // once: after a commit that changes one report almost every entry is copied, and a batch
        // with none to make starts no thread (forty batches that each started one, beside the
        // sitemap on two cores, waited for the scheduler more than they worked).
        std::vector<char> copy(n, 0);
        if (cache)
            parallel_for(n, workers_, [&](std::size_t i, unsigned) {
                const Hash128 key = report_key(lib_.reports[i]);
                cache->made[i].key = key;
                copy[i] = published && i < cache->previous.size() && cache->previous[i].key == key &&
                          within(cache->previous[i]);
            });
        // Each batch is written while the next is made, by the first thread free, which then makes
        // entries too: written between two batches, on one thread, the file left the other cores
        // waiting (at 50,000 reports, some 90 ms of the 300 ms it took). A batch of 256 entries
        // holds some 2.3 MB while it is written, and two are held at once; a small site's batches
        // are smaller (a thirty-second of its reports, at least 32), so that they do not set its
        // peak of memory (at 1,000 reports, a fifth of the heap): below 4,096 reports, two hold
        // what one batch of a sixteenth of the reports did. Each batch starts its threads once.
        const std::size_t batch = std::clamp<std::size_t>(n / 32, 32, 256);
        Batch made, next;
        bool whole = true;  // whether write_batch wrote the batch made
        auto prepare = [&](Batch& b, std::size_t first) {
            b.first = first;
            b.count = std::min(batch, n - first);
            b.parts.assign(b.count, {});
            b.sums.assign(b.count, {});
            b.to_make.clear();
            for (std::size_t k = 0; k < b.count; ++k)
                if (!copy[first + k]) b.to_make.push_back(k);
        };
        if (n > 0) {
            prepare(made, 0);
            parallel_for(made.to_make.size(), workers_, [&](std::size_t m, unsigned) { make_entry(made, m); });
        }
        for (std::size_t first = 0; first < n; first += batch) {
            const bool last = first + batch >= n;
            if (!last) prepare(next, first + batch);
            // Task 0 writes the batch made; the others make the next one's entries.
            parallel_for(1 + (last ? 0 : next.to_make.size()), workers_, [&](std::size_t t, unsigned) {
                if (t == 0) whole = write_batch(list, made, copy, published, copied);
                else make_entry(next, t - 1);
            });
            if (!whole) return false;
            std::swap(made, next);
        }
        return copied == 0 || published->unchanged();
    }

    // A batch of data/reports.json's entries: those of the reports from first on, count of
    // them. The entries of the reports at to_make (within the batch) are made into parts; the
    // others are copied from the published file.
    struct Batch {
        std::size_t first = 0;
        std::size_t count = 0;
        std::vector<std::string> parts;
        std::vector<Hash128> sums;
        std::vector<std::size_t> to_make;
    };

    // Makes the entry of the m-th report of b's to_make.
    void make_entry(Batch& b, std::size_t m) const {
        const std::size_t k = b.to_make[m];
        const Report& r = lib_.reports[b.first + k];
        std::string markdown = analysis_.markdown_of(lib_, r);
        b.parts[k].reserve(markdown.size() + markdown.size() / 4 + 2048);
        write_report_json(b.parts[k], r, markdown);
        analysis_.forget_markdown(lib_, r);  // read again from git for this entry only
        b.sums[k] = hash_bytes(b.parts[k]);
    }

    // Adds b's entries to list, in order: those made, and the others copied from published
    // (see add_report_entries), counted in copied. False when published held fewer bytes than
    // it should.
    bool write_batch(ListSink& list, Batch& b, const std::vector<char>& copy, const PublishedFile* published,
                     std::size_t& copied) const {
        ReportJsonCache* cache = analysis_.report_json;
        const std::size_t first = b.first, count = b.count;
        auto& parts = b.parts;
        auto& sums = b.sums;
        for (std::size_t k = 0; k < count;) {
            if (!copy[first + k]) {
                const std::uint64_t at = list.put(parts[k], sums[k]);
                if (cache) note_entry(cache->made[first + k], at, parts[k].size(), sums[k]);
                std::string().swap(parts[k]);  // written: not held while the next batch is made
                ++k;
                continue;
            }
            // The entries from k to end lie in a row in the published file.
            std::size_t end = k + 1;
            while (end < count && copy[first + end]) {
                const ReportJson& before = cache->previous[first + end - 1];
                if (cache->previous[first + end].offset != before.offset + before.size + ListSink::separator.size())
                    break;
                ++end;
            }
            const ReportJson& head = cache->previous[first + k];
            const ReportJson& last = cache->previous[first + end - 1];
            for (std::size_t j = k; j < end; ++j) sums[j] = cache->previous[first + j].sum;
            const auto at = list.copy(published->fd(), head.offset, last.offset + last.size - head.offset,
                                      std::span<const Hash128>(sums).subspan(k, end - k));
            if (!at) return false;
            for (std::size_t j = k; j < end; ++j) {
                const ReportJson& was = cache->previous[first + j];
                note_entry(cache->made[first + j], *at + (was.offset - head.offset), was.size, was.sum);
            }
            copied += end - k;
            k = end;
        }
        return true;
    }

    static void note_entry(ReportJson& entry, std::uint64_t offset, std::uint64_t size, const Hash128& sum) {
        entry.offset = offset;
        entry.size = size;
        entry.sum = sum;
    }

    std::string projects_csv() const {
        std::string out = utf8_bom;
        csv_row(out, {"id", "number", "title", "year", "department", "department_name", "completion",
                      "expected_progress", "behind_schedule", "late_report", "latest_report", "latest_report_date",
                      "report_count", "url", "sample_data"});
        for (const auto& p : lib_.projects) {
            auto reports = lib_.reports_of(p.id);
            const Report* latest = reports.empty() ? nullptr : reports.back();
            const ProjectSchedule& s = schedule_of(p);
            const Department* d = lib_.department(p.department);
            csv_row(out, {p.id, p.number, p.title, std::to_string(p.year), p.department, d ? d->name : "",
                          csv_number(latest ? latest->completion : std::nullopt), csv_number(s.expected),
                          csv_bool(s.behind), csv_bool(s.late()), latest ? latest->id : "",
                          latest ? latest->date.iso() : "", std::to_string(reports.size()), project_url(p),
                          csv_bool(is_sample_data(lib_, p))});
        }
        return out;
    }

    std::string reports_csv() const {
        std::string out = utf8_bom;
        csv_row(out, {"project", "id", "title", "period_start", "period_end", "date", "completion", "on_schedule",
                      "contacts", "phones", "first_published", "amendments", "url", "sample_data"});
        out.reserve(out.size() + lib_.reports.size() * 256);
        std::string names, phones;
        for (const auto& r : lib_.reports) {
            names.clear();
            phones.clear();
            for (std::size_t k = 0; k < r.contacts.size(); ++k) {
                const Contact& c = r.contacts[k];
                if (k > 0) names += "; ";
                names += c.name;
                if (c.phone.empty()) continue;
                if (!phones.empty()) phones += "; ";
                phones += c.phone;
            }
            const FileHistory* h = history_of(r);
            csv_row(out, {r.project, r.id, r.title, r.period_start.iso(), r.period_end.iso(), r.date.iso(),
                          csv_number(r.completion), csv_bool(r.on_schedule), names, phones,
                          h ? rfc3339(h->published->time, h->published->offset) : "",
                          std::to_string(h ? h->amendments.size() : 0), report_url(r),
                          csv_bool(is_sample_data(lib_, r))});
        }
        return out;
    }

    // A schema document: the identifying keywords, then the root object that both files share.
    Json schema(const char* name, const char* title, const char* list, Json item, Json defs) const {
        Json s = Json::object();
        s.set("$schema", Json::string("https://json-schema.org/draft/2020-12/schema"));
        s.set("$id", Json::string(schema_url(name)));
        s.set("title", Json::string(title));
        s.set("type", Json::string("object"));
        s = with_properties(
            std::move(s),
            {
                {"$schema", url("the address of this file's JSON Schema")},
                {"generator", text("the program and version that wrote this file")},
                {"site", described(record({
                                       {"title", text("the site's name")},
                                       {"publisher", text("the reporting body that assigns the key work items")},
                                       {"programme", text("the programme the items belong to; may be empty")},
                                       {"language", text("the site's language, such as zh-CN or en")},
                                       {"base_url", url("where the site is served; every url below starts with it")},
                                   }),
                                   "the site this data comes from")},
                {"as_of", date("the date of the commit the site was built from: 'now' for every judgement")},
                {list, array_of(std::move(item), title)},
            });
        s.set("$defs", std::move(defs));
        return s;
    }

    Json projects_schema() const {
        Json defs = Json::object();
        defs.set("goal", described(record({
                                       {"id", text("the goal's id within its project, such as 1 or 1.2")},
                                       {"title", text("the goal's title")},
                                       {"goals", array_of(ref("goal"), "the goal's finer parts")},
                                   }),
                                   "a sub-goal of a project"));
        Json project = described(
            record({
                {"id", text("the project's permanent id")},
                {"url", url("the project's page")},
                {"number", text("the item's number in the publisher's list, as printed; may be empty")},
                {"title", text("the item's title")},
                {"year", type_of("integer", false)
                             .set("minimum", Json::integer(1900))
                             .set("maximum", Json::integer(2999))
                             .set("description", Json::string("the year the item belongs to"))},
                {"department", text("id of the lead department")},
                {"co_departments", array_of(type_of("string", false), "ids of the co-responsible departments")},
                {"official", text("the responsible official; may be empty")},
                {"target", text("the yearly target, Markdown; may be empty")},
                {"body_markdown", text("the implementation statement, Markdown")},
                {"start", date("when the item starts")},
                {"end", date("when the item is due")},
                {"goals", array_of(ref("goal"), "the item's sub-goals, in order")},
                {"milestones", array_of(record({
                                            {"date", date("the milestone's date")},
                                            {"expected", percent("progress planned by that date, in percent")},
                                        }),
                                        "the item's own schedule, by date; empty for even progress")},
                {"latest_report", text("id of the newest report, or null before the first", true)},
                {"completion", percent("the completion rate of the newest report, in percent", true)},
                {"on_schedule", flag("the newest report's own judgement: is the item on schedule?", true)},
                {"expected_progress",
                 percent("progress expected at expected_at: the milestones, or time-proportional", true)},
                {"expected_at", date("the newest report's period end, or as_of if earlier", true)},
                {"behind_schedule", flag("completion falls short of expected progress, or judged behind")},
                {"late_report", flag("a reporting period is past its due date without a report")},
                {"missing_periods", array_of(record({
                                                 {"start", date("first day of the period")},
                                                 {"end", date("last day of the period")},
                                                 {"due", date("when its report was due")},
                                             }),
                                             "periods past due without a report, oldest first")},
                {"report_count", count("how many reports the project has")},
                {"last_updated",
                 date_time("the newest commit that changed the project or one of its reports", true)},
                {"sample_data", flag("true: fictional sample data, not the real progress of any body")},
            }),
            "a key work project");
        return schema("projects", "Projects", "projects", std::move(project), std::move(defs));
    }

    Json reports_schema() const {
        Json defs = Json::object();
        defs.set("revision", described(record({
                                           {"commit", text("the git commit's full id")},
                                           {"time", date_time("the commit's time, in the committer's offset")},
                                       }),
                                       "a commit that changed the report's file"));
        Json report = described(
            record({
                {"id", text("the report's id within its project")},
                {"project", text("id of the project")},
                {"url", url("the report's permanent page")},
                {"title", text("the title as the department wrote it; may be empty")},
                {"period_start", date("first day the report covers")},
                {"period_end", date("last day the report covers")},
                {"date", date("the date the report was signed")},
                {"completion", percent("the completion rate the department reports, in percent", true)},
                {"on_schedule", flag("the department's own judgement: is the item on schedule?", true)},
                {"addressee", text("who the report is addressed to; may be empty")},
                {"signed_by", text("the unit that signs the report; may be empty")},
                {"leader_signature", flag("the report carries a line for the leadership's signature")},
                {"contacts", array_of(record({
                                          {"name", text("the contact's name")},
                                          {"role", text("may be empty")},
                                          {"phone", text("may be empty")},
                                          {"email", text("may be empty")},
                                      }),
                                      "contacts for this report")},
                {"goal_completion", type_of("object", false)
                                        .set("additionalProperties", percent("completion of the goal, in percent"))
                                        .set("description", Json::string("completion in percent by goal id"))},
                {"body_markdown", text("the report itself, Markdown")},
                {"sections", array_of(record({
                                          {"id", text("the section's anchor on the report's page")},
                                          {"title", text("the section's heading")},
                                      }),
                                      "the report's level-2 headings, in order")},
                {"first_published",
                 Json::object()
                     .set("anyOf", Json::array().push(ref("revision")).push(type_of("null", false)))
                     .set("description",
                          Json::string("the commit that first published the report, or null without git history"))},
                {"amendments", array_of(record({
                                            {"commit", text("the git commit's full id")},
                                            {"time", date_time("the commit's time, in the committer's offset")},
                                            {"summary", text("the first line of the commit message")},
                                            {"changes", array_of(record({
                                                                     {"key", text("the front matter key")},
                                                                     {"before", text("empty when the key was added")},
                                                                     {"after", text("empty when the key was removed")},
                                                                 }),
                                                                 "front matter values the commit changed")},
                                            {"body_changed", flag("the commit changed the report's text")},
                                        }),
                                        "every later commit that changed the published report, oldest first")},
                {"history_truncated",
                 flag("the available history starts after the report existed (a shallow clone): "
                      "first_published is only the oldest commit visible")},
                {"sample_data", flag("true: fictional sample data, not the real progress of any body")},
            }),
            "a progress report");
        return schema("reports", "Reports", "reports", std::move(report), std::move(defs));
    }

    const Library& lib_;
    const Analysis& analysis_;
    const std::string& base_url_;
    unsigned workers_;
};

}  // namespace

void add_open_data(const Library& lib, const Analysis& analysis, const std::string& base_url, SiteFiles& files,
                   unsigned workers) {
    OpenData(lib, analysis, base_url, workers).add(files);
}

void add_open_data_file(const Library& lib, const Analysis& analysis, const std::string& base_url, SiteFiles& files,
                        std::size_t index, unsigned workers) {
    OpenData(lib, analysis, base_url, workers).add_file(files, index);
}

const std::vector<std::string>& open_data_paths() {
    // In the order OpenData::add makes them.
    static const std::vector<std::string> paths = {"data/reports.json",        "data/reports.csv",
                                                   "data/projects.json",       "data/projects.csv",
                                                   "data/projects.schema.json", "data/reports.schema.json"};
    return paths;
}

}  // namespace gongkai
