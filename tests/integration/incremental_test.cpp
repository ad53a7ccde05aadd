// The incremental rebuild: a build with the cache (beside the output folder) writes exactly what a
// clean full build of the same commit writes, renders only the pages whose inputs changed, never
// trusts a damaged, foreign or stale cache, and keeps every trace of itself out of the site.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cache/build_cache.h"
#include "git/repository.h"
#include "git_repo.h"
#include "site.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::commit_at;
using gongkai::test::Files;
using gongkai::test::GitRepo;
using gongkai::test::listing;
using gongkai::test::read_file;
using gongkai::test::run;
using gongkai::test::says;
using gongkai::test::shell_quote;
using gongkai::test::source_themes_dir;
using gongkai::test::TempDir;
using gongkai::test::write_file;

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// Comparing two folders

std::string mode_of(const fs::file_status& st) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(st.permissions() & fs::perms::mask));
    return buf;
}

// Every entry below dir by relative path: "file:" and its bytes, "dir", "link:" and its target,
// or "other"; files and folders with their permissions ("file:0644:…", "dir:0755").
std::map<std::string, std::string> entries(const fs::path& dir) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        std::string rel = fs::relative(it->path(), dir).generic_string();
        auto st = fs::symlink_status(it->path());
        if (fs::is_symlink(st))
            out[rel] = "link:" + fs::read_symlink(it->path()).string();
        else if (fs::is_regular_file(st))
            out[rel] = "file:" + mode_of(st) + ":" + read_file(it->path());
        else if (fs::is_directory(st))
            out[rel] = "dir:" + mode_of(st);
        else
            out[rel] = "other";
    }
    return out;
}

std::string kind(const std::string& entry) {
    if (entry.starts_with("file:"))
        return "a file of " + std::to_string(entry.size() - 10) + " bytes, mode " + entry.substr(5, 4);
    if (entry.starts_with("dir:")) return "a folder, mode " + entry.substr(4);
    if (entry.starts_with("link:")) return "a symbolic link to " + entry.substr(5);
    return "a special file";
}

// How the folders a and b differ, the first few differences one per line; "" when both hold the
// same relative paths, of the same kinds and permissions, with the same bytes. Both must hold the
// site marker (which is compared like any other file).
std::string site_differences(const fs::path& a, const fs::path& b, std::size_t most = 12) {
    auto left = entries(a), right = entries(b);
    std::vector<std::string> out;
    for (const auto* side : {&a, &b})
        if (!fs::is_regular_file(*side / ".gongkai-site")) out.push_back("no .gongkai-site in " + side->string());
    if (left.empty()) out.push_back(a.string() + " is missing or empty");
    if (right.empty()) out.push_back(b.string() + " is missing or empty");
    std::size_t count = 0;
    for (const auto& [path, entry] : left) {
        auto it = right.find(path);
        if (it == right.end()) {
            ++count;
            out.push_back("only in the first (" + kind(entry) + "): " + path);
        } else if (it->second != entry) {
            ++count;
            std::string msg = "differs: " + path + " (" + kind(entry) + " vs " + kind(it->second);
            const std::string& x = entry;
            const std::string& y = it->second;
            std::size_t i = 0;
            while (i < x.size() && i < y.size() && x[i] == y[i]) ++i;
            if (x.starts_with("file:") && y.starts_with("file:") && i >= 10) {
                std::size_t from = std::max<std::size_t>(10, i >= 40 ? i - 40 : 0);
                msg += "; first difference at byte " + std::to_string(i - 10) + ": …" + x.substr(from, 100) + "… vs …" +
                       y.substr(from, 100) + "…";
            }
            out.push_back(msg + ")");
        }
    }
    for (const auto& [path, entry] : right)
        if (!left.contains(path)) {
            ++count;
            out.push_back("only in the second (" + kind(entry) + "): " + path);
        }
    if (out.empty()) return "";
    std::string text = "the folders differ (" + std::to_string(count) + " paths):\n  first:  " + a.string() +
                       "\n  second: " + b.string() + "\n";
    for (std::size_t i = 0; i < out.size() && i < most; ++i) text += "  " + out[i] + "\n";
    if (out.size() > most) text += "  … and " + std::to_string(out.size() - most) + " more\n";
    return text;
}

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

std::string joined(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// ---------------------------------------------------------------------------------------------
// The content

std::string two(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

std::string report_text(int month, int completion, const std::string& project, const std::string& extra = "") {
    return "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-" + two(month) + "-28\ndate = 2020-" + two(month) +
           "-28\ncompletion = " + std::to_string(completion) +
           "\n\n[goal_completion]\n\"1\" = " + std::to_string(std::min(100, completion + 5)) +
           "\n\"2\" = " + std::to_string(std::max(0, completion - 5)) +
           "\n+++\n## （一）目前进展情况\n\n### 1. 第一项\n\n项目 " + project + " 截至 " + std::to_string(month) +
           " 月的推进情况。" + extra + "\n\n## （二）存在的困难\n\n无。\n";
}

std::string project_text(const std::string& id, const std::string& title, const std::string& department,
                         const std::string& co = "") {
    return "+++\ntitle = \"" + title + "\"\nyear = 2020\nnumber = \"" + id.substr(5) +
           "\"\nstart = 2020-05-01\ndepartment = \"" + department + "\"\n" +
           (co.empty() ? "" : "co_departments = [\"" + co + "\"]\n") +
           "official = \"王副区长\"\ntarget = \"全年完成**全部**任务。\"\n\n[[goals]]\nid = \"1\"\ntitle = "
           "\"第一项\"\n\n"
           "[[goals]]\nid = \"2\"\ntitle = \"第二项\"\n+++\n落实：**推进** " +
           title + "。\n";
}

std::string settings(const std::string& title) {
    return "title = \"" + title +
           "\"\nlanguage = \"zh-CN\"\nbase_url = \"https://example.org/p/\"\npublisher = \"示例区人民政府\"\n"
           "programme = \"区政府重点工作\"\n\n[calendar]\nfrequency = \"monthly\"\ndue_day = 25\n";
}

// Three departments, four projects, five monthly reports each (May to September 2020).
Files site_content() {
    Files files;
    files["gongkai.toml"] = settings("示例区重点工作推进情况");
    files["departments/edu.toml"] = "name = \"示例区教育局\"\nshort_name = \"区教育局\"\n";
    files["departments/health.toml"] = "name = \"示例区卫生健康委员会\"\n";
    files["departments/transport.toml"] = "name = \"示例区交通委员会\"\n";
    files["projects/2020-101.md"] = project_text("2020-101", "建设标杆学校", "edu");
    files["projects/2020-102.md"] = project_text("2020-102", "完善社区卫生服务", "health", "edu");
    files["projects/2020-103.md"] = project_text("2020-103", "完善慢行交通网络", "transport");
    files["projects/2020-104.md"] = project_text("2020-104", "推进课后服务", "edu");
    int p = 0;
    for (const std::string project : {"2020-101", "2020-102", "2020-103", "2020-104"}) {
        for (int m = 5; m <= 9; ++m)
            files["reports/" + project + "/2020-" + two(m) + ".md"] = report_text(m, (m - 4) * 12 + p * 5, project);
        ++p;
    }
    // One warning, from a file no test changes: an empty section.
    files["reports/2020-103/2020-05.md"] += "\n## （三）下一步工作措施\n";
    return files;
}

std::string report_page(const std::string& project, const std::string& id) {
    return "projects/" + project + "/reports/" + id + "/index.html";
}

// Writes the report "<project>/<period>" at completion, its text made new by the n-th note, and
// commits it at when.
void commit_report(const GitRepo& repo, const std::string& report, int completion, int n, const std::string& when) {
    repo.write("reports/" + report + ".md",
               report_text(std::stoi(report.substr(report.size() - 2)), completion, report.substr(0, 8),
                           "第 " + std::to_string(n) + " 次修改。"));
    commit_at(repo, "修改 " + report, when);
}

// ---------------------------------------------------------------------------------------------
// Building

std::string describe(const BuildResult& r) {
    std::ostringstream s;
    s << "incremental=" << (r.incremental ? "true" : "false") << " pages_rendered=" << r.pages_rendered
      << " pages_total=" << r.pages_total << " full_reason=\"" << r.full_reason << "\"";
    return s.str();
}

// How a build reads and writes, besides its output folder and whether it uses the cache.
struct How {
    std::string ref = "HEAD";
    std::string themes = source_themes_dir();
    std::optional<std::string> base_url;
    bool worktree = false;  // the working tree's files, committed or not
    unsigned jobs = 1;
};

// Builds a commit of repo into out through the library, without failing the test when the
// content has errors.
BuildResult try_build(const std::string& repo_dir, const fs::path& out, bool cache, const How& how = {}) {
    git::Repository repository(repo_dir);
    git::CommitSource source(repository, how.ref, "", how.worktree);
    BuildOptions options;
    options.out = out;
    options.themes_dir = how.themes;
    options.base_url = how.base_url;
    options.cache = cache;
    options.jobs = how.jobs;
    return build_site(source, options);
}

BuildResult try_build(const GitRepo& repo, const fs::path& out, bool cache, const How& how = {}) {
    return try_build(repo.dir(), out, cache, how);
}

// The same; fails the test when the build does.
BuildResult build(const std::string& repo_dir, const fs::path& out, bool cache, const How& how = {}) {
    BuildResult result = try_build(repo_dir, out, cache, how);
    if (!result.ok())
        FAIL("the build into " << out.string() << (cache ? " with" : " without") << " the cache failed:\n"
                               << listing(result.diagnostics));
    return result;
}

BuildResult build(const GitRepo& repo, const fs::path& out, bool cache, const How& how = {}) {
    return build(repo.dir(), out, cache, how);
}

// A content repository and a folder for its sites: out() is built with the cache, again and
// again; each clean full build goes to a fresh folder in another place.
struct Series {
    GitRepo repo;
    std::string source = repo.dir();  // the repository built: repo, or a clone of it
    TempDir dir;                      // holds out() and its cache
    TempDir clean;                    // the clean full builds, one folder each
    How how;                          // for both kinds of build; how.jobs only for the clean ones
    std::string name = "site";
    int fresh = 0;

    Series() {
        repo.write(site_content());
        commit_at(repo, "发布各项目 5-9 月报告", "2020-10-20T09:00:00+08:00");
    }
    fs::path out() const { return dir / name; }
    fs::path cache() const { return cache_folder(out()); }
    // Builds from here on take their theme from a copy of the source tree's, made in folder, and
    // the first of them is made; the copy's theme is folder/themes/default.
    void use_theme_copy(const TempDir& folder) {
        fs::copy(source_themes_dir(), folder / "themes", fs::copy_options::recursive);
        how.themes = (folder / "themes").string();
        step("the first build with a copy of the theme");
    }

    // A clean full build, without the cache, into a folder never used before.
    fs::path full_build(BuildResult* result = nullptr) {
        fs::path folder = clean / ("full-" + std::to_string(++fresh)) / "site";
        BuildResult r = build(source, folder, false, how);
        CHECK_FALSE(r.incremental);
        CHECK(r.pages_total > 0);
        CHECK(r.pages_rendered == r.pages_total);
        CHECK_FALSE(fs::exists(cache_folder(folder)));
        if (result) *result = r;
        return folder;
    }

    // Commits one report's text anew (see commit_report), an hour after the last such commit.
    void change(const std::string& report, int completion) {
        commit_report(repo, report, completion, hour, "2020-10-20T" + two(hour) + ":00:00+08:00");
        ++hour;
    }
    int hour = 9;  // of change()'s next commit

    // The gongkai program's command line for a build into out() with the cache; options follow.
    // Builds into out() that must share a cache are all the program's or all the test program's:
    // one's cache is another build's to the other, and not used.
    std::string program_build() const {
        return shell_quote(GONGKAI_TEST_BINARY) + " build --repo " + shell_quote(source) + " --out " +
               shell_quote(out().string()) + " --theme-dir " + shell_quote(how.themes);
    }

    // Builds with the cache into out() and checks it against a clean full build.
    BuildResult step(const std::string& label, unsigned jobs = 2) {
        INFO("after: " << label);
        How cached_how = how;
        cached_how.jobs = jobs;
        BuildResult cached = build(source, out(), true, cached_how);
        INFO("the cached build: " << describe(cached));
        BuildResult full;
        fs::path reference = full_build(&full);
        CHECK(site_differences(reference, out()) == "");
        // The same problems are reported, cache or not.
        CHECK(listing(cached.diagnostics) == listing(full.diagnostics));
        CHECK(cached.pages_total == full.pages_total);
        CHECK(cached.pages_rendered <= cached.pages_total);
        if (!cached.incremental) CHECK_FALSE(cached.full_reason.empty());
        return cached;
    }
};

// A template of the default theme with text replaced by other text.
std::string edited_template(const std::string& name, const std::string& text, const std::string& by) {
    std::string all = read_file(fs::path(source_themes_dir()) / "default/templates" / (name + ".mustache"));
    auto at = all.find(text);
    if (at == std::string::npos) FAIL("the default theme's " << name << ".mustache no longer has " << text);
    all.replace(at, text.size(), by);
    return all;
}

// The default theme's report template with one word more, to tell its pages apart.
std::string edited_report_template(const std::string& word) {
    return edited_template("report", "<article class=\"gk-report\">",
                           "<article class=\"gk-report\" data-word=\"" + word + "\">");
}

// file with its first occurrence of text replaced by other text.
void edit_file(const fs::path& file, const std::string& text, const std::string& by) {
    std::string all = read_file(file);
    auto at = all.find(text);
    if (at == std::string::npos) FAIL(file.string() << " does not hold " << text);
    all.replace(at, text.size(), by);
    write_file(file, all);
}

// The cache's own files: every regular file in it, except the site files of a copy of the site
// it keeps. A folder is taken for a site copy when it holds the site marker, or a home page and a
// 404 page; inside it, a file is a site file when a clean build writes that path (site_paths),
// and anything else there (a manifest, say) is the cache's own.
std::vector<fs::path> cache_own_files(const fs::path& cache, const std::set<std::string>& site_paths,
                                      std::vector<fs::path>* site_copies) {
    std::vector<fs::path> out;
    auto is_site_copy = [](const fs::path& d) {
        return fs::exists(d / ".gongkai-site") || (fs::exists(d / "index.html") && fs::exists(d / "404.html"));
    };
    std::vector<fs::path> copies;
    for (auto it = fs::recursive_directory_iterator(cache); it != fs::recursive_directory_iterator(); ++it) {
        auto st = fs::symlink_status(it->path());
        if (fs::is_directory(st) && is_site_copy(it->path())) {
            copies.push_back(it->path());
            it.disable_recursion_pending();
            continue;
        }
        if (fs::is_regular_file(st)) out.push_back(it->path());
    }
    for (const auto& copy : copies) {
        for (auto it = fs::recursive_directory_iterator(copy); it != fs::recursive_directory_iterator(); ++it) {
            if (!fs::is_regular_file(fs::symlink_status(it->path()))) continue;
            std::string rel = fs::relative(it->path(), copy).generic_string();
            if (rel != ".gongkai-site" && !site_paths.contains(rel)) out.push_back(it->path());
        }
    }
    if (site_copies) *site_copies = copies;
    return out;
}

std::set<std::string> site_paths_of(const fs::path& site) {
    std::set<std::string> out;
    for (const auto& [path, entry] : entries(site))
        if (entry.starts_with("file:")) out.insert(path);
    return out;
}

void set_mode_writable(const fs::path& file) {
    std::error_code ec;
    fs::permissions(file, fs::perms::owner_write, fs::perm_options::add, ec);
}

struct Cli {
    int status = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs gongkai (the program at binary) with args, stdout and stderr apart.
Cli run_gongkai(const std::vector<std::string>& args, const std::string& binary = GONGKAI_TEST_BINARY) {
    TempDir tmp;
    std::string command = shell_quote(binary);
    for (const auto& a : args) command += " " + shell_quote(a);
    command = "{ " + command + " >" + shell_quote((tmp / "out").string()) + " 2>" +
              shell_quote((tmp / "err").string()) + "; }";
    auto r = run(command);
    Cli c{r.status, read_file(tmp / "out"), read_file(tmp / "err")};
    UNSCOPED_INFO("gongkai exited " << c.status << "; stdout:\n" << c.out << "stderr:\n" << c.err << r.output);
    return c;
}

bool has_line_with(const std::string& text, const std::string& what) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
        if (line.find(what) != std::string::npos) return true;
    return false;
}

}  // namespace

// 1 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: after every kind of change the cached build writes what a clean full build writes",
          "[integration][incremental]") {
    Series s;
    BuildResult first = s.step("the first commit");
    INFO("the first build: " << describe(first));
    CHECK_FALSE(first.incremental);
    CHECK_FALSE(first.full_reason.empty());
    CHECK(gongkai::test::has_warning(first.diagnostics, "reports/2020-103/2020-05.md", gongkai::test::any_line, ""));
    // Every project starts in May and has reported every month since: nothing is overdue yet.
    CHECK(gongkai::test::never_says(s.out(), "index.html", "gk-tag--late"));

    s.repo.write("reports/2020-101/2020-07.md", report_text(7, 36, "2020-101", "另外补充了一句说明。"));
    commit_at(s.repo, "修改 2020-101 七月报告正文", "2020-10-20T10:00:00+08:00");
    s.step("one report's body changed");

    // The latest report of 2020-102: the project's, its department's and the co-department's figures move.
    s.repo.write("reports/2020-102/2020-09.md", report_text(9, 97, "2020-102"));
    commit_at(s.repo, "更正 2020-102 九月完成率", "2020-10-20T11:00:00+08:00");
    s.step("one report's completion changed");

    // Back to the bytes it was first published with: an old blob, a new amendment.
    s.repo.write("reports/2020-101/2020-07.md", report_text(7, 36, "2020-101"));
    commit_at(s.repo, "恢复 2020-101 七月报告原文", "2020-10-20T11:30:00+08:00");
    s.step("a report changed back to what it was");

    s.repo.write("reports/2020-103/2020-10.md", report_text(10, 88, "2020-103"));
    commit_at(s.repo, "发布 2020-103 十月报告", "2020-10-20T12:00:00+08:00");
    s.step("a report added");

    s.repo.git("mv reports/2020-104/2020-06.md reports/2020-104/2020-06-r.md");
    commit_at(s.repo, "重命名 2020-104 六月报告", "2020-10-20T13:00:00+08:00");
    s.step("a report renamed (a new id)");

    s.repo.git("rm -q reports/2020-101/2020-05.md");
    commit_at(s.repo, "删除 2020-101 五月报告", "2020-10-20T14:00:00+08:00");
    s.step("a report deleted");
    CHECK(says(s.out(), "projects/2020-101/index.html", "逾期未报"));  // May's report is missing now
    CHECK(says(s.out(), "index.html", "gk-tag--late"));
    CHECK(gongkai::test::never_says(s.out(), "projects/2020-102/index.html", "逾期未报"));

    // Every report at once: a build that reuses the site renders most bodies again, and makes
    // data/reports.json after the pages rather than beside them.
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(s.repo.dir()) / "reports"))
        if (entry.is_regular_file()) write_file(entry.path(), read_file(entry.path()) + "\n全部报告补充一句。\n");
    commit_at(s.repo, "每份报告补充一句", "2020-10-20T14:30:00+08:00");
    s.step("every report's body changed");

    s.repo.write("projects/2020-105.md", project_text("2020-105", "新增发热门诊", "health"));
    s.repo.write("reports/2020-105/2020-09.md", report_text(9, 20, "2020-105"));
    commit_at(s.repo, "新增项目 2020-105", "2020-10-20T15:00:00+08:00");
    s.step("a project added with a report");

    s.repo.git("rm -q -r projects/2020-103.md reports/2020-103");
    commit_at(s.repo, "删除项目 2020-103", "2020-10-20T16:00:00+08:00");
    s.step("a project deleted with its reports");

    s.repo.write("departments/health.toml", "name = \"示例区卫生健康委\"\n");
    commit_at(s.repo, "卫生健康委更名", "2020-10-20T17:00:00+08:00");
    s.step("a department renamed");

    // edu is 2020-102's co-department.
    s.repo.write("departments/edu.toml", "name = \"示例区教育局\"\nshort_name = \"教育局\"\n");
    commit_at(s.repo, "教育局简称", "2020-10-20T17:15:00+08:00");
    s.step("a co-department's short name changed");

    s.repo.write("projects/2020-104.md", project_text("2020-104", "全面推进课后服务", "edu"));
    commit_at(s.repo, "修改 2020-104 标题", "2020-10-20T17:30:00+08:00");
    s.step("a project's title changed");

    s.repo.write("gongkai.toml", settings("示例区 2020 年重点工作推进情况"));
    commit_at(s.repo, "修改站点标题", "2020-10-20T18:00:00+08:00");
    s.step("the site's title changed (gongkai.toml)");

    s.repo.write("templates/report.mustache", edited_report_template("甲"));
    commit_at(s.repo, "改写报告模板", "2020-10-20T19:00:00+08:00");
    s.step("a template override added");
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "data-word=\"甲\""));

    s.repo.write("templates/report.mustache", edited_report_template("乙"));
    commit_at(s.repo, "再改报告模板", "2020-10-20T19:30:00+08:00");
    s.step("the template override changed");
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "data-word=\"乙\""));

    s.repo.write("templates/footer.mustache", edited_template("footer", "<footer class=\"gk-footer\">",
                                                              "<footer class=\"gk-footer\" data-word=\"丁\">"));
    commit_at(s.repo, "改写页脚", "2020-10-20T19:45:00+08:00");
    s.step("a partial overridden (templates/footer.mustache)");
    CHECK(says(s.out(), "departments/edu/index.html", "data-word=\"丁\""));

    s.repo.write("static/files/notice.txt", "通知\n");
    commit_at(s.repo, "添加静态文件", "2020-10-20T20:00:00+08:00");
    s.step("a static file added");

    s.repo.write("static/files/notice.txt", "通告\n");  // the same length
    commit_at(s.repo, "修改静态文件", "2020-10-20T20:10:00+08:00");
    s.step("a static file changed");

    s.repo.write("README.md", "# 说明\n");
    commit_at(s.repo, "添加说明", "2020-10-20T20:20:00+08:00");
    s.step("a file outside the content added");

    s.repo.git("rm -q -r templates static");
    commit_at(s.repo, "删除模板和静态文件", "2020-10-20T20:30:00+08:00");
    s.step("the template override and the static file removed");

    // Months later with nothing changed: "today" moves, reports fall overdue, projects behind.
    commit_at(s.repo, "无改动", "2021-03-10T09:00:00+08:00");
    s.step("a commit months later without changes");
    // The judgements moved: reports are overdue now.
    CHECK(says(s.out(), "projects/2020-104/index.html", "逾期未报"));

    commit_at(s.repo, "空提交", "2021-03-10T15:00:00+08:00");
    s.step("an empty commit on the same day");

    // The same commit again.
    BuildResult again = s.step("nothing at all (the same commit built again)");
    INFO("the same commit again: " << describe(again));
    CHECK(again.incremental);
}

// 2 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: a change to one report's text renders few pages, a change to the settings all",
          "[integration][incremental]") {
    Series s;
    BuildResult first = s.step("the first commit");
    INFO("the first build: " << describe(first));
    CHECK_FALSE(first.incremental);
    CHECK_FALSE(first.full_reason.empty());
    CHECK(first.pages_rendered == first.pages_total);
    // Home, departments, 3 departments, 4 projects, 20 reports, 404 at least.
    CHECK(first.pages_total >= 29);

    BuildResult same = s.step("the same commit built again");
    INFO("the same commit again: " << describe(same));
    CHECK(same.incremental);
    CHECK(same.pages_rendered == 0);

    s.repo.write("reports/2020-101/2020-07.md", report_text(7, 36, "2020-101", "正文新增一句：已完成验收。"));
    commit_at(s.repo, "修改 2020-101 七月报告正文", "2020-10-20T11:00:00+08:00");
    BuildResult body = s.step("one report's body changed");
    INFO("after the body change: " << describe(body));
    CHECK(body.incremental);
    CHECK(body.pages_rendered >= 1);
    CHECK(body.pages_rendered * 3 <= body.pages_total);
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "正文新增一句：已完成验收。"));
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "正文有改动"));

    s.repo.write("gongkai.toml", settings("示例区 2020 年重点工作推进情况"));
    commit_at(s.repo, "修改站点标题", "2020-10-20T12:00:00+08:00");
    BuildResult title = s.step("the site's title changed");
    INFO("after the title change: " << describe(title));
    CHECK(title.pages_rendered == title.pages_total);
    CHECK(says(s.out(), "index.html", "示例区 2020 年重点工作推进情况"));
    CHECK(says(s.out(), report_page("2020-104", "2020-09"), "示例区 2020 年重点工作推进情况"));
}

// 3 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: a theme changed between two builds of one commit is rendered again",
          "[integration][incremental]") {
    Series s;
    TempDir copy;
    s.use_theme_copy(copy);

    write_file(copy / "themes/default/templates/report.mustache", edited_report_template("丙"));
    BuildResult edited = s.step("the theme's report template edited (the same commit)");
    INFO("after the theme's edit: " << describe(edited));
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "data-word=\"丙\""));
    CHECK(says(s.out(), report_page("2020-104", "2020-05"), "data-word=\"丙\""));
    CHECK(gongkai::test::file_lacks(s.out(), "projects/2020-101/index.html", "data-word"));
    // Every report page at least, 20 of them.
    CHECK(edited.pages_rendered >= 20);

    // Every page and every data entry made again: a report's Markdown, read from git for its
    // page and let go after, is read again for its entry.
    write_file(copy / "themes/default/templates/report.mustache", edited_report_template("戊"));
    fs::remove(s.out() / "data/reports.json");
    BuildResult both = s.step("the template edited again, and data/reports.json removed by hand");
    CHECK(both.entries_kept == 0);
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "data-word=\"戊\""));

    edit_file(copy / "themes/default/i18n/zh-CN.toml", "nav_home = \"首页\"", "nav_home = \"主页\"");
    s.step("a string of the theme's language edited");
    CHECK(says(s.out(), "departments/edu/index.html", "主页"));

    edit_file(copy / "themes/default/static/assets/style.css", "gongkai default theme.", "gongkai default theme!");
    s.step("the theme's style sheet edited (the same length)");
    CHECK(says(s.out(), "assets/style.css", "gongkai default theme!"));

    fs::remove(copy / "themes/default/static/assets/favicon.svg");
    s.step("a static file of the theme removed");
    CHECK_FALSE(fs::exists(s.out() / "assets/favicon.svg"));

    // Back to the source tree's theme, which the copy was made from.
    s.how.themes = source_themes_dir();
    s.step("back to the original themes folder");
    CHECK(gongkai::test::file_lacks(s.out(), report_page("2020-101", "2020-07"), "data-word"));
}

// 4 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: a damaged cache is not trusted and the build is right and full", "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-102/2020-06.md", report_text(6, 30, "2020-102", "补充。"));
    commit_at(s.repo, "修改 2020-102 六月报告", "2020-10-20T10:00:00+08:00");
    s.step("a second commit, so that the cache has been used once");

    std::vector<fs::path> site_copies;
    auto files = cache_own_files(s.cache(), site_paths_of(s.out()), &site_copies);
    {
        std::string found;
        for (const auto& f : files) found += "  " + fs::relative(f, s.cache()).string() + "\n";
        for (const auto& d : site_copies) found += "  (site copy) " + fs::relative(d, s.cache()).string() + "/\n";
        INFO("the cache " << s.cache().string() << " holds:\n" << found);
        REQUIRE_FALSE(files.empty());
    }

    SECTION("every file overwritten with garbage of the same length") {
        for (const auto& f : files) {
            set_mode_writable(f);
            std::string bytes = read_file(f);
            for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131 + 7) & 0xff);
            if (bytes.empty()) bytes = "garbage";
            write_file(f, bytes);
        }
    }
    SECTION("every file cut to half its length") {
        for (const auto& f : files) {
            set_mode_writable(f);
            fs::resize_file(f, fs::file_size(f) / 2);
        }
    }
    SECTION("every file emptied") {
        for (const auto& f : files) {
            set_mode_writable(f);
            fs::resize_file(f, 0);
        }
    }
    SECTION("every file replaced by text that looks like anything else") {
        for (const auto& f : files) {
            set_mode_writable(f);
            write_file(f, "{\"version\": 1, \"entries\": []}\n[cache]\nversion = 1\n");
        }
    }

    s.repo.write("reports/2020-103/2020-08.md", report_text(8, 55, "2020-103", "再补充。"));
    commit_at(s.repo, "修改 2020-103 八月报告", "2020-10-20T11:00:00+08:00");
    BuildResult after = s.step("the cache damaged, then a commit");
    INFO("after the damage: " << describe(after));
    CHECK_FALSE(after.incremental);
    CHECK_FALSE(after.full_reason.empty());

    // And the build after that is incremental again from the cache it wrote.
    s.repo.write("reports/2020-103/2020-07.md", report_text(7, 41, "2020-103", "又补充。"));
    commit_at(s.repo, "修改 2020-103 七月报告", "2020-10-20T12:00:00+08:00");
    BuildResult healed = s.step("a commit after the full build");
    INFO("the build after that: " << describe(healed));
    CHECK(healed.incremental);
}

TEST_CASE("incremental: a page changed in the cache's copy of the site does not reach the output",
          "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-104/2020-05.md", report_text(5, 20, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 五月报告", "2020-10-20T09:30:00+08:00");
    s.step("a second commit, after which the cache keeps the site it replaced");
    std::vector<fs::path> site_copies;
    cache_own_files(s.cache(), site_paths_of(s.out()), &site_copies);
    if (site_copies.empty()) {
        WARN("the cache " << s.cache().string() << " holds no copy of the site that this test recognises");
        return;
    }
    const std::string page = report_page("2020-101", "2020-06");
    // The copies' page, its text changed at the same length and put in place by put, its time put
    // back.
    auto tamper = [&](const std::function<void(const fs::path& file, const std::string& bytes)>& put) {
        int changed_pages = 0;
        for (const auto& copy : site_copies) {
            if (!fs::exists(copy / page)) continue;
            ++changed_pages;
            std::string changed = read_file(copy / page);
            auto at = changed.find("推进情况");
            REQUIRE(at != std::string::npos);
            changed.replace(at, std::string("推进情况").size(), "篡改内容");  // the same length
            const auto when = fs::last_write_time(copy / page);
            put(copy / page, changed);
            fs::last_write_time(copy / page, when);
        }
        REQUIRE(changed_pages > 0);
    };
    SECTION("written over in place") {
        tamper([](const fs::path& file, const std::string& bytes) {
            set_mode_writable(file);
            write_file(file, bytes);
        });
    }
    // The copy's files that are links to published files found as written are not looked at again
    // while their folder is as recorded.
    SECTION("replaced by another file") {
        // Which changes the folder, and the inode it replaced, which the published page shares.
        tamper([&](const fs::path& file, const std::string& bytes) {
            REQUIRE(fs::equivalent(file, s.out() / page));  // a link to the published page
            const fs::path other = file.string() + ".other";
            write_file(other, bytes);
            fs::rename(other, file);
        });
    }
    SECTION("in a new folder put where its folder was, which was moved aside") {
        // The published page's inode is as it was: only its folder tells that the name now leads
        // to another file.
        tamper([&](const fs::path& file, const std::string& bytes) {
            REQUIRE(fs::equivalent(file, s.out() / page));  // a link to the published page
            const fs::path folder = file.parent_path();
            const fs::path aside = folder.string() + "-aside";
            fs::rename(folder, aside);
            fs::create_directories(folder);
            write_file(file, bytes);
            REQUIRE(fs::equivalent(s.out() / page, aside / file.filename()));  // still the published page's
        });
    }
    s.repo.write("reports/2020-102/2020-07.md", report_text(7, 31, "2020-102", "补充。"));
    commit_at(s.repo, "修改 2020-102 七月报告", "2020-10-20T10:00:00+08:00");
    s.step("a page of the cache's site copy changed, then a commit changing another report");
    CHECK(gongkai::test::file_lacks(s.out(), page, "篡改内容"));
}

TEST_CASE("incremental: another site's cache is not taken for this one's", "[integration][incremental]") {
    Series a;  // site A
    Series b;  // site B: another repository, with other content and other dates
    b.repo.write("reports/2020-101/2020-08.md", report_text(8, 50, "2020-101", "B 站的内容。"));
    b.repo.write("departments/edu.toml", "name = \"另一区教育局\"\n");
    commit_at(b.repo, "B 站的修改", "2020-11-03T10:00:00+08:00");
    a.step("site A's first build");
    b.step("site B's first build");
    REQUIRE(fs::is_directory(a.cache()));
    REQUIRE(fs::is_directory(b.cache()));

    fs::remove_all(b.cache());
    fs::copy(a.cache(), b.cache(), fs::copy_options::recursive | fs::copy_options::copy_symlinks);

    SECTION("the same commit of B built again") {
        BuildResult r = b.step("A's cache copied over B's, B built again");
        INFO(describe(r));
        if (!r.incremental) CHECK_FALSE(r.full_reason.empty());
    }
    SECTION("a new commit of B built") {
        b.repo.write("reports/2020-104/2020-09.md", report_text(9, 99, "2020-104", "B 站新改动。"));
        commit_at(b.repo, "B 站再修改", "2020-11-03T11:00:00+08:00");
        BuildResult r = b.step("A's cache copied over B's, then a commit to B");
        INFO(describe(r));
        if (!r.incremental) CHECK_FALSE(r.full_reason.empty());
    }
    // Site A is untouched by all this.
    a.step("site A built again");
}

TEST_CASE("incremental: a page edited by hand in the output is written again", "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    const std::string page = report_page("2020-101", "2020-06");
    fs::path file = s.out() / page;
    std::string original = read_file(file);
    REQUIRE(original.find("推进情况") != std::string::npos);
    auto when = fs::last_write_time(file);

    SECTION("other bytes of another length") {
        write_file(file, original + "<!-- 手工修改 -->\n");
    }
    SECTION("other bytes of the same length") {
        std::string changed = original;
        changed.replace(changed.find("推进情况"), std::string("推进情况").size(), "手工修改");
        REQUIRE(changed.size() == original.size());
        write_file(file, changed);
    }
    SECTION("other bytes of the same length and the same modification time") {
        std::string changed = original;
        changed.replace(changed.find("推进情况"), std::string("推进情况").size(), "手工修改");
        write_file(file, changed);
        fs::last_write_time(file, when);
    }
    SECTION("the page deleted") {
        fs::remove(file);
    }
    SECTION("a folder, with a file in it, in the page's place") {
        fs::remove(file);
        fs::create_directories(file / "x");
        write_file(file / "x/y.html", "手工");
    }
    REQUIRE(read_file(s.out() / "index.html").size() > 0);

    // A commit that changes a different report.
    s.repo.write("reports/2020-102/2020-07.md", report_text(7, 31, "2020-102", "补充。"));
    commit_at(s.repo, "修改 2020-102 七月报告", "2020-10-20T10:00:00+08:00");
    s.step("a page of the output edited by hand, then a commit changing another report");
    CHECK(read_file(file) == original);
    // The copy edited by hand is the one the next build brings up to date and publishes.
    s.step("a build of the same commit");
    CHECK(read_file(file) == original);
}

TEST_CASE("incremental: report entries are taken from the published data only as the last build wrote them",
          "[integration][incremental]") {
    // The cache keeps where each entry of data/reports.json is, not the entry: the next build
    // reads the unchanged ones back from the published file.
    Series s;
    s.step("the first commit");
    fs::path file = s.out() / "data/reports.json";
    const std::string original = read_file(file);
    const std::string said = "项目 2020-101 截至 6 月的推进情况。";
    REQUIRE(original.find(said) != std::string::npos);
    auto when = fs::last_write_time(file);
    // 20 reports, one of them with a warning: a file with a problem is never cached, so its
    // entry is made by every build.
    const std::size_t cached = 19;
    // Left as it was, every cached entry but the changed report's is taken from the file.
    std::size_t kept = cached - 1;

    SECTION("the file as published") {
    }
    SECTION("an entry's text changed, at the same length and modification time") {
        kept = 0;
        std::string changed = original;
        changed.replace(changed.find(said), std::string("推进情况").size(), "手工修改");
        REQUIRE(changed.size() == original.size());
        write_file(file, changed);
        fs::last_write_time(file, when);
    }
    SECTION("a byte put in before every entry") {
        kept = 0;
        std::string changed = original;
        changed.insert(changed.find('['), " ");
        write_file(file, changed);
    }
    SECTION("the file cut short") {
        kept = 0;
        write_file(file, original.substr(0, original.size() / 2));
    }
    SECTION("the file deleted") {
        kept = 0;
        fs::remove(file);
    }
    SECTION("a folder in its place") {
        kept = 0;
        fs::remove(file);
        fs::create_directories(file / "x");
    }
    // A commit that changes a different report: the edited entry is not one the build makes anew.
    s.repo.write("reports/2020-102/2020-07.md", report_text(7, 31, "2020-102", "补充。"));
    commit_at(s.repo, "修改 2020-102 七月报告", "2020-10-20T10:00:00+08:00");
    BuildResult r = s.step("data/reports.json edited by hand, then a commit changing another report");
    CHECK(r.incremental);
    CHECK(r.entries_kept == kept);
    CHECK(read_file(file).find(said) != std::string::npos);
    // The next build, after no commit, takes every cached entry from the file this one wrote;
    // the copy of the site it writes into is the one edited by hand above.
    BuildResult again = s.step("a build of the same commit");
    CHECK(again.entries_kept == cached);
}

// 5 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: data/reports.json made in several batches has every entry once, in order",
          "[integration][incremental]") {
    // 116 reports: data/reports.json is made in four batches (three of 32, a thirty-second of the
    // reports but at least 32, and one of 20), each written while the next batch's entries are
    // made.
    Series s;
    for (int p = 0; p < 12; ++p) {
        const std::string id = "2020-2" + two(p);
        s.repo.write("projects/" + id + ".md", project_text(id, "批量项目 " + std::to_string(p), "transport"));
        for (int m = 1; m <= 8; ++m)
            s.repo.write("reports/" + id + "/2020-" + two(m) + ".md", report_text(m, m * 11 + p, id));
    }
    commit_at(s.repo, "新增十二个项目", "2020-10-20T09:30:00+08:00");
    const unsigned jobs = GENERATE(1u, 2u, 3u);
    INFO("-j " << jobs);
    // Each report's entry once, in the order of the reports' paths, with the text it has now
    // (the clean build each step compares with makes the file the same way).
    auto entries_in_order = [&] {
        const std::string json = read_file(s.out() / "data/reports.json");
        std::vector<fs::path> reports;
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(s.repo.dir()) / "reports"))
            if (entry.is_regular_file()) reports.push_back(entry.path());
        std::sort(reports.begin(), reports.end());
        REQUIRE(reports.size() == 116);
        std::size_t at = 0;
        for (const fs::path& report : reports) {
            const std::string project = report.parent_path().filename().string(), id = report.stem().string();
            INFO("the entry of " << project << "/" << id);
            const std::string url = "\"url\": \"https://example.org/p/projects/" + project + "/reports/" + id + "/\"";
            const std::size_t found = json.find(url, at);
            REQUIRE(found != std::string::npos);
            CHECK(json.find(url, found + 1) == std::string::npos);
            // The entry's Markdown, as a JSON string holds it: its lines joined by \n.
            const std::string whole = read_file(report);
            const std::string said = whole.substr(whole.find("\n+++\n") + 5);
            std::string escaped;
            for (char c : said) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
            const std::size_t text = json.find(escaped);
            REQUIRE(text != std::string::npos);
            CHECK(json.rfind("\"url\": ", text) == found);  // within this entry, not another's
            at = found + url.size();
        }
    };
    BuildResult first = s.step("116 reports", jobs);
    REQUIRE(first.pages_total > 116);
    entries_in_order();
    // Reports changed in the first, a middle and the last batch (by their order in the file,
    // the order of their paths): those entries are made, the runs between them copied.
    s.change("2020-101/2020-06", 40);
    s.repo.write("reports/2020-206/2020-03.md", report_text(3, 77, "2020-206", "中间一批。"));
    s.repo.write("reports/2020-211/2020-08.md", report_text(8, 99, "2020-211", "最后一批。"));
    commit_at(s.repo, "修改三份报告", "2020-10-20T11:00:00+08:00");
    BuildResult r = s.step("three reports changed, in three batches", jobs);
    CHECK(r.incremental);
    CHECK(r.entries_kept == 115 - 3);  // 2020-103/2020-05, with its warning, is never cached
    const std::string json = read_file(s.out() / "data/reports.json");
    CHECK(json.find("中间一批。") != std::string::npos);
    CHECK(json.find("最后一批。") != std::string::npos);
    entries_in_order();
    // Every report's entry made again, in batches: each is written while the next is made.
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(s.repo.dir()) / "reports"))
        if (entry.is_regular_file()) write_file(entry.path(), read_file(entry.path()) + "\n全部补充。\n");
    commit_at(s.repo, "每份报告补充一句", "2020-10-20T12:00:00+08:00");
    BuildResult all = s.step("every report changed", jobs);
    CHECK(all.entries_kept == 0);
    entries_in_order();
}

TEST_CASE("incremental: nothing of the cache is in the output, and the cache is beside it and private",
          "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-104/2020-08.md", report_text(8, 52, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 八月报告", "2020-10-20T10:00:00+08:00");
    s.step("a second commit");

    fs::path reference = s.full_build();
    auto produced = entries(reference);
    std::vector<std::string> foreign;
    for (const auto& [path, entry] : entries(s.out()))
        if (path != ".gongkai-site" && !produced.contains(path)) foreign.push_back(path);
    {
        std::string list;
        for (const auto& f : foreign) list += "  " + f + "\n";
        INFO("in the output but not written by a build without the cache:\n" << list);
        CHECK(foreign.empty());
    }
    for (const auto& [path, entry] : entries(s.out())) {
        INFO(path);
        CHECK(path.find("gongkai-cache") == std::string::npos);
    }

    // Beside the output, named after it, and readable by its owner only.
    CHECK(cache_folder(s.out()) == s.out().parent_path() / ".site.gongkai-cache");
    CHECK(cache_folder(fs::path("/srv/www/progress")) == fs::path("/srv/www/.progress.gongkai-cache"));
    REQUIRE(fs::is_directory(s.cache()));
    CHECK((fs::status(s.cache()).permissions() & fs::perms::mask) == fs::perms::owner_all);
    // Nothing else is left beside the output: no temporary folders.
    CHECK(joined(names_in(s.dir.path())) == joined({".site.gongkai-cache", "site"}));
}

TEST_CASE("incremental: a build without the cache leaves an existing cache alone and the next cached build is right",
          "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    auto before = entries(s.cache());
    REQUIRE_FALSE(before.empty());

    s.repo.write("reports/2020-101/2020-09.md", report_text(9, 60, "2020-101", "补充。"));
    commit_at(s.repo, "修改 2020-101 九月报告", "2020-10-20T10:00:00+08:00");
    BuildResult plain = build(s.repo, s.out(), false);
    INFO("the build without the cache: " << describe(plain));
    CHECK_FALSE(plain.incremental);
    CHECK(plain.pages_rendered == plain.pages_total);
    CHECK(entries(s.cache()) == before);
    CHECK(site_differences(s.full_build(), s.out()) == "");

    // Once more, so that a new output folder may get the number of the one the cache describes.
    s.repo.write("reports/2020-103/2020-09.md", report_text(9, 62, "2020-103", "补充。"));
    commit_at(s.repo, "修改 2020-103 九月报告", "2020-10-20T10:30:00+08:00");
    build(s.repo, s.out(), false);
    CHECK(entries(s.cache()) == before);

    s.repo.write("reports/2020-102/2020-09.md", report_text(9, 61, "2020-102", "再补充。"));
    commit_at(s.repo, "修改 2020-102 九月报告", "2020-10-20T11:00:00+08:00");
    s.step("a cached build after a build without the cache");
}

// 6 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: gongkai build --no-cache writes no cache, and -v says full or incremental",
          "[integration][incremental]") {
    GitRepo repo;
    repo.write(site_content());
    commit_at(repo, "发布", "2020-10-20T09:00:00+08:00");
    TempDir dir;
    fs::path out = dir / "site";
    std::vector<std::string> args = {"build",      "--repo",      repo.dir(),         "--out",
                                     out.string(), "--theme-dir", source_themes_dir()};
    auto with = [&](std::vector<std::string> more) {
        std::vector<std::string> all = args;
        all.insert(all.end(), more.begin(), more.end());
        return all;
    };

    Cli plain = run_gongkai(with({"--no-cache"}));
    REQUIRE(plain.status == 0);
    CHECK(fs::exists(out / "index.html"));
    CHECK_FALSE(fs::exists(cache_folder(out)));
    CHECK(joined(names_in(dir.path())) == "site");

    Cli first = run_gongkai(with({"-v"}));
    REQUIRE(first.status == 0);
    CHECK(has_line_with(first.err, "full build"));
    CHECK_FALSE(has_line_with(first.err, "incremental build"));
    CHECK(fs::is_directory(cache_folder(out)));

    repo.write("reports/2020-101/2020-07.md", report_text(7, 36, "2020-101", "补充。"));
    commit_at(repo, "修改", "2020-10-20T10:00:00+08:00");
    Cli second = run_gongkai(with({"-v"}));
    REQUIRE(second.status == 0);
    CHECK(has_line_with(second.err, "incremental build"));

    // --no-cache -v is never incremental, and the output is a clean build's.
    repo.write("reports/2020-101/2020-09.md", report_text(9, 61, "2020-101", "补充。"));
    commit_at(repo, "又修改", "2020-10-20T12:00:00+08:00");
    Cli none = run_gongkai(with({"--no-cache", "-v"}));
    REQUIRE(none.status == 0);
    CHECK_FALSE(has_line_with(none.err, "incremental build"));
    TempDir other;
    Cli clean = run_gongkai({"build", "--repo", repo.dir(), "--out", (other / "site").string(), "--theme-dir",
                             source_themes_dir(), "--no-cache"});
    REQUIRE(clean.status == 0);
    CHECK(site_differences(other / "site", out) == "");
    CHECK_FALSE(fs::exists(cache_folder(other / "site")));
}

// A copy of the gongkai program at to whose GNU build id differs from the original's in one bit:
// to the build cache, another build of gongkai. Returns whether the copy was made.
bool copy_as_another_build(const fs::path& to) {
    std::string bytes = read_file(GONGKAI_TEST_BINARY);
    // The note: a name of 4 bytes, the id's length, NT_GNU_BUILD_ID (3), "GNU", then the id.
    const std::string type_and_name("\x03\0\0\0GNU\0", 8);
    std::size_t id = std::string::npos;
    for (auto at = bytes.find(type_and_name, 8); at != std::string::npos; at = bytes.find(type_and_name, at + 1)) {
        if (bytes.compare(at - 8, 4, std::string("\x04\0\0\0", 4)) != 0 || bytes[at - 4] == 0) continue;
        if (id != std::string::npos) return false;  // two: which is it?
        id = at + type_and_name.size();
    }
    if (id == std::string::npos || id >= bytes.size()) return false;
    bytes[id] ^= 1;
    write_file(to, bytes);
    fs::permissions(to, fs::perms::owner_all);
    return true;
}

TEST_CASE("incremental: a cache written by another build of gongkai is not used", "[integration][incremental]") {
    GitRepo repo;
    repo.write(site_content());
    commit_at(repo, "发布", "2020-10-20T09:00:00+08:00");
    TempDir dir;
    const fs::path out = dir / "site";
    const std::vector<std::string> args = {"build",      "--repo",      repo.dir(),         "--out",
                                           out.string(), "--theme-dir", source_themes_dir(), "-v"};
    const std::string other = (dir / "gongkai-rebuilt").string();
    REQUIRE(copy_as_another_build(other));
    auto same_as_clean = [&] {
        TempDir clean;
        Cli c = run_gongkai({"build", "--repo", repo.dir(), "--out", (clean / "site").string(), "--theme-dir",
                             source_themes_dir(), "--no-cache"});
        REQUIRE(c.status == 0);
        return site_differences(clean / "site", out);
    };
    auto change = [&, month = 5]() mutable {
        repo.write("reports/2020-101/2020-0" + std::to_string(month) + ".md",
                   report_text(month, 30 + month, "2020-101", "补充。"));
        commit_at(repo, "修改", "2020-10-20T1" + std::to_string(month) + ":00:00+08:00");
        ++month;
    };

    REQUIRE(run_gongkai(args).status == 0);
    change();
    Cli same = run_gongkai(args);
    REQUIRE(same.status == 0);
    CHECK(has_line_with(same.err, "incremental build"));

    // The same version, the same options, a program built otherwise: a full build, which says why.
    change();
    Cli rebuilt = run_gongkai(args, other);
    REQUIRE(rebuilt.status == 0);
    CHECK(has_line_with(rebuilt.err, "full build: it was written by another build of gongkai"));
    CHECK_FALSE(has_line_with(rebuilt.err, "incremental build"));
    CHECK(same_as_clean() == "");
    // Its own cache it uses.
    change();
    Cli again = run_gongkai(args, other);
    REQUIRE(again.status == 0);
    CHECK(has_line_with(again.err, "incremental build"));
    CHECK(same_as_clean() == "");
    // And the first program does not use the other's.
    change();
    Cli back = run_gongkai(args);
    REQUIRE(back.status == 0);
    CHECK(has_line_with(back.err, "another build of gongkai"));
    CHECK(same_as_clean() == "");
}

// More ways to come to a commit -------------------------------------------------------------------

TEST_CASE("incremental: an older commit, another branch, a merge and rewritten history are built right",
          "[integration][incremental]") {
    Series s;
    std::string seeded = s.repo.git("rev-parse HEAD").substr(0, 40);
    s.repo.write("reports/2020-101/2020-07.md", report_text(7, 36, "2020-101", "第一次修改。"));
    std::string second = commit_at(s.repo, "修改 2020-101 七月报告", "2020-10-21T10:00:00+08:00");
    s.repo.write("reports/2020-102/2020-09.md", report_text(9, 95, "2020-102"));
    commit_at(s.repo, "更正 2020-102 九月完成率", "2020-10-22T10:00:00+08:00");
    s.repo.write("reports/2020-101/2020-07.md", report_text(7, 36, "2020-101", "第二次修改。"));
    commit_at(s.repo, "再修改 2020-101 七月报告", "2020-10-23T10:00:00+08:00");
    s.step("the newest commit");

    s.how.ref = second;
    s.step("an older commit (--ref)");
    CHECK(gongkai::test::file_lacks(s.out(), report_page("2020-101", "2020-07"), "第二次修改"));
    s.how.ref = seeded;
    s.step("the first commit (--ref)");
    s.how.ref = "HEAD";
    s.step("the newest commit again");

    // A branch from the second commit, built, then merged.
    s.repo.git("checkout -q -b side " + second);
    s.repo.write("reports/2020-104/2020-08.md", report_text(8, 70, "2020-104", "分支上的修改。"));
    commit_at(s.repo, "分支：修改 2020-104 八月报告", "2020-10-24T10:00:00+08:00");
    s.step("a commit on another branch");
    s.repo.git("checkout -q main");
    s.step("back to main");
    s.repo.git("merge -q --no-ff -m merge side");
    s.step("the branch merged");

    // The last commit amended, the one before it dropped: the cached commit is in no history.
    s.repo.git("reset -q --hard HEAD~1");
    s.repo.write("reports/2020-103/2020-06.md", report_text(6, 40, "2020-103", "改写历史。"));
    commit_at(s.repo, "改写：修改 2020-103 六月报告", "2020-10-25T10:00:00+08:00");
    s.step("history rewritten (reset and a new commit)");
    s.repo.write("reports/2020-103/2020-06.md", report_text(6, 41, "2020-103", "改写历史。"));
    s.repo.git("add -A");
    s.repo.git("commit -q --amend -m amended");
    s.step("the last commit amended");
}

TEST_CASE("incremental: another --base-url for the same commit is built right", "[integration][incremental]") {
    Series s;
    s.step("the first build");
    s.how.base_url = "https://other.example.net/q/";
    s.step("the same commit for another base URL");
    CHECK(says(s.out(), "sitemap.xml", "https://other.example.net/q/"));
    s.how.base_url = std::nullopt;
    s.step("back to gongkai.toml's base URL");
}

TEST_CASE("incremental: a preview of the working tree between cached builds of commits", "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-101/2020-08.md", report_text(8, 48, "2020-101", "补充。"));
    commit_at(s.repo, "修改 2020-101 八月报告", "2020-10-20T10:00:00+08:00");
    s.step("a second commit");

    // Not committed: only a --worktree build shows it.
    s.repo.write("reports/2020-101/2020-09.md", report_text(9, 61, "2020-101", "尚未提交的修改。"));
    s.how.worktree = true;
    s.step("the working tree, changed and not committed (--worktree)");
    CHECK(says(s.out(), report_page("2020-101", "2020-09"), "尚未提交的修改。"));
    s.how.worktree = false;
    s.step("the commit again, without --worktree");
    CHECK(gongkai::test::file_lacks(s.out(), report_page("2020-101", "2020-09"), "尚未提交的修改"));
}

TEST_CASE("incremental: a build that fails leaves the published site as it was and the next one is right",
          "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-104/2020-07.md", report_text(7, 60, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 七月报告", "2020-10-20T10:00:00+08:00");
    s.step("a second commit, after which the cache keeps a second copy");
    TempDir saved;
    fs::copy(s.out(), saved / "site", fs::copy_options::recursive);

    // Every page changed, then an error.
    s.repo.write("gongkai.toml", settings("示例区重点工作推进情况（新）"));
    s.repo.write("reports/2020-101/2020-08.md", report_text(8, 49, "2020-101", "也改了。"));
    SECTION("an error in the content, found before anything is rendered") {
        s.repo.write("reports/2020-102/2020-08.md",
                     "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-08-28\ndate = 2020-08-28\ncompletion = "
                     "\"90%\"\n+++\n正文。\n");
    }
    SECTION("an error found after the pages are rendered (a static file over a page)") {
        s.repo.write("static/index.html", "<p>own home page</p>\n");
    }
    SECTION("an error in a template override") {
        s.repo.write("templates/report.mustache", "{{#report}}unclosed\n");
    }
    commit_at(s.repo, "有错误的提交", "2020-10-20T11:00:00+08:00");
    BuildResult failed = try_build(s.repo, s.out(), true);
    INFO(listing(failed.diagnostics));
    CHECK_FALSE(failed.ok());
    CHECK(site_differences(saved / "site", s.out()) == "");

    s.repo.git("rm -q -r --ignore-unmatch static templates");
    s.repo.write("reports/2020-102/2020-08.md", report_text(8, 40, "2020-102", "已更正。"));
    commit_at(s.repo, "更正错误", "2020-10-20T12:00:00+08:00");
    s.step("the error corrected");
    s.repo.write("reports/2020-102/2020-09.md", report_text(9, 50, "2020-102", "再补充。"));
    commit_at(s.repo, "再修改", "2020-10-20T13:00:00+08:00");
    s.step("one more commit");
}

TEST_CASE("incremental: a report's Markdown git can no longer give fails the build, named, and the site stays",
          "[integration][incremental]") {
    // The cache keeps no report's Markdown: a page made again reads it from git, by blob id.
    Series s;
    TempDir copy;
    s.use_theme_copy(copy);
    TempDir saved;
    fs::copy(s.out(), saved / "site", fs::copy_options::recursive);

    const std::string report = "reports/2020-101/2020-07.md";
    std::string blob = s.repo.git("rev-parse HEAD:" + report);
    blob.erase(blob.find_last_not_of(" \n") + 1);
    REQUIRE(blob.size() == 40);
    const fs::path object = fs::path(s.repo.dir()) / ".git/objects" / blob.substr(0, 2) / blob.substr(2);
    REQUIRE(fs::exists(object));  // loose: the repository was never packed
    fs::rename(object, saved / "object");
    // Every report page is made again, each report's Markdown read from git.
    write_file(copy / "themes/default/templates/report.mustache", edited_report_template("丁"));
    How how = s.how;
    how.jobs = 2;
    CHECK_THROWS_WITH(try_build(s.repo, s.out(), true, how),
                      Catch::Contains(report) && Catch::Contains(blob.substr(0, 7)) &&
                          Catch::Contains("again from git"));
    CHECK(site_differences(saved / "site", s.out()) == "");

    fs::rename(saved / "object", object);
    s.step("the blob back in the repository");
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "data-word=\"丁\""));
}

TEST_CASE("incremental: the output folder moved with its cache to another name", "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-104/2020-07.md", report_text(7, 60, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 七月报告", "2020-10-20T10:00:00+08:00");
    s.step("a second commit");
    fs::rename(s.out(), s.dir / "moved");
    fs::rename(s.cache(), cache_folder(s.dir / "moved"));
    s.name = "moved";
    s.repo.write("reports/2020-104/2020-08.md", report_text(8, 70, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 八月报告", "2020-10-20T11:00:00+08:00");
    s.step("the output and its cache renamed, then a commit");
    s.repo.write("reports/2020-104/2020-09.md", report_text(9, 80, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 九月报告", "2020-10-20T12:00:00+08:00");
    s.step("one more commit");
}

TEST_CASE("incremental: files the output or the cache's copy gained or lost by hand do not outlive a build",
          "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-104/2020-05.md", report_text(5, 20, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 五月报告", "2020-10-20T09:30:00+08:00");
    s.step("a second commit, after which the cache keeps the site it replaced");

    SECTION("a file added to the output by hand") {
        write_file(s.out() / "google0123456789.html", "google-site-verification: google0123456789.html\n");
        write_file(s.out() / "projects/notes.txt", "手工添加\n");
    }
    SECTION("a file added to the cache's copy of the site") {
        std::vector<fs::path> copies;
        cache_own_files(s.cache(), site_paths_of(s.out()), &copies);
        REQUIRE_FALSE(copies.empty());
        for (const auto& copy : copies) write_file(copy / "projects/stray.html", "<p>stray</p>\n");
    }
    SECTION("every file of the output touched (a new modification time), then a report deleted") {
        for (const auto& path : gongkai::test::list_files(s.out()))
            fs::last_write_time(s.out() / path, fs::file_time_type::clock::now());
    }
    SECTION("a page's permissions changed in the output (a page that stays)") {
        fs::permissions(s.out() / report_page("2020-101", "2020-08"), fs::perms::owner_read | fs::perms::owner_write);
    }
    SECTION("a page's permissions changed in the output (the page of the report deleted next)") {
        fs::permissions(s.out() / report_page("2020-103", "2020-07"), fs::perms::owner_read | fs::perms::owner_write);
    }
    s.repo.git("rm -q reports/2020-103/2020-07.md");
    commit_at(s.repo, "删除 2020-103 七月报告", "2020-10-20T10:00:00+08:00");
    s.step("one build after that");
    s.repo.write("reports/2020-102/2020-05.md", report_text(5, 15, "2020-102", "补充。"));
    commit_at(s.repo, "修改 2020-102 五月报告", "2020-10-20T11:00:00+08:00");
    s.step("two builds after that");
    s.repo.write("reports/2020-102/2020-06.md", report_text(6, 25, "2020-102", "补充。"));
    commit_at(s.repo, "修改 2020-102 六月报告", "2020-10-20T12:00:00+08:00");
    s.step("three builds after that");
}

TEST_CASE("incremental: files added by hand are found in folders whose times a build carried over",
          "[integration][incremental]") {
    // From the third build on, a build records the times of the folders it did not change as the
    // build before it found them, instead of looking at every folder again. A file added by hand
    // to such a folder, or to one the build did change, must still be found two builds later,
    // when that copy of the site is brought up to date again.
    Series s;
    auto change = [&](const std::string& report, int completion) { s.change(report, completion); };
    s.step("the first commit");
    change("2020-101/2020-06", 30);
    s.step("build 2");
    change("2020-102/2020-07", 40);
    s.step("build 3, which carries folder times over");
    change("2020-102/2020-08", 45);
    s.step("build 4, which carries folder times over");
    const fs::path untouched = s.out() / report_page("2020-101", "2020-08");
    const fs::path touched = s.out() / report_page("2020-102", "2020-08");
    REQUIRE(fs::exists(untouched));
    REQUIRE(fs::exists(touched));
    write_file(untouched.parent_path() / "note.html", "<p>手工添加</p>\n");
    write_file(touched.parent_path() / "note.html", "<p>手工添加</p>\n");
    write_file(s.out() / "departments/stray.html", "<p>stray</p>\n");
    change("2020-101/2020-06", 35);
    s.step("one build after the files were added");
    change("2020-102/2020-07", 50);
    s.step("two builds after the files were added");
    change("2020-101/2020-07", 55);
    s.step("three builds after the files were added");
}

TEST_CASE("incremental: the cache's own files put back as they were some builds ago are not trusted blindly",
          "[integration][incremental]") {
    Series s;
    int minute = 0;
    auto change = [&](const std::string& report, int completion) {
        commit_report(s.repo, report, completion, minute, "2020-10-20T10:" + two(minute + 1) + ":00+08:00");
        ++minute;
    };
    s.step("the first commit");
    change("2020-101/2020-06", 30);
    s.step("build 2");
    change("2020-102/2020-07", 40);
    s.step("build 3");
    auto own = cache_own_files(s.cache(), site_paths_of(s.out()), nullptr);
    std::map<fs::path, std::string> saved;
    for (const auto& f : own) saved[f] = read_file(f);
    REQUIRE_FALSE(saved.empty());
    auto put_back = [&] {
        for (const auto& f : cache_own_files(s.cache(), site_paths_of(s.out()), nullptr))
            if (!saved.contains(f)) fs::remove(f);
        for (const auto& [f, bytes] : saved) {
            if (fs::exists(f)) set_mode_writable(f);
            write_file(f, bytes);
        }
    };

    change("2020-101/2020-06", 31);
    s.step("build 4");
    change("2020-103/2020-08", 50);
    s.step("build 5 (the folders have swapped back to where they were at build 3)");
    put_back();
    s.step("build 3's cache put back, the same commit built again");

    change("2020-104/2020-09", 77);
    s.step("build 7");
    change("2020-101/2020-06", 32);
    s.step("build 8");
    put_back();
    change("2020-102/2020-07", 41);
    s.step("build 3's cache put back, then a commit");
}

TEST_CASE("incremental: an output folder reached through a symbolic link", "[integration][incremental]") {
    Series s;
    fs::create_directory(s.dir / "real");
    fs::create_directory_symlink(s.dir / "real", s.dir / "site");
    s.step("the first commit, through the link");
    s.repo.write("reports/2020-104/2020-07.md", report_text(7, 60, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 七月报告", "2020-10-20T10:00:00+08:00");
    BuildResult second = s.step("a second commit, through the link");
    INFO(describe(second));
    CHECK(fs::is_symlink(s.dir / "site"));
    for (const auto& [path, entry] : entries(s.dir / "real")) {
        INFO(path);
        CHECK(path.find("gongkai-cache") == std::string::npos);
    }
    s.repo.write("reports/2020-104/2020-08.md", report_text(8, 70, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 八月报告", "2020-10-20T11:00:00+08:00");
    s.step("a third commit, through the link");
    CHECK(fs::is_symlink(s.dir / "site"));
}

TEST_CASE("incremental: a folder of the output replaced by a symbolic link or a file is never followed",
          "[integration][incremental]") {
    // Say the office moved a folder of the published site to another disk and left a link in its
    // place. The copy that held the link is the cache's second copy after the next build, and is
    // brought up to date by the build after that: nothing may be removed or written through the
    // link, and the site must come out as a clean build writes it, with a real folder there.
    Series s;
    s.step("the first commit");
    s.change("2020-104/2020-09", 95);
    s.step("a second build, after which the cache keeps a second copy");

    const fs::path elsewhere = s.dir / "elsewhere";
    fs::create_directory(elsewhere);
    std::string replaced;
    fs::path target;  // where the link leads; none for a file
    SECTION("the theme's assets, moved (the files keep their inodes) and linked") {
        replaced = "assets";
        target = elsewhere / "assets";
        fs::rename(s.out() / replaced, target);
    }
    SECTION("a project's folder whose pages the last build changed, moved and linked") {
        // The files behind the link are the very files the last build wrote, and the cache's
        // copy lacks them: the next build links them through the link (they are its own), into a
        // real folder.
        replaced = "projects/2020-104";
        target = elsewhere / "2020-104";
        fs::rename(s.out() / replaced, target);
    }
    SECTION("a project's folder, copied (new inodes) and linked") {
        replaced = "projects/2020-102";
        target = elsewhere / "2020-102";
        fs::copy(s.out() / replaced, target, fs::copy_options::recursive);
        fs::remove_all(s.out() / replaced);
    }
    SECTION("a project's folder replaced by a file") {
        replaced = "projects/2020-103";
        fs::remove_all(s.out() / replaced);
        write_file(s.out() / replaced, "不是文件夹\n");
    }
    std::map<std::string, std::string> before;
    if (!target.empty()) {
        fs::create_directory_symlink(target, s.out() / replaced);
        write_file(target / "precious.txt", "不属于网站的文件\n");
        before = entries(target);
        REQUIRE(before.size() > 1);
    }
    auto inode = [](const fs::path& path) {
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        return st.st_ino;
    };
    const auto copy_replaced = inode(s.out());  // the copies of the site take turns
    auto outside_as_it_was = [&] {
        INFO("the folder the link led to: " << target);
        if (!target.empty()) CHECK(entries(target) == before);
    };
    auto a_real_folder = [&](const fs::path& copy) {
        INFO("in " << copy);
        CHECK(fs::is_directory(fs::symlink_status(copy / replaced)));
    };

    s.change("2020-102/2020-07", 40);
    s.step("the build after the folder was replaced");
    outside_as_it_was();
    if (replaced == "projects/2020-104") {
        a_real_folder(s.out());
        CHECK(fs::equivalent(s.out() / replaced / "index.html", target / "index.html"));
    }
    s.change("2020-102/2020-08", 45);
    s.step("the build after that, which brings the copy that held it up to date and publishes it");
    REQUIRE(inode(s.out()) == copy_replaced);
    outside_as_it_was();
    a_real_folder(s.out());
    s.change("2020-103/2020-07", 50);
    s.step("one more build, after which that copy is the cache's second copy again");
    outside_as_it_was();
    a_real_folder(s.out());
    REQUIRE(inode(s.cache() / "site") == copy_replaced);
    a_real_folder(s.cache() / "site");
}

TEST_CASE("incremental: a folder of the output replaced by a symbolic link while a build runs is not followed",
          "[integration][incremental]") {
    // The build finds the published files as written, then makes the pages; one it keeps that its
    // second copy lacks it links from the published site. A folder replaced by a link in between
    // (by hand, while the build runs), leading to copies of its files, must not bring a file from
    // outside the site into it: the build stops, naming the path, the site stays as it was, and
    // the next build is right. (A folder moved and linked before a build, leading to the very
    // files, is built: "…is never followed" above.)
    Series s;
    s.step("the first commit");
    s.change("2020-102/2020-07", 40);  // the second copy lacks these pages: the next build links them
    s.step("a build that changes project 2020-102's pages");
    s.change("2020-104/2020-09", 95);

    const fs::path elsewhere = s.dir / "elsewhere";
    fs::copy(s.out() / "projects/2020-102", elsewhere, fs::copy_options::recursive);
    const fs::path page = "reports/2020-07/index.html";
    REQUIRE(fs::is_regular_file(elsewhere / page));
    git::Repository repository(s.source);
    git::CommitSource source(repository, "HEAD", "", false);
    BuildOptions options;
    options.out = s.out();
    options.themes_dir = s.how.themes;
    options.jobs = 2;
    bool replaced = false;
    options.progress = [&](std::string_view stage, std::size_t done, std::size_t) {
        if (stage != "render-write" || done != 0) return;
        fs::remove_all(s.out() / "projects/2020-102");
        fs::create_directory_symlink(elsewhere, s.out() / "projects/2020-102");
        replaced = true;
    };
    try {
        build_site(source, options);
        FAIL("the build took a file through the link");
    } catch (const WriteError& e) {
        CHECK_THAT(e.what(), Catch::Contains((s.out() / "projects/2020-102").string()) &&
                                 Catch::Contains("is no longer the file the build found"));
    }
    REQUIRE(replaced);
    CHECK(fs::hard_link_count(elsewhere / page) == 1);  // linked nowhere
    CHECK(fs::is_symlink(s.out() / "projects/2020-102"));  // the site as it was, link and all
    for (const auto& e : fs::recursive_directory_iterator(s.dir.path()))
        if (fs::is_regular_file(fs::symlink_status(e.path())) && !e.path().string().starts_with(elsewhere.string()))
            CHECK_FALSE(fs::equivalent(e.path(), elsewhere / page));

    s.step("the next build");
    CHECK(fs::is_directory(fs::symlink_status(s.out() / "projects/2020-102")));
    CHECK(fs::hard_link_count(elsewhere / page) == 1);
}

TEST_CASE("incremental: a problem that spans files is found by a cached build as by a full one",
          "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-101/2020-06.md", report_text(6, 24, "2020-101", "补充。"));
    commit_at(s.repo, "修改 2020-101 六月报告", "2020-10-20T10:00:00+08:00");
    s.step("a second commit");

    auto both_fail_alike = [&](const std::string& what, const std::string& path, const std::string& text) {
        INFO(what);
        TempDir elsewhere;
        BuildResult cached = try_build(s.repo, s.out(), true);
        BuildResult full = try_build(s.repo, elsewhere / "site", false);
        CHECK_FALSE(full.ok());
        CHECK_FALSE(cached.ok());
        CHECK(gongkai::test::has_error(full.diagnostics, path, gongkai::test::any_line, text));
        CHECK(listing(cached.diagnostics) == listing(full.diagnostics));
    };

    // The reports of 2020-101 state goal 2's completion; the project no longer has goal 2. Only
    // the project's file changed.
    std::string project = project_text("2020-101", "建设标杆学校", "edu");
    const std::string goal2 = "[[goals]]\nid = \"2\"\ntitle = \"第二项\"\n";
    REQUIRE(project.find(goal2) != std::string::npos);
    s.repo.write("projects/2020-101.md",
                 project.substr(0, project.find(goal2)) + project.substr(project.find(goal2) + goal2.size()));
    commit_at(s.repo, "删除 2020-101 的第二项目标", "2020-10-20T11:00:00+08:00");
    both_fail_alike("a goal removed that unchanged reports state", "reports/2020-101/2020-07.md", "no goal");

    s.repo.write("projects/2020-101.md", project);
    commit_at(s.repo, "恢复第二项目标", "2020-10-20T12:00:00+08:00");
    s.step("the goal back");

    // A department removed that an unchanged project leads.
    s.repo.git("rm -q departments/transport.toml");
    commit_at(s.repo, "删除交通委", "2020-10-20T13:00:00+08:00");
    both_fail_alike("a department removed that an unchanged project names", "projects/2020-103.md", "transport");

    s.repo.write("departments/transport.toml", "name = \"示例区交通委员会\"\n");
    commit_at(s.repo, "恢复交通委", "2020-10-20T14:00:00+08:00");
    s.step("the department back");

    // Two reports of one project for the same period: the second one new, the first unchanged.
    s.repo.write("reports/2020-102/2020-09-b.md", report_text(9, 70, "2020-102"));
    commit_at(s.repo, "重复的九月报告", "2020-10-20T15:00:00+08:00");
    TempDir elsewhere;
    BuildResult cached = try_build(s.repo, s.out(), true);
    BuildResult full = try_build(s.repo, elsewhere / "site", false);
    INFO("two reports for one period:\n" << listing(full.diagnostics));
    CHECK(cached.ok() == full.ok());
    CHECK(listing(cached.diagnostics) == listing(full.diagnostics));
    if (full.ok()) CHECK(site_differences(elsewhere / "site", s.out()) == "");
}

TEST_CASE("incremental: the cache or the output removed or replaced or copied by hand", "[integration][incremental]") {
    Series s;
    s.step("the first commit");
    s.repo.write("reports/2020-104/2020-07.md", report_text(7, 60, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 七月报告", "2020-10-20T10:00:00+08:00");
    s.step("a second commit");

    SECTION("the cache folder removed") {
        fs::remove_all(s.cache());
    }
    SECTION("the cache folder replaced by a file") {
        fs::remove_all(s.cache());
        write_file(s.cache(), "not a folder\n");
    }
    SECTION("the cache's copy of the site removed") {
        std::vector<fs::path> copies;
        cache_own_files(s.cache(), site_paths_of(s.out()), &copies);
        REQUIRE_FALSE(copies.empty());
        for (const auto& c : copies) fs::remove_all(c);
    }
    SECTION("the output folder removed") {
        fs::remove_all(s.out());
    }
    SECTION("the output folder replaced by a copy of itself (cp -a)") {
        auto r = run("cp -a " + shell_quote(s.out().string()) + " " + shell_quote((s.dir / "copy").string()));
        REQUIRE(r.status == 0);
        fs::remove_all(s.out());
        fs::rename(s.dir / "copy", s.out());
    }
    s.repo.write("reports/2020-104/2020-08.md", report_text(8, 70, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 八月报告", "2020-10-20T11:00:00+08:00");
    s.step("after that, a commit");
    s.repo.write("reports/2020-104/2020-09.md", report_text(9, 80, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 九月报告", "2020-10-20T12:00:00+08:00");
    s.step("and another");
}

TEST_CASE("incremental: a shallow clone then its whole history fetched", "[integration][incremental]") {
    Series s;
    s.repo.write("reports/2020-101/2020-07.md", report_text(7, 36, "2020-101", "修改一。"));
    commit_at(s.repo, "修改 2020-101 七月报告", "2020-10-21T10:00:00+08:00");
    s.repo.write("reports/2020-101/2020-07.md", report_text(7, 38, "2020-101", "修改二。"));
    commit_at(s.repo, "再修改 2020-101 七月报告", "2020-10-22T10:00:00+08:00");
    TempDir clone;
    std::string url = "file://" + s.repo.dir();
    auto r = run("git clone -q --depth 1 " + shell_quote(url) + " " + shell_quote((clone / "c").string()));
    INFO(r.output);
    REQUIRE(r.status == 0);
    s.source = (clone / "c").string();
    s.step("a shallow clone");
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "浅克隆"));

    r = run("cd " + shell_quote(s.source) + " && git fetch -q --deepen=1");
    INFO(r.output);
    REQUIRE(r.status == 0);
    s.step("one commit more fetched (still shallow)");

    r = run("cd " + shell_quote(s.source) + " && git fetch -q --unshallow");
    INFO(r.output);
    REQUIRE(r.status == 0);
    s.step("the whole history fetched (the same commit)");
    CHECK(gongkai::test::never_says(s.out(), report_page("2020-101", "2020-07"), "浅克隆"));
}

TEST_CASE("incremental: a build killed at any moment leaves a whole site and the next build is right",
          "[integration][incremental]") {
    Series s;
    // Every build into s.out() is the program's, the killed ones and the others (see program_build).
    const std::string command = s.program_build();
    // A build that is not killed; what it says with -v.
    auto build_right = [&](const std::string& label) {
        INFO("after: " << label);
        auto r = run(command + " -v");
        INFO(r.output);
        REQUIRE(r.status == 0);
        CHECK(site_differences(s.full_build(), s.out()) == "");
        return r.output;
    };
    build_right("the first commit");
    s.repo.write("reports/2020-104/2020-07.md", report_text(7, 60, "2020-104", "补充。"));
    commit_at(s.repo, "修改 2020-104 七月报告", "2020-10-20T10:00:00+08:00");
    fs::path before = s.clean / "before";
    build(s.repo, before, false);
    // The builds killed below start from this one's cache.
    CHECK(has_line_with(build_right("a second commit, after which the cache keeps a second copy"),
                        "incremental build"));

    int round = 0;
    for (const char* delay : {"0.002", "0.005", "0.008", "0.011", "0.014", "0.018", "0.022", "0.027", "0.035"}) {
        ++round;
        INFO("killed after " << delay << " s, round " << round);
        // Every page changes: the longest build.
        s.repo.write("gongkai.toml", settings("示例区重点工作推进情况 " + std::to_string(round)));
        commit_at(s.repo, "标题 " + std::to_string(round), "2020-10-20T1" + std::to_string(round) + ":30:00+08:00");
        fs::path after = s.clean / ("after-" + std::to_string(round));
        build(s.repo, after, false);

        auto r = run("timeout -s KILL " + std::string(delay) + " " + command + " -q");
        INFO("the killed build exited " << r.status << ": " << r.output);
        std::string to_before = site_differences(before, s.out());
        std::string to_after = site_differences(after, s.out());
        INFO("compared with the site before:\n" << to_before << "compared with the site after:\n" << to_after);
        CHECK((to_before.empty() || to_after.empty()));

        build_right("a build killed, then built again");
        before = after;
    }
}

TEST_CASE("incremental: builds into one folder at the same time", "[integration][incremental]") {
    Series s;
    // Every build into s.out() is the program's (see program_build).
    auto together = [&](int n) {
        const std::string one = s.program_build() + " -q";
        std::string all = "s=0; ";
        for (int i = 0; i < n; ++i) all += one + " & p" + std::to_string(i) + "=$!; ";
        for (int i = 0; i < n; ++i) all += "wait $p" + std::to_string(i) + " || s=1; ";
        auto r = run(all + "exit $s");
        INFO(r.output);
        CHECK(r.status == 0);
        CHECK(site_differences(s.full_build(), s.out()) == "");
    };
    // One build after a commit, which takes the cache the builds at once left.
    auto cached_build = [&](const std::string& label, const std::string& report, int completion) {
        INFO("after: " << label);
        s.change(report, completion);
        auto r = run(s.program_build() + " -v");
        INFO(r.output);
        CHECK(r.status == 0);
        CHECK(has_line_with(r.output, "incremental build"));
        CHECK(site_differences(s.full_build(), s.out()) == "");
    };
    together(2);  // the first builds: no cache yet
    cached_build("a cached build after two first builds at once", "2020-104/2020-06", 50);
    s.change("2020-104/2020-07", 60);
    together(3);  // from a cache
    cached_build("a cached build after three at once", "2020-104/2020-08", 70);
    cached_build("one more commit", "2020-104/2020-09", 80);
}
