#include "commands/skeleton.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace gongkai {

namespace {

bool chinese(const std::string& language) { return language.starts_with("zh"); }

const char* pick(const std::string& language, const char* zh, const char* en) { return chinese(language) ? zh : en; }

Date last_day(int year, int month) {
    int next_year = month == 12 ? year + 1 : year, next_month = month == 12 ? 1 : month + 1;
    return Date::from_days(Date{next_year, next_month, 1}.days() - 1);
}

// "1. 标杆校建设" at level 3, "1.1 信息化标杆校" below it, as the department's numbering reads.
void goal_headings(std::ostringstream& out, const std::vector<Goal>& goals, int level) {
    for (const auto& g : goals) {
        out << std::string(static_cast<std::size_t>(std::min(level, 6)), '#') << ' ' << g.id
            << (level == 3 ? ". " : " ") << g.title << "\n\n";
        goal_headings(out, g.goals, level + 1);
    }
}

// Whether a report covered more than its own period, from the start of the year (1–10 月).
bool cumulative(const Report& r) {
    auto own = period_dates(r.id);
    return own && r.period_start < own->start;
}

}  // namespace

std::string toml_quote(std::string_view text) {
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

std::string site_skeleton(const std::string& title, const std::string& language) {
    std::ostringstream out;
    out << pick(language, "# 网站设置。每个键的说明见 gongkai 的 docs/content-format.md。\n",
                "# Site settings. docs/content-format.md in gongkai documents every key.\n")
        << "title = " << toml_quote(title.empty() ? pick(language, "（网站名称）", "(site title)") : title) << "\n"
        << "language = " << toml_quote(language) << "\n"
        << "base_url = \"/\"" << pick(language, "  # 网站的地址，例如 https://example.org/progress/\n",
                                      "  # where the site is served, e.g. https://example.org/progress/\n")
        << "publisher = " << toml_quote(pick(language, "（发布机关）", "(publishing body)")) << "\n"
        << pick(language, "# programme = \"区政府重点工作\"\n", "# programme = \"Council key actions\"\n")
        << "\n# [calendar]\n# frequency = \"monthly\"\n# due_day = 25\n";
    return out.str();
}

std::string department_skeleton(const std::string& id, const std::string& name, const std::string& language) {
    std::ostringstream out;
    out << pick(language, "# 部门 ", "# Department ") << id
        << pick(language, "。每个键的说明见 gongkai 的 docs/content-format.md。\n",
                ". docs/content-format.md in gongkai documents every key.\n")
        << "name = " << toml_quote(name.empty() ? pick(language, "（部门全称）", "(the department's full name)") : name)
        << "\n# short_name = \"\"\n# description = \"\"\n# url = \"https://\"\n\n"
        << "# [[contacts]]\n# name = \"\"\n# phone = \"\"\n";
    return out.str();
}

std::string project_skeleton(const std::string& title, const std::string& department, int year,
                             const std::string& language) {
    std::ostringstream out;
    out << "+++\n"
        << "title = " << toml_quote(title.empty() ? pick(language, "（项目名称）", "(the item's title)") : title) << "\n"
        << "year = " << year << "\n"
        << "# number = \"001\"\n"
        << "department = " << toml_quote(department) << pick(language, "  # 牵头部门\n", "  # the lead department\n")
        << "# co_departments = []\n# official = \"\"\n# target = \"\"\n\n"
        << pick(language, "# 子目标（可选），按顺序：\n", "# Sub-goals (optional), in order:\n")
        << "# [[goals]]\n# id = \"1\"\n# title = \"\"\n"
        << "+++\n";
    return out.str();
}

std::optional<PeriodDates> period_dates(std::string_view p) {
    auto digits = [](std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == s.npos; };
    if (p.size() < 4 || !digits(p.substr(0, 4))) return std::nullopt;
    int year = std::stoi(std::string(p.substr(0, 4)));
    if (year < 1900 || year > 2999) return std::nullopt;
    if (p.size() == 4) return PeriodDates{{year, 1, 1}, {year, 12, 31}};
    if (p[4] != '-') return std::nullopt;
    std::string_view rest = p.substr(5);
    int months = 0, index = 0;
    if (rest.size() == 2 && digits(rest)) {
        months = 1;
        index = std::stoi(std::string(rest));
    } else if (rest.size() == 2 && (rest[0] == 'q' || rest[0] == 'h') && digits(rest.substr(1))) {
        months = rest[0] == 'q' ? 3 : 6;
        index = rest[1] - '0';
    } else {
        return std::nullopt;
    }
    if (index < 1 || index * months > 12) return std::nullopt;
    int first = (index - 1) * months + 1;
    return PeriodDates{{year, first, 1}, last_day(year, first + months - 1)};
}

std::string current_period(const Calendar& calendar, const Date& today) {
    std::string year = std::to_string(today.year);
    switch (calendar.frequency) {
    case Calendar::Frequency::quarterly: return year + "-q" + std::to_string((today.month + 2) / 3);
    case Calendar::Frequency::half_yearly: return year + "-h" + std::to_string((today.month + 5) / 6);
    case Calendar::Frequency::yearly: return year;
    default: return year + (today.month < 10 ? "-0" : "-") + std::to_string(today.month);
    }
}

std::string heading_outline(std::string_view markdown) {
    std::ostringstream out;
    std::string fence;
    std::size_t pos = 0;
    while (pos < markdown.size()) {
        std::size_t end = markdown.find('\n', pos);
        if (end == std::string_view::npos) end = markdown.size();
        std::string_view line = markdown.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::size_t indent = line.find_first_not_of(' ');
        if (indent == std::string_view::npos || indent > 3) continue;
        line.remove_prefix(indent);
        if (line.starts_with("```") || line.starts_with("~~~")) {
            if (fence.empty()) fence = line.substr(0, 3);
            else if (line.starts_with(fence)) fence.clear();
            continue;
        }
        if (!fence.empty()) continue;
        std::size_t level = line.find_first_not_of('#');
        if (level >= 2 && level <= 4 && level < line.size() && line[level] == ' ') out << line << "\n\n";
    }
    return out.str();
}

std::string report_skeleton(const Project& project, const Report* previous, const std::string& period,
                            const PeriodDates& dates, const Date& today, const std::string& language) {
    Date start = dates.start;
    if (previous && cumulative(*previous))
        start = previous->period_start.year == dates.end.year ? previous->period_start : Date{dates.end.year, 1, 1};
    Date date = today < start ? start : today;
    std::ostringstream out;
    out << "+++\n# " << project.id << " " << period
        << pick(language, "：填写后运行 gongkai check --worktree 检查。\n",
                ": fill in, then run gongkai check --worktree.\n")
        << "period_start = " << start.iso() << "\nperiod_end = " << dates.end.iso() << "\ndate = " << date.iso()
        << pick(language, "  # 报告落款日期\n", "  # the date the report is signed\n");
    bool judged = previous && previous->on_schedule && !previous->completion;
    if (!judged) {
        out << "completion = " << (previous && previous->completion ? *previous->completion : 0.0);
        out << (previous && previous->completion ? pick(language, "  # 上期的完成率：请改为本期的\n",
                                                        "  # last period's figure: change it to this period's\n")
                                                 : pick(language, "  # 本期完成率（0–100）\n",
                                                        "  # this period's completion (0–100)\n"));
    }
    if (previous && previous->on_schedule)
        out << "on_schedule = " << (*previous->on_schedule ? "true" : "false")
            << pick(language, "  # 上期的判断：请改为本期的\n", "  # last period's judgement: change it to this period's\n");
    if (previous && !previous->addressee.empty()) out << "addressee = " << toml_quote(previous->addressee) << "\n";
    if (previous && !previous->signed_by.empty()) out << "signed_by = " << toml_quote(previous->signed_by) << "\n";
    if (previous && previous->leader_signature) out << "leader_signature = true\n";
    if (previous && !previous->goal_completion.empty()) {
        out << "\n[goal_completion]" << pick(language, "  # 上期各子目标的完成率：请改为本期的\n",
                                             "  # last period's figures: change them to this period's\n");
        for (const auto& gc : previous->goal_completion) out << toml_quote(gc.goal_id) << " = " << gc.completion << "\n";
    }
    for (const auto& c : previous ? previous->contacts : std::vector<Contact>{}) {
        out << "\n[[contacts]]\nname = " << toml_quote(c.name) << "\n";
        if (!c.role.empty()) out << "role = " << toml_quote(c.role) << "\n";
        if (!c.phone.empty()) out << "phone = " << toml_quote(c.phone) << "\n";
        if (!c.email.empty()) out << "email = " << toml_quote(c.email) << "\n";
    }
    out << "+++\n\n";
    std::string outline = previous ? heading_outline(previous->body) : "";
    if (!outline.empty()) {
        out << outline;
        return out.str();
    }
    for (const char* part : {pick(language, "（一）目前进展情况", "Progress"), pick(language, "（二）存在的困难", "Difficulties"),
                             pick(language, "（三）下一步工作措施", "Next steps")}) {
        out << "## " << part << "\n\n";
        goal_headings(out, project.goals, 3);
    }
    return out.str();
}

}  // namespace gongkai
