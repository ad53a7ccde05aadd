#include "content/library.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <set>
#include <stdexcept>

#include "content/parse.h"
#include "markdown.h"
#include "parallel.h"
#include "paths.h"
#include "utf8.h"

namespace gongkai {

namespace {

enum class Kind { config, department, project, report, template_file, static_file, ignored, unexpected };

struct Classified {
    Kind kind;
    std::string hint;  // why a file is unexpected
};

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

Classified classify(std::string_view path) {
    auto segments = std::count(path.begin(), path.end(), '/') + 1;
    std::string_view name = path.substr(path.rfind('/') + 1);
    if (path == "gongkai.toml") return {Kind::config, ""};
    if (path.starts_with("static/")) return {Kind::static_file, ""};
    if (!name.empty() && name.front() == '.') return {Kind::ignored, ""};
    if (path.starts_with("departments/")) {
        if (segments == 2 && ends_with(name, ".toml")) return {Kind::department, ""};
        return {Kind::unexpected, "departments/ holds one <id>.toml file per department"};
    }
    if (path.starts_with("projects/")) {
        if (segments == 2 && ends_with(name, ".md")) return {Kind::project, ""};
        return {Kind::unexpected, "projects/ holds one <id>.md file per project"};
    }
    if (path.starts_with("reports/")) {
        if (segments == 3 && ends_with(name, ".md")) return {Kind::report, ""};
        return {Kind::unexpected, "reports/ holds <project-id>/<report-id>.md files"};
    }
    if (path.starts_with("templates/")) {
        if (segments == 2 && ends_with(name, ".mustache")) return {Kind::template_file, ""};
        return {Kind::unexpected, "templates/ holds <name>.mustache files that replace the theme's"};
    }
    return {Kind::ignored, ""};
}

// Text files larger than this are refused: a report is a few pages, and a file of many megabytes
// is an attachment or a mistake whose pages would take long to build and to read.
constexpr std::size_t max_text_bytes = std::size_t(2) << 20;

std::string megabytes(std::size_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
    return buf;
}

// Text files must be UTF-8 without NUL bytes and of a readable size; says where they are not.
bool check_text(const SourceFile& file, Diagnostics& diagnostics) {
    if (file.data.size() > max_text_bytes) {
        diagnostics.error(file.repo_path, 0, 0, "",
                          "is " + megabytes(file.data.size()) + "; a text file may be at most " +
                              megabytes(max_text_bytes) + ": split it, or publish attachments under static/");
        return false;
    }
    if (auto encoding = foreign_byte_order_mark(file.data)) {
        diagnostics.error(file.repo_path, 1, 1, "", "is saved as " + *encoding + "; save it as UTF-8");
        return false;
    }
    if (looks_binary(file.data)) {
        diagnostics.error(file.repo_path, 0, 0, "", "is a binary file, not UTF-8 text");
        return false;
    }
    if (auto bad = first_invalid_utf8(file.data)) {
        auto pos = position_of(file.data, *bad);
        diagnostics.error(file.repo_path, pos.line, pos.column, "",
                          "is not valid UTF-8 text (save the file as UTF-8)");
        return false;
    }
    return true;
}

void check_id(const std::string& id, const SourceFile& file, const char* what, Diagnostics& diagnostics) {
    std::string problem = id_problem(id);
    if (problem.empty()) return;
    diagnostics.error(file.repo_path, 0, 0, "",
                      "'" + printable(id, 80) + "' is not a valid " + what + " id: it " + problem +
                          "; use at most 64 lower-case letters, digits and '-', like \"2020-043\"");
}

// A value from the content, quoted for a message.
std::string quoted(const std::string& value) { return "'" + printable(value, 80) + "'"; }

// Why a file name cannot be read or published, or "" when it can.
std::string name_problem(const std::string& path) {
    if (first_invalid_utf8(path)) return "the file name is not UTF-8: rename the file";
    for (char c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return "the file name holds a control character: rename the file";
    return "";
}

// Why a static file cannot be published at its path, or "" when it can.
std::string static_path_problem(const std::string& path) {
    if (is_safe_relative_path(path)) return "";
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = std::min(path.find('/', start), path.size());
        std::string seg = path.substr(start, end - start);
        if (!seg.empty() && seg.front() == '.')
            return "hidden files and folders (names starting with '.') are not published";
        if (is_windows_device_name(seg))
            return quoted(seg) + " is a device name on Windows, where the site could not be copied";
        if (!seg.empty() && (seg.back() == '.' || seg.back() == ' '))
            return quoted(seg) + " ends with '" + seg.back() + "', which Windows drops from names";
        start = end + 1;
    }
    return "the name holds a character that web servers or Windows cannot store (\\ : < > \" | ? *): rename it";
}

// Warns of a level-2 heading with nothing under it before the next heading of its level: a report
// section the department left empty. Fenced code is skipped; the build goes on.
void warn_empty_sections(const std::string& markdown, const std::string& path, std::size_t first_line,
                         Diagnostics& diagnostics) {
    struct Open {
        std::string title;
        std::size_t line;
        bool content;
    };
    std::optional<Open> section;
    std::string fence;
    auto close = [&] {
        if (section && !section->content)
            diagnostics.warning(path, section->line, 0, "",
                                "the section '" + printable(section->title, 80) +
                                    "' is empty: write its text, or 无 if there is nothing to report");
        section.reset();
    };
    std::size_t number = 0;
    std::size_t pos = 0;
    while (pos <= markdown.size()) {
        std::size_t end = markdown.find('\n', pos);
        if (end == std::string::npos) end = markdown.size();
        std::string_view line(markdown.data() + pos, end - pos);
        pos = end + 1;
        ++number;
        std::size_t indent = line.find_first_not_of(' ');
        if (indent == std::string_view::npos || indent > 3) {
            if (indent != std::string_view::npos && section) section->content = true;
            continue;
        }
        std::string_view rest = line.substr(indent);
        if (!fence.empty()) {
            if (rest.starts_with(fence)) fence.clear();
            continue;
        }
        if (rest.starts_with("```") || rest.starts_with("~~~")) {
            fence = std::string(rest.substr(0, 3));
            if (section) section->content = true;
            continue;
        }
        std::size_t hashes = rest.find_first_not_of('#');
        if (hashes == std::string_view::npos) hashes = rest.size();
        bool heading =
            hashes >= 1 && hashes <= 6 && (hashes == rest.size() || rest[hashes] == ' ' || rest[hashes] == '\t');
        if (heading && hashes <= 2) {
            close();
            if (hashes == 2) {
                std::string_view title = rest.substr(hashes);
                while (!title.empty() && (title.front() == ' ' || title.front() == '\t')) title.remove_prefix(1);
                while (!title.empty() && (title.back() == ' ' || title.back() == '#' || title.back() == '\r'))
                    title.remove_suffix(1);
                section = Open{std::string(title), first_line + number - 1, false};
            }
            continue;
        }
        if (section && rest.find_first_not_of(" \t\r") != std::string_view::npos) section->content = true;
    }
    close();
}

// Refuses Markdown nested deeper than readers and browsers can follow, or shaped to make the
// renderer slow.
void check_markdown(const std::string& markdown, const std::string& path, std::size_t first_line, const std::string& key,
                   Diagnostics& diagnostics) {
    if (auto limit = find_render_limit(markdown)) {
        std::size_t line = first_line ? first_line + limit->line - 1 : first_line;
        diagnostics.error(path, line, 0, key,
                          "the Markdown holds " + limit->problem +
                              ", which takes too long to render; break it up");
        return;
    }
    auto deep = find_deep_nesting(markdown);
    if (!deep) return;
    std::size_t line = first_line && deep->line ? first_line + deep->line - 1 : first_line;
    diagnostics.error(path, line, 0, key,
                      "the Markdown is nested " + std::to_string(deep->depth) +
                          " levels deep (lists, quotes or emphasis inside each other); at most " +
                          std::to_string(max_markdown_depth) + " are published: flatten it");
}

void collect_goal_ids(const std::vector<Goal>& goals, std::set<std::string>& out) {
    for (const auto& g : goals) {
        out.insert(g.id);
        collect_goal_ids(g.goals, out);
    }
}

// Ids of files that exist but could not be read: references to them are not reported again.
struct Unreadable {
    std::set<std::string> departments;
    std::set<std::string> projects;
};

void check_references(Library& lib, const Unreadable& unreadable, Diagnostics& diagnostics) {
    for (const auto& p : lib.projects) {
        if (!lib.department(p.department) && !unreadable.departments.contains(p.department))
            diagnostics.error(p.path, p.department_line, 0, "department",
                              "unknown department " + quoted(p.department) + ": no file departments/" +
                                  printable(p.department, 80) + ".toml");
        std::set<std::string> seen;
        for (const auto& co : p.co_departments) {
            if (!lib.department(co) && !unreadable.departments.contains(co))
                diagnostics.error(
                    p.path, p.co_departments_line, 0, "co_departments",
                    "unknown department " + quoted(co) + ": no file departments/" + printable(co, 80) + ".toml");
            if (co == p.department || !seen.insert(co).second)
                diagnostics.error(p.path, p.co_departments_line, 0, "co_departments",
                                  "department " + quoted(co) + " is listed twice");
        }
    }
    const Report* previous = nullptr;
    const Project* goals_of = nullptr;  // whose goal ids are in goal_ids (reports come by project)
    std::set<std::string> goal_ids;
    for (const auto& r : lib.reports) {
        const Project* p = lib.project(r.project);
        if (!p) {
            if (!unreadable.projects.contains(r.project))
                diagnostics.error(
                    r.path, 0, 0, "",
                    "unknown project " + quoted(r.project) + ": no file projects/" + printable(r.project, 80) + ".md");
            previous = &r;
            continue;
        }
        if (!r.goal_completion.empty()) {
            if (goals_of != p) {
                goal_ids.clear();
                collect_goal_ids(p->goals, goal_ids);
                goals_of = p;
            }
            for (const auto& gc : r.goal_completion)
                if (!goal_ids.contains(gc.goal_id))
                    diagnostics.error(r.path, gc.line, 0, "goal_completion." + printable(gc.goal_id, 80),
                                      "project '" + p->id + "' has no goal with id " + quoted(gc.goal_id));
        }
        if (previous && previous->project == r.project && previous->period_start == r.period_start &&
            previous->period_end == r.period_end)
            diagnostics.error(r.path, r.period_end_line, 0, "period_end",
                              "covers the same period as " + previous->path + ": one report per project per period");
        previous = &r;
    }
}

// One department, project or report file, checked and parsed on its own: the part of loading
// that needs no other file, so it can run on all cores.
struct ParsedEntry {
    Diagnostics diagnostics;
    bool text_ok = false;
    std::variant<std::monostate, Department, Project, Report> value;
};

ParsedEntry parse_entry(const SourceFile& file, Kind kind) {
    ParsedEntry e;
    Diagnostics& diagnostics = e.diagnostics;
    if (!check_text(file, diagnostics)) return e;
    e.text_ok = true;
    switch (kind) {
    case Kind::department:
        check_id(stem(file.path), file, "department", diagnostics);
        if (auto d = parse_department(file, diagnostics)) {
            check_markdown(d->description, file.repo_path, 0, "description", diagnostics);
            e.value = std::move(*d);
        }
        break;
    case Kind::project:
        check_id(stem(file.path), file, "project", diagnostics);
        if (auto p = parse_project(file, diagnostics)) {
            check_markdown(p->body, file.repo_path, p->body_line, "", diagnostics);
            check_markdown(p->target, file.repo_path, 0, "target", diagnostics);
            e.value = std::move(*p);
        }
        break;
    case Kind::report: {
        std::string folder = file.path.substr(8, file.path.rfind('/') - 8);
        check_id(folder, file, "project", diagnostics);
        check_id(stem(file.path), file, "report", diagnostics);
        if (auto r = parse_report(file, diagnostics)) {
            check_markdown(r->body, file.repo_path, r->body_line, "", diagnostics);
            warn_empty_sections(r->body, file.repo_path, r->body_line, diagnostics);
            e.value = std::move(*r);
        }
        break;
    }
    default:
        break;
    }
    return e;
}

bool is_entity(Kind kind) { return kind == Kind::department || kind == Kind::project || kind == Kind::report; }

}  // namespace

namespace {

std::optional<Library> load(const Snapshot& snapshot, Snapshot* release, Diagnostics& diagnostics,
                            ParsedFiles* reuse, PathSet* clean, unsigned workers) {
    Library lib;
    Unreadable unreadable;
    bool have_config = false;
    std::size_t before = diagnostics.error_count();
    std::map<std::string, std::string> static_names;  // lower-cased path -> the path of the first
    // Departments, projects and reports are checked and parsed on all cores first; what spans
    // files is then done in order, so diagnostics come out as from one thread.
    // What each file is, and the parsed form of those parsed here (none of the files the cache
    // gives: an entry is made only for a file parsed anew).
    std::vector<Kind> kinds(snapshot.files.size());
    std::vector<std::unique_ptr<ParsedEntry>> entries(snapshot.files.size());
    parallel_for(snapshot.files.size(), worker_count(workers), [&](std::size_t i, unsigned) {
        const SourceFile& file = snapshot.files[i];
        kinds[i] = classify(file.path).kind;
        const Kind kind = kinds[i];
        if (is_entity(kind) && file.kind == EntryKind::file && !file.reused && name_problem(file.path).empty()) {
            entries[i] = std::make_unique<ParsedEntry>(parse_entry(file, kind));
            // Nothing below reads a parsed file's text again.
            if (release) std::string().swap(release->files[i].data);
        }
    });
    // The library's largest list, made at its size (grown by doubling it would hold up to twice).
    lib.reports.reserve(static_cast<std::size_t>(std::count(kinds.begin(), kinds.end(), Kind::report)));
    lib.file_ids.reserve(snapshot.files.size());
    if (clean) clean->reserve(snapshot.files.size());
    for (std::size_t index = 0; index < snapshot.files.size(); ++index) {
        const SourceFile& file = snapshot.files[index];
        // Only an unexpected file's hint is wanted again.
        Classified c = kinds[index] == Kind::unexpected ? classify(file.path) : Classified{kinds[index], ""};
        // A link or submodule standing in for one of gongkai's folders hides everything in it.
        bool stands_for_folder = file.kind != EntryKind::file && file.path.find('/') == std::string::npos &&
                                 classify(file.path + "/x").kind != Kind::ignored;
        if (c.kind == Kind::ignored && !stands_for_folder) continue;
        if (std::string problem = name_problem(file.path); !problem.empty()) {
            diagnostics.error(file.repo_path, 0, 0, "", problem);
            continue;
        }
        auto mark_unreadable = [&] {
            if (c.kind == Kind::department) unreadable.departments.insert(stem(file.path));
            if (c.kind == Kind::project) unreadable.projects.insert(stem(file.path));
            if (c.kind == Kind::config) have_config = true;
        };
        if (file.kind != EntryKind::file) {
            switch (file.kind) {
            case EntryKind::symlink:
                diagnostics.error(file.repo_path, 0, 0, "", "symbolic links are not published; commit the file itself");
                break;
            case EntryKind::submodule:
                diagnostics.error(file.repo_path, 0, 0, "", "submodules are not read; commit the content itself");
                break;
            default:
                diagnostics.error(file.repo_path, 0, 0, "", file.problem.empty() ? "cannot be read" : file.problem);
            }
            mark_unreadable();
            continue;
        }
        if (c.kind == Kind::unexpected) {
            diagnostics.error(file.repo_path, 0, 0, "", "unexpected file: " + c.hint);
            continue;
        }
        if (c.kind == Kind::static_file) {
            std::string rel = file.path.substr(7);
            if (std::string problem = static_path_problem(rel); !problem.empty()) {
                diagnostics.error(file.repo_path, 0, 0, "", "cannot be published: " + problem);
                continue;
            }
            std::string folded;
            for (char ch : rel) folded += ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
            auto [it, fresh] = static_names.emplace(folded, file.repo_path);
            if (!fresh) {
                diagnostics.error(file.repo_path, 0, 0, "",
                                  "differs only in case from " + it->second +
                                      ": on disks that ignore case one would replace the other; rename one");
                continue;
            }
            lib.static_files.emplace(rel, file.data);
            continue;
        }
        if (file.reused) {
            ParsedFile* parsed = nullptr;
            if (reuse)
                if (auto it = reuse->find(file.path); it != reuse->end() && it->second.oid == file.oid)
                    parsed = &it->second;
            if (!parsed) throw std::logic_error("a reused file has no parsed form: " + file.path);
            if (clean) clean->insert(file.path);
            lib.file_ids.emplace(file.repo_path, file.oid);
            if (auto* d = std::get_if<Department>(&parsed->value)) lib.departments.push_back(std::move(*d));
            if (auto* p = std::get_if<Project>(&parsed->value)) lib.projects.push_back(std::move(*p));
            if (auto* r = std::get_if<Report>(&parsed->value)) lib.reports.push_back(std::move(*r));
            continue;
        }
        if (!file.oid.empty()) lib.file_ids.emplace(file.repo_path, file.oid);
        if (entries[index]) {
            ParsedEntry& e = *entries[index];
            diagnostics.append(e.diagnostics);
            if (!e.text_ok) {
                mark_unreadable();
                continue;
            }
            // A file that drew no diagnostic can be reused by the next build.
            if (clean && !file.oid.empty() && e.diagnostics.items().empty()) clean->insert(file.path);
            if (auto* d = std::get_if<Department>(&e.value))
                lib.departments.push_back(std::move(*d));
            else if (auto* p = std::get_if<Project>(&e.value))
                lib.projects.push_back(std::move(*p));
            else if (auto* r = std::get_if<Report>(&e.value))
                lib.reports.push_back(std::move(*r));
            else if (c.kind == Kind::department)
                unreadable.departments.insert(stem(file.path));
            else if (c.kind == Kind::project)
                unreadable.projects.insert(stem(file.path));
            continue;
        }
        if (!check_text(file, diagnostics)) {
            mark_unreadable();
            continue;
        }
        switch (c.kind) {
        case Kind::config:
            if (auto cfg = parse_config(file, diagnostics)) lib.config = std::move(*cfg);
            have_config = true;
            break;
        case Kind::template_file:
            if (is_valid_id(stem(file.path)) || stem(file.path) == "404")
                lib.templates.emplace(stem(file.path), file.data);
            else
                diagnostics.error(file.repo_path, 0, 0, "", "a template name is lower-case letters, digits and '-'");
            break;
        default:
            break;
        }
    }
    if (!have_config)
        diagnostics.error(join_repo_path(snapshot.prefix, "gongkai.toml"), 0, 0, "",
                          "missing: every content folder needs a gongkai.toml with the site settings");

    std::sort(lib.departments.begin(), lib.departments.end(),
              [](const Department& a, const Department& b) { return a.id < b.id; });
    std::sort(lib.projects.begin(), lib.projects.end(), [](const Project& a, const Project& b) { return a.id < b.id; });
    // Files come in path order, which for most content is already the reports' order: sorting
    // is then only a check.
    auto report_order = [](const Report& a, const Report& b) {
        return std::tie(a.project, a.period_end, a.period_start, a.id) <
               std::tie(b.project, b.period_end, b.period_start, b.id);
    };
    if (!std::is_sorted(lib.reports.begin(), lib.reports.end(), report_order))
        std::sort(lib.reports.begin(), lib.reports.end(), report_order);
    check_references(lib, unreadable, diagnostics);
    if (diagnostics.error_count() != before) return std::nullopt;
    return lib;
}

}  // namespace

std::optional<Library> load_library(const Snapshot& snapshot, Diagnostics& diagnostics, ParsedFiles* reuse,
                                    PathSet* clean, unsigned workers) {
    return load(snapshot, nullptr, diagnostics, reuse, clean, workers);
}

std::optional<Library> load_library_releasing(Snapshot& snapshot, Diagnostics& diagnostics, ParsedFiles* reuse,
                                              PathSet* clean, unsigned workers) {
    return load(snapshot, &snapshot, diagnostics, reuse, clean, workers);
}

}  // namespace gongkai
