#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gongkai {

// A calendar date without time or zone, as TOML local dates are.
struct Date {
    int year = 0;
    int month = 0;
    int day = 0;

    auto operator<=>(const Date&) const = default;
    std::string iso() const;           // "2020-10-21"
    std::int64_t days() const;         // days since 1970-01-01
    static bool valid(int year, int month, int day);
    static Date from_days(std::int64_t days);
};

struct Contact {
    std::string name;
    std::string role;
    std::string phone;
    std::string email;
};

// A sub-goal of a project, with its finer parts.
struct Goal {
    std::string id;
    std::string title;
    std::vector<Goal> goals;
};

// When reports are due: each period of the frequency, by due_day of the following month.
struct Calendar {
    enum class Frequency { none, monthly, quarterly, half_yearly, yearly };
    Frequency frequency = Frequency::none;
    int due_day = 25;
};

struct SiteConfig {
    std::string path;  // of gongkai.toml, for messages
    std::string title;
    std::string language = "zh-CN";
    std::string base_url = "/";
    std::string publisher;
    std::string description;
    std::string programme;
    std::string theme = "default";
    bool sample_data = false;
    Calendar calendar;
};

// Progress a project plans to have reached by a date (its own schedule, instead of even progress).
struct Milestone {
    Date date;
    double expected = 0;  // percent
};

struct Department {
    std::string id;
    std::string path;
    std::string name;
    std::string short_name;
    std::string description;  // Markdown
    std::string url;
    std::vector<Contact> contacts;
    bool sample_data = false;
};

struct Project {
    std::string id;
    std::string path;
    std::string title;
    int year = 0;
    std::string number;
    std::string department;
    std::size_t department_line = 0;
    std::vector<std::string> co_departments;
    std::size_t co_departments_line = 0;
    std::string official;
    std::string target;  // Markdown
    Date start;
    Date end;
    std::vector<Goal> goals;
    std::vector<Milestone> milestones;  // sorted by date
    std::string body;  // Markdown: the implementation statement
    std::size_t body_line = 0;
    bool sample_data = false;
};

struct GoalCompletion {
    std::string goal_id;
    double completion = 0;
    std::size_t line = 0;
};

struct Report {
    std::string id;
    std::string project;  // the project id: the report's folder
    std::string path;
    std::string title;
    Date period_start;
    Date period_end;
    std::size_t period_end_line = 0;
    Date date;
    std::optional<double> completion;
    std::optional<bool> on_schedule;
    std::string addressee;
    std::string signed_by;
    bool leader_signature = false;
    std::vector<Contact> contacts;
    std::vector<GoalCompletion> goal_completion;
    std::string body;  // Markdown; see body_unread
    std::size_t body_line = 0;
    bool sample_data = false;
    // Taken from the build cache, which keeps no report's Markdown: body is empty, and whoever
    // needs the text asks Analysis::markdown_of, which reads it from git.
    bool body_unread = false;
};

// The whole validated content of one build.
struct Library {
    SiteConfig config;
    std::vector<Department> departments;  // sorted by id
    std::vector<Project> projects;        // sorted by id
    std::vector<Report> reports;          // sorted by project, period_end, id

    // Templates and static files that the content repository supplies: path -> bytes.
    std::map<std::string, std::string> templates;
    std::map<std::string, std::string> static_files;
    // The git blob id of each department, project and report file, by its path (as in
    // Department::path); empty when the content did not come from a commit. Looked up for every
    // page and data entry: hashed.
    std::unordered_map<std::string, std::string> file_ids;

    const Department* department(std::string_view id) const;
    const Project* project(std::string_view id) const;
    // The reports of one project, oldest period first.
    std::vector<const Report*> reports_of(const std::string& project_id) const;
};

}  // namespace gongkai
