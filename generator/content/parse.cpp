#include "content/parse.h"

#include <set>

#include "content/frontmatter.h"
#include "content/toml_reader.h"
#include "paths.h"

namespace gongkai {

namespace {

bool is_supported_language(const std::string& lang) { return lang == "zh-CN" || lang == "en"; }

// Characters a URL never holds as they are: spaces, controls, and those that would end an HTML
// attribute, a robots.txt line or an XML element early.
bool has_url_characters(std::string_view url) {
    for (char c : url) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) return false;
    }
    return true;
}

bool is_web_url(const std::string& url) {
    std::string_view rest = url;
    if (rest.starts_with("https://"))
        rest.remove_prefix(8);
    else if (rest.starts_with("http://"))
        rest.remove_prefix(7);
    else
        return false;
    return !rest.empty() && rest.front() != '/' && has_url_characters(url);
}

std::vector<Contact> read_contacts(TomlReader& r) {
    std::vector<Contact> out;
    auto tables = r.table_array("contacts");
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (auto c = read_contact(r, *tables[i], r.key_name("contacts[" + std::to_string(i + 1) + "]")))
            out.push_back(std::move(*c));
    }
    return out;
}

void read_goals(TomlReader& r, std::vector<Goal>& out, std::set<std::string>& ids, int depth) {
    auto tables = r.table_array("goals");
    for (std::size_t i = 0; i < tables.size(); ++i) {
        std::string key = r.key_name("goals[" + std::to_string(i + 1) + "]");
        TomlReader g(*tables[i], r.path(), r.first_line(), r.diagnostics(), key);
        Goal goal;
        auto id = g.string("id", true);
        auto title = g.string("title", true);
        if (depth < 16) {
            read_goals(g, goal.goals, ids, depth + 1);
        } else if (!g.table_array("goals").empty()) {
            g.error("goals", tables[i], "goals are nested too deeply (at most 16 levels)");
        }
        g.finish("id, title, goals");
        if (id && !is_valid_goal_id(*id)) {
            g.error("id", tables[i]->get("id"),
                    "'" + *id + "' is not a valid goal id: use letters, digits, '.' and '-', like \"1.2\"");
            id.reset();
        }
        if (id && !ids.insert(*id).second) {
            g.error("id", tables[i]->get("id"), "duplicate goal id '" + *id + "': each goal needs its own id");
            id.reset();
        }
        if (!id || !title) continue;
        goal.id = *id;
        goal.title = *title;
        out.push_back(std::move(goal));
    }
}

}  // namespace

bool is_valid_base_url(std::string_view url) {
    return is_web_url(std::string(url)) || (url.starts_with("/") && !url.starts_with("//") && has_url_characters(url));
}

std::optional<SiteConfig> parse_config(const SourceFile& file, Diagnostics& diagnostics) {
    auto table = parse_toml(file.data, file.repo_path, 1, diagnostics);
    if (!table) return std::nullopt;
    TomlReader r(*table, file.repo_path, 1, diagnostics);
    SiteConfig c;
    c.path = file.repo_path;
    c.title = r.string("title", true).value_or("");
    c.language = r.string("language", true).value_or("zh-CN");
    if (!is_supported_language(c.language)) {
        r.error("language", table->get("language"),
                "'" + c.language + "' is not a supported language: use \"zh-CN\" or \"en\"");
    }
    c.base_url = r.string("base_url", true).value_or("/");
    if (!c.base_url.empty() && !is_valid_base_url(c.base_url)) {
        r.error("base_url", table->get("base_url"),
                "expected an address starting with https://, http:// or /, without spaces, quotes or angle brackets");
    }
    c.publisher = r.string("publisher", true).value_or("");
    c.description = r.string("description").value_or("");
    c.programme = r.string("programme").value_or("");
    c.theme = r.string("theme").value_or("default");
    if (!is_valid_id(c.theme))
        r.error("theme", table->get("theme"), "a theme name is lower-case letters, digits and '-'");
    c.sample_data = r.boolean("sample_data").value_or(false);
    if (const toml::table* cal = r.table("calendar")) {
        TomlReader cr(*cal, file.repo_path, 1, diagnostics, "calendar");
        auto freq = cr.string("frequency", true);
        using F = Calendar::Frequency;
        static const std::pair<const char*, F> names[] = {{"monthly", F::monthly},
                                                          {"quarterly", F::quarterly},
                                                          {"half-yearly", F::half_yearly},
                                                          {"yearly", F::yearly}};
        bool known = false;
        for (const auto& [name, f] : names) {
            if (freq && *freq == name) {
                c.calendar.frequency = f;
                known = true;
            }
        }
        if (freq && !known)
            cr.error(
                "frequency", cal->get("frequency"),
                "'" + *freq +
                    "' is not a reporting frequency: use \"monthly\", \"quarterly\", \"half-yearly\" or \"yearly\"");
        c.calendar.due_day = static_cast<int>(cr.integer("due_day", false, 1, 28).value_or(25));
        cr.finish("frequency, due_day");
    }
    r.finish("title, language, base_url, publisher, description, programme, sample_data, theme, calendar");
    return c;
}

std::optional<Department> parse_department(const SourceFile& file, Diagnostics& diagnostics) {
    auto table = parse_toml(file.data, file.repo_path, 1, diagnostics);
    if (!table) return std::nullopt;
    TomlReader r(*table, file.repo_path, 1, diagnostics);
    Department d;
    d.id = stem(file.path);
    d.path = file.repo_path;
    d.name = r.string("name", true).value_or("");
    d.short_name = r.string("short_name").value_or("");
    d.description = r.string("description").value_or("");
    d.url = r.string("url").value_or("");
    if (!d.url.empty() && !is_web_url(d.url))
        r.error("url", table->get("url"),
                "expected an address starting with https:// or http://, without spaces, quotes or angle brackets");
    d.sample_data = r.boolean("sample_data").value_or(false);
    d.contacts = read_contacts(r);
    r.finish("name, short_name, description, url, sample_data, contacts");
    return d;
}

std::optional<Project> parse_project(const SourceFile& file, Diagnostics& diagnostics) {
    auto fm = split_front_matter(file.data, file.repo_path, diagnostics);
    if (!fm) return std::nullopt;
    auto table = parse_toml(fm->toml, file.repo_path, fm->toml_line, diagnostics);
    if (!table) return std::nullopt;
    TomlReader r(*table, file.repo_path, fm->toml_line, diagnostics);
    Project p;
    p.id = stem(file.path);
    p.path = file.repo_path;
    p.body = std::move(fm->body);
    p.body_line = fm->body_line;
    p.title = r.string("title", true).value_or("");
    p.year = static_cast<int>(r.integer("year", true, 1900, 2999).value_or(0));
    p.number = r.string("number").value_or("");
    p.department = r.string("department", true).value_or("");
    p.department_line = r.line_of(table->get("department"));
    p.co_departments = r.string_array("co_departments");
    p.co_departments_line = r.line_of(table->get("co_departments"));
    p.official = r.string("official").value_or("");
    p.target = r.string("target").value_or("");
    auto start = r.date("start");
    auto end = r.date("end");
    p.start = start.value_or(Date{p.year, 1, 1});
    p.end = end.value_or(Date{p.year, 12, 31});
    if (p.year && p.end < p.start)
        r.error("end", table->get("end"),
                "the project ends (" + p.end.iso() + ") before it starts (" + p.start.iso() + ")");
    p.sample_data = r.boolean("sample_data").value_or(false);
    std::set<std::string> goal_ids;
    read_goals(r, p.goals, goal_ids, 1);
    auto milestones = r.table_array("milestones");
    for (std::size_t i = 0; i < milestones.size(); ++i) {
        TomlReader m(*milestones[i], file.repo_path, fm->toml_line, diagnostics,
                     "milestones[" + std::to_string(i + 1) + "]");
        auto date = m.date("date", true);
        auto expected = m.percent("expected", true);
        m.finish("date, expected");
        if (!date || !expected) continue;
        if (!p.milestones.empty() && !(p.milestones.back().date < *date))
            m.error("date", milestones[i]->get("date"), "milestones must be in date order, each on its own date");
        else if (!p.milestones.empty() && *expected < p.milestones.back().expected)
            m.error("expected", milestones[i]->get("expected"),
                    "expected progress cannot go down from one milestone to the next");
        else
            p.milestones.push_back({*date, *expected});
    }
    r.finish("title, year, number, department, co_departments, official, target, start, end, sample_data, goals, "
             "milestones");
    return p;
}

std::optional<Report> parse_report(const SourceFile& file, Diagnostics& diagnostics) {
    auto fm = split_front_matter(file.data, file.repo_path, diagnostics);
    if (!fm) return std::nullopt;
    auto table = parse_toml(fm->toml, file.repo_path, fm->toml_line, diagnostics);
    if (!table) return std::nullopt;
    TomlReader r(*table, file.repo_path, fm->toml_line, diagnostics);
    Report rep;
    rep.id = stem(file.path);
    auto slash = file.path.find('/');
    rep.project = file.path.substr(slash + 1, file.path.rfind('/') - slash - 1);
    rep.path = file.repo_path;
    rep.body = std::move(fm->body);
    rep.body_line = fm->body_line;
    rep.title = r.string("title").value_or("");
    auto start = r.date("period_start", true);
    auto end = r.date("period_end", true);
    auto date = r.date("date", true);
    rep.completion = r.percent("completion");
    rep.on_schedule = r.boolean("on_schedule");
    if (!table->get("completion") && !table->get("on_schedule")) {
        diagnostics.error(file.repo_path, fm->toml_line - 1, 1, "completion",
                          "a report needs a completion rate (completion = 90) or a judgement (on_schedule = true)");
    }
    rep.addressee = r.string("addressee").value_or("");
    rep.signed_by = r.string("signed_by").value_or("");
    rep.leader_signature = r.boolean("leader_signature").value_or(false);
    rep.sample_data = r.boolean("sample_data").value_or(false);
    rep.contacts = read_contacts(r);
    if (const toml::table* gc = r.table("goal_completion")) {
        TomlReader g(*gc, file.repo_path, fm->toml_line, diagnostics, "goal_completion");
        for (const auto& [k, v] : *gc) {
            if (auto pct = g.percent(k.str())) {
                rep.goal_completion.push_back({std::string(k.str()), *pct, g.line_of(&v)});
            }
        }
    }
    if (start && end && *end < *start) {
        r.error("period_end", table->get("period_end"),
                "the period ends (" + end->iso() + ") before it starts (" + start->iso() + ")");
    }
    if (start && date && *date < *start) {
        r.error("date", table->get("date"),
                "the report is dated " + date->iso() + ", before its period starts (" + start->iso() + ")");
    }
    r.finish("title, period_start, period_end, date, completion, on_schedule, addressee, signed_by, "
             "leader_signature, sample_data, contacts, goal_completion");
    if (!start || !end || !date) return std::nullopt;
    rep.period_start = *start;
    rep.period_end = *end;
    rep.period_end_line = r.line_of(table->get("period_end"));
    rep.date = *date;
    return rep;
}

}  // namespace gongkai
