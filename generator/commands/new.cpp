#include "commands/new.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands/skeleton.h"
#include "content/parse.h"
#include "paths.h"

namespace gongkai {

namespace fs = std::filesystem;

namespace {

// Refusals that are the editor's to fix: exit status 1.
struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Date local_today() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::optional<std::string> read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
}

// A content file as the parsers take it, named as messages name it.
SourceFile source_file(const fs::path& root, const std::string& prefix, const std::string& rel) {
    return {rel, join_repo_path(prefix, rel), read_text(root / rel).value_or("")};
}

// The site's settings as far as they can be read; defaults where gongkai.toml is missing or broken.
SiteConfig site_config(const fs::path& root, const std::string& prefix) {
    if (!fs::exists(root / "gongkai.toml")) return {};
    Diagnostics ignored;
    return parse_config(source_file(root, prefix, "gongkai.toml"), ignored).value_or(SiteConfig{});
}

std::vector<std::string> stems_in(const fs::path& dir, const std::string& extension) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() == extension) out.push_back(e.path().stem().string());
    std::sort(out.begin(), out.end());
    return out;
}

void check_id(const std::string& id, const char* what) {
    if (!is_valid_id(id))
        throw Refused("'" + id + "' is not a valid " + what +
                      " id: use at most 64 lower-case letters, digits and '-', like \"2020-043\"");
}

// The newest report of a project that ends before period_end: the one the new report follows.
std::optional<Report> previous_report(const fs::path& root, const std::string& prefix, const std::string& project,
                                      const Date& period_end) {
    std::optional<Report> best;
    for (const auto& id : stems_in(root / "reports" / project, ".md")) {
        Diagnostics ignored;
        auto r = parse_report(source_file(root, prefix, "reports/" + project + "/" + id + ".md"), ignored);
        if (!r || !(r->period_end < period_end)) continue;
        if (!best || best->period_end < r->period_end) best = std::move(r);
    }
    return best;
}

// Creates the file, never replacing one: O_EXCL makes the check and the creation one step.
void write_new_file(const fs::path& path, const std::string& shown, const std::string& text) {
    fs::create_directories(path.parent_path());
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST)
        throw Refused(shown + " already exists; gongkai new never replaces a file: edit it, or choose another name");
    if (fd < 0) {
        const int err = errno;
        throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(err));
    }
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;  // before close, which may change it
            ::close(fd);
            throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

struct NewFile {
    std::string rel;   // relative to the content folder
    std::string text;
    std::string note;  // what the editor should know, "" for nothing
};

NewFile new_report(const NewOptions& o, const fs::path& root, const std::string& prefix, const SiteConfig& config) {
    check_id(o.id, "project");
    if (!fs::exists(root / "projects" / (o.id + ".md")))
        throw Refused("no project '" + o.id + "': there is no " + join_repo_path(prefix, "projects/" + o.id + ".md") +
                      "; create it first with: gongkai new project " + o.id);
    Diagnostics diagnostics;
    auto project = parse_project(source_file(root, prefix, "projects/" + o.id + ".md"), diagnostics);
    if (!project || diagnostics.has_errors())
        throw Refused("projects/" + o.id + ".md has errors; run gongkai check --worktree and fix it first");
    Date today = local_today();
    std::string period = o.period.empty() ? current_period(config.calendar, today) : o.period;
    check_id(period, "report");
    auto dates = period_dates(period);
    if (!dates)
        throw Refused("cannot tell the dates of period '" + period +
                      "': name a period 2020-10 (a month), 2020-q3 (a quarter), 2020-h1 (a half year) or 2020");
    auto previous = previous_report(root, prefix, o.id, dates->end);
    NewFile f{"reports/" + o.id + "/" + period + ".md",
              report_skeleton(*project, previous ? &*previous : nullptr, period, *dates, today, config.language), ""};
    f.note = previous ? "sections and contacts follow " + previous->path : "sections follow the project's goals";
    return f;
}

NewFile new_file(const NewOptions& o, const fs::path& root, const std::string& prefix) {
    SiteConfig config = site_config(root, prefix);
    if (o.kind == "site") {
        return {"gongkai.toml", site_skeleton(o.title, o.language.empty() ? config.language : o.language), ""};
    }
    if (o.kind == "department") {
        check_id(o.id, "department");
        return {"departments/" + o.id + ".toml", department_skeleton(o.id, o.name, config.language), ""};
    }
    if (o.kind == "project") {
        check_id(o.id, "project");
        std::string department = o.department;
        std::string note;
        auto known = stems_in(root / "departments", ".toml");
        if (department.empty() && !known.empty()) department = known.front();
        if (department.empty())
            note = "there is no department yet: create one with gongkai new department <id> and name it in department";
        else if (std::find(known.begin(), known.end(), department) == known.end())
            note = "there is no departments/" + department + ".toml yet: create it with gongkai new department " + department;
        else if (o.department.empty() && known.size() > 1)
            note = "the lead department is " + department + "; change department if it is another";
        return {"projects/" + o.id + ".md", project_skeleton(o.title, department, o.year.value_or(local_today().year),
                                                             config.language),
                note};
    }
    return new_report(o, root, prefix, config);
}

}  // namespace

int run_new(const NewOptions& o, Console& console) {
    try {
        git::Repository repo(o.source.repo);
        fs::path root = content_root(repo, o.source);
        std::string prefix = o.source.dir();
        NewFile f = new_file(o, root, prefix);
        std::string shown = join_repo_path(prefix, f.rel);
        write_new_file(root / f.rel, shown, f.text);
        console.note("wrote " + shown + (f.note.empty() ? "" : "; " + f.note));
        std::cout << (root / f.rel).string() << std::endl;
        return 0;
    } catch (const Refused& e) {
        console.err() << "gongkai: " << e.what() << std::endl;
        return 1;
    } catch (const std::exception& e) {
        console.fatal(e.what());
        return 2;
    }
}

}  // namespace gongkai
