#include "content/library.h"

#include <algorithm>
#include <functional>
#include <set>

#include "content/parse.h"
#include "paths.h"
#include "utf8.h"

namespace gongkai {

namespace {

enum class Kind { config, department, project, report, template_file, static_file, ignored, unexpected };

struct Classified {
    Kind kind;
    std::string hint;  // why a file is unexpected
};

bool ends_with(const std::string& s, std::string_view suffix) { return s.ends_with(suffix); }

Classified classify(const std::string& path) {
    auto segments = std::count(path.begin(), path.end(), '/') + 1;
    std::string name = path.substr(path.rfind('/') + 1);
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

// Text files must be UTF-8 without NUL bytes; says where they are not.
bool check_text(const SourceFile& file, Diagnostics& diagnostics) {
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
    if (is_valid_id(id)) return;
    diagnostics.error(file.repo_path, 0, 0, "",
                      std::string("'") + id.substr(0, 80) + (id.size() > 80 ? "…" : "") + "' is not a valid " + what +
                          " id: use at most 64 lower-case letters, digits and '-', like \"2020-043\"");
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
                              "unknown department '" + p.department + "': no file departments/" + p.department + ".toml");
        std::set<std::string> seen;
        for (const auto& co : p.co_departments) {
            if (!lib.department(co) && !unreadable.departments.contains(co))
                diagnostics.error(p.path, p.co_departments_line, 0, "co_departments",
                                  "unknown department '" + co + "': no file departments/" + co + ".toml");
            if (co == p.department || !seen.insert(co).second)
                diagnostics.error(p.path, p.co_departments_line, 0, "co_departments",
                                  "department '" + co + "' is listed twice");
        }
    }
    const Report* previous = nullptr;
    for (const auto& r : lib.reports) {
        const Project* p = lib.project(r.project);
        if (!p) {
            if (!unreadable.projects.contains(r.project))
                diagnostics.error(r.path, 0, 0, "",
                              "unknown project '" + r.project + "': no file projects/" + r.project + ".md");
            previous = &r;
            continue;
        }
        if (!r.goal_completion.empty()) {
            std::set<std::string> ids;
            collect_goal_ids(p->goals, ids);
            for (const auto& gc : r.goal_completion)
                if (!ids.contains(gc.goal_id))
                    diagnostics.error(r.path, gc.line, 0, "goal_completion." + gc.goal_id,
                                      "project '" + p->id + "' has no goal with id '" + gc.goal_id + "'");
        }
        if (previous && previous->project == r.project && previous->period_start == r.period_start &&
            previous->period_end == r.period_end)
            diagnostics.error(r.path, r.period_end_line, 0, "period_end",
                              "covers the same period as " + previous->path + ": one report per project per period");
        previous = &r;
    }
}

}  // namespace

std::optional<Library> load_library(const Snapshot& snapshot, Diagnostics& diagnostics) {
    Library lib;
    Unreadable unreadable;
    bool have_config = false;
    std::size_t before = diagnostics.error_count();
    for (const auto& file : snapshot.files) {
        Classified c = classify(file.path);
        if (c.kind == Kind::ignored) continue;
        if (c.kind == Kind::unexpected) {
            diagnostics.error(file.repo_path, 0, 0, "", "unexpected file: " + c.hint);
            continue;
        }
        if (c.kind == Kind::static_file) {
            if (!is_safe_relative_path(file.path))
                diagnostics.error(file.repo_path, 0, 0, "", "static file name cannot be published safely");
            else
                lib.static_files.emplace(file.path.substr(7), file.data);
            continue;
        }
        if (!check_text(file, diagnostics)) {
            if (c.kind == Kind::department) unreadable.departments.insert(stem(file.path));
            if (c.kind == Kind::project) unreadable.projects.insert(stem(file.path));
            continue;
        }
        switch (c.kind) {
        case Kind::config:
            if (auto cfg = parse_config(file, diagnostics)) lib.config = std::move(*cfg);
            have_config = true;
            break;
        case Kind::department:
            check_id(stem(file.path), file, "department", diagnostics);
            if (auto d = parse_department(file, diagnostics))
                lib.departments.push_back(std::move(*d));
            else
                unreadable.departments.insert(stem(file.path));
            break;
        case Kind::project:
            check_id(stem(file.path), file, "project", diagnostics);
            if (auto p = parse_project(file, diagnostics))
                lib.projects.push_back(std::move(*p));
            else
                unreadable.projects.insert(stem(file.path));
            break;
        case Kind::report: {
            std::string folder = file.path.substr(8, file.path.rfind('/') - 8);
            check_id(folder, file, "project", diagnostics);
            check_id(stem(file.path), file, "report", diagnostics);
            if (auto r = parse_report(file, diagnostics)) lib.reports.push_back(std::move(*r));
            break;
        }
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
    std::sort(lib.reports.begin(), lib.reports.end(), [](const Report& a, const Report& b) {
        return std::tie(a.project, a.period_end, a.period_start, a.id) <
               std::tie(b.project, b.period_end, b.period_start, b.id);
    });
    check_references(lib, unreadable, diagnostics);
    if (diagnostics.error_count() != before) return std::nullopt;
    return lib;
}

}  // namespace gongkai
