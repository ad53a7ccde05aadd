// The incremental rebuild: a build with the cache (beside the output folder) writes exactly what a
// clean full build of the same commit writes, renders only the pages whose inputs changed, never
// trusts a damaged, foreign or stale cache, and keeps every trace of itself out of the site.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <map>
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

// Every entry below dir by relative path: "file:" and its bytes, "dir", "link:" and its target,
// or "other".
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
            out[rel] = "file:" + read_file(it->path());
        else if (fs::is_directory(st))
            out[rel] = "dir";
        else
            out[rel] = "other";
    }
    return out;
}

std::string kind(const std::string& entry) {
    if (entry.starts_with("file:")) return "a file of " + std::to_string(entry.size() - 5) + " bytes";
    if (entry == "dir") return "a folder";
    if (entry.starts_with("link:")) return "a symbolic link to " + entry.substr(5);
    return "a special file";
}

// How the folders a and b differ, the first few differences one per line; "" when both hold the
// same relative paths with the same bytes. Both must hold the site marker.
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
            if (x.starts_with("file:") && y.starts_with("file:")) {
                std::size_t from = std::max<std::size_t>(5, i >= 40 ? i - 40 : 0);
                msg += "; first difference at byte " + std::to_string(i - 5) + ": …" + x.substr(from, 100) +
                       "… vs …" + y.substr(from, 100) + "…";
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
           "-28\ncompletion = " + std::to_string(completion) + "\n\n[goal_completion]\n\"1\" = " +
           std::to_string(std::min(100, completion + 5)) + "\n\"2\" = " + std::to_string(std::max(0, completion - 5)) +
           "\n+++\n## （一）目前进展情况\n\n### 1. 第一项\n\n项目 " + project + " 截至 " + std::to_string(month) +
           " 月的推进情况。" + extra + "\n\n## （二）存在的困难\n\n无。\n";
}

std::string project_text(const std::string& id, const std::string& title, const std::string& department,
                         const std::string& co = "") {
    return "+++\ntitle = \"" + title + "\"\nyear = 2020\nnumber = \"" + id.substr(5) + "\"\ndepartment = \"" +
           department + "\"\n" + (co.empty() ? "" : "co_departments = [\"" + co + "\"]\n") +
           "official = \"王副区长\"\ntarget = \"全年完成**全部**任务。\"\n\n[[goals]]\nid = \"1\"\ntitle = \"第一项\"\n\n"
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
    return files;
}

std::string report_page(const std::string& project, const std::string& id) {
    return "projects/" + project + "/reports/" + id + "/index.html";
}

// ---------------------------------------------------------------------------------------------
// Building

std::string describe(const BuildResult& r) {
    std::ostringstream s;
    s << "incremental=" << (r.incremental ? "true" : "false") << " pages_rendered=" << r.pages_rendered
      << " pages_total=" << r.pages_total << " full_reason=\"" << r.full_reason << "\"";
    return s.str();
}

// Builds HEAD of repo into out through the library; fails the test when the build does.
BuildResult build(const GitRepo& repo, const fs::path& out, bool cache, const std::string& themes = source_themes_dir(),
                  unsigned jobs = 1) {
    git::Repository repository(repo.dir());
    git::CommitSource source(repository, "HEAD", "");
    BuildOptions options;
    options.out = out;
    options.themes_dir = themes;
    options.cache = cache;
    options.jobs = jobs;
    BuildResult result = build_site(source, options);
    if (!result.ok())
        FAIL("the build into " << out.string() << (cache ? " with" : " without") << " the cache failed:\n"
                               << listing(result.diagnostics));
    return result;
}

// A content repository and a folder for its sites: out() is built with the cache, again and
// again; each clean full build goes to a fresh folder in another place.
struct Series {
    GitRepo repo;
    TempDir dir;    // holds out() and its cache
    TempDir clean;  // the clean full builds, one folder each
    std::string themes = source_themes_dir();
    int fresh = 0;

    Series() {
        repo.write(site_content());
        commit_at(repo, "发布各项目 5-9 月报告", "2020-10-20T09:00:00+08:00");
    }
    fs::path out() const { return dir / "site"; }
    fs::path cache() const { return cache_folder(out()); }

    // A clean full build of HEAD, without the cache, into a folder never used before.
    fs::path full_build(BuildResult* result = nullptr) {
        fs::path folder = clean / ("full-" + std::to_string(++fresh)) / "site";
        BuildResult r = build(repo, folder, false, themes);
        CHECK_FALSE(r.incremental);
        CHECK(r.pages_total > 0);
        CHECK(r.pages_rendered == r.pages_total);
        CHECK_FALSE(fs::exists(cache_folder(folder)));
        if (result) *result = r;
        return folder;
    }

    // Builds HEAD with the cache into out() and checks it against a clean full build.
    BuildResult step(const std::string& label, unsigned jobs = 2) {
        INFO("after: " << label);
        BuildResult cached = build(repo, out(), true, themes, jobs);
        INFO("the cached build: " << describe(cached));
        BuildResult full;
        fs::path reference = full_build(&full);
        CHECK(site_differences(reference, out()) == "");
        CHECK(cached.pages_total == full.pages_total);
        CHECK(cached.pages_rendered <= cached.pages_total);
        if (!cached.incremental) CHECK_FALSE(cached.full_reason.empty());
        return cached;
    }
};

// The default theme's report template with one word more, to tell its pages apart.
std::string edited_report_template(const std::string& word) {
    std::string text = read_file(fs::path(source_themes_dir()) / "default/templates/report.mustache");
    const std::string article = "<article class=\"gk-report\">";
    auto at = text.find(article);
    if (at == std::string::npos) FAIL("the default report template no longer has " << article);
    text.replace(at, article.size(), "<article class=\"gk-report\" data-word=\"" + word + "\">");
    return text;
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

// Runs gongkai with args, stdout and stderr apart.
Cli run_gongkai(const std::vector<std::string>& args) {
    TempDir tmp;
    std::string command = shell_quote(GONGKAI_TEST_BINARY);
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

    s.repo.write("reports/2020-101/2020-07.md", report_text(7, 36, "2020-101", "另外补充了一句说明。"));
    commit_at(s.repo, "修改 2020-101 七月报告正文", "2020-10-20T10:00:00+08:00");
    s.step("one report's body changed");

    // The latest report of 2020-102: the project's, its department's and the co-department's figures move.
    s.repo.write("reports/2020-102/2020-09.md", report_text(9, 97, "2020-102"));
    commit_at(s.repo, "更正 2020-102 九月完成率", "2020-10-20T11:00:00+08:00");
    s.step("one report's completion changed");

    s.repo.write("reports/2020-103/2020-10.md", report_text(10, 88, "2020-103"));
    commit_at(s.repo, "发布 2020-103 十月报告", "2020-10-20T12:00:00+08:00");
    s.step("a report added");

    s.repo.git("mv reports/2020-104/2020-06.md reports/2020-104/2020-06-r.md");
    commit_at(s.repo, "重命名 2020-104 六月报告", "2020-10-20T13:00:00+08:00");
    s.step("a report renamed (a new id)");

    s.repo.git("rm -q reports/2020-101/2020-05.md");
    commit_at(s.repo, "删除 2020-101 五月报告", "2020-10-20T14:00:00+08:00");
    s.step("a report deleted");

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

    s.repo.write("static/files/notice.txt", "通知\n");
    commit_at(s.repo, "添加静态文件", "2020-10-20T20:00:00+08:00");
    s.step("a static file added");

    s.repo.git("rm -q -r templates static");
    commit_at(s.repo, "删除模板和静态文件", "2020-10-20T20:30:00+08:00");
    s.step("the template override and the static file removed");

    // Months later with nothing changed: "today" moves, reports fall overdue, projects behind.
    commit_at(s.repo, "无改动", "2021-03-10T09:00:00+08:00");
    s.step("a commit months later without changes");

    commit_at(s.repo, "空提交", "2021-03-10T15:00:00+08:00");
    s.step("an empty commit on the same day");

    // The same commit again.
    BuildResult again = s.step("nothing at all (the same commit built again)");
    INFO("the same commit again: " << describe(again));
    CHECK(again.incremental);
}

// 2 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: a change to one report's text renders few pages; a change to the settings renders all",
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
    fs::copy(source_themes_dir(), copy / "themes", fs::copy_options::recursive);
    s.themes = (copy / "themes").string();
    s.step("the first build with a copy of the theme");

    write_file(copy / "themes/default/templates/report.mustache", edited_report_template("丙"));
    BuildResult edited = s.step("the theme's report template edited (the same commit)");
    INFO("after the theme's edit: " << describe(edited));
    CHECK(says(s.out(), report_page("2020-101", "2020-07"), "data-word=\"丙\""));
    CHECK(says(s.out(), report_page("2020-104", "2020-05"), "data-word=\"丙\""));
    CHECK(gongkai::test::file_lacks(s.out(), "projects/2020-101/index.html", "data-word"));
    // Every report page at least, 20 of them.
    CHECK(edited.pages_rendered >= 20);

    // Back to the source tree's theme, which the copy was made from.
    s.themes = source_themes_dir();
    s.step("back to the original themes folder");
    CHECK(gongkai::test::file_lacks(s.out(), report_page("2020-101", "2020-07"), "data-word"));
}

// 4 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: a damaged cache is not trusted, and the build is right and full",
          "[integration][incremental]") {
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
    std::vector<fs::path> site_copies;
    cache_own_files(s.cache(), site_paths_of(s.out()), &site_copies);
    if (site_copies.empty()) {
        WARN("the cache " << s.cache().string() << " holds no copy of the site that this test recognises");
        return;
    }
    const std::string page = report_page("2020-101", "2020-06");
    for (const auto& copy : site_copies) {
        if (!fs::exists(copy / page)) continue;
        set_mode_writable(copy / page);
        std::string bytes = read_file(copy / page);
        std::string changed = bytes;
        auto at = changed.find("推进情况");
        REQUIRE(at != std::string::npos);
        changed.replace(at, std::string("推进情况").size(), "篡改内容");  // the same length
        auto when = fs::last_write_time(copy / page);
        write_file(copy / page, changed);
        fs::last_write_time(copy / page, when);
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
    REQUIRE(read_file(s.out() / "index.html").size() > 0);

    // A commit that changes a different report.
    s.repo.write("reports/2020-102/2020-07.md", report_text(7, 31, "2020-102", "补充。"));
    commit_at(s.repo, "修改 2020-102 七月报告", "2020-10-20T10:00:00+08:00");
    s.step("a page of the output edited by hand, then a commit changing another report");
    CHECK(read_file(file) == original);
}

// 5 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: nothing of the cache is in the output; the cache is beside it, private",
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

TEST_CASE("incremental: a build without the cache leaves an existing cache alone, and the next cached build is right",
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

    s.repo.write("reports/2020-102/2020-09.md", report_text(9, 61, "2020-102", "再补充。"));
    commit_at(s.repo, "修改 2020-102 九月报告", "2020-10-20T11:00:00+08:00");
    s.step("a cached build after a build without the cache");
}

// 6 ---------------------------------------------------------------------------------------------

TEST_CASE("incremental: gongkai build --no-cache writes no cache; -v says full or incremental",
          "[integration][incremental]") {
    GitRepo repo;
    repo.write(site_content());
    commit_at(repo, "发布", "2020-10-20T09:00:00+08:00");
    TempDir dir;
    fs::path out = dir / "site";
    std::vector<std::string> args = {"build",           "--repo", repo.dir(), "--out", out.string(),
                                     "--theme-dir", source_themes_dir()};
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
