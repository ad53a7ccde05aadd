// data/reports.json's entries made beside their reports' pages and kept in a spool (a file without
// a name beside the new site) until the file is made after the pages: the file is the one made
// after the pages from the Markdown held, each report's entry its own, in order, however the
// threads interleave and however large an entry is.
#include <catch2/catch.hpp>
#include <string>

#include "content/library.h"
#include "content/source.h"
#include "entry_spool.h"
#include "fixture.h"
#include "git/repository.h"
#include "git_repo.h"
#include "site.h"
#include "site_files.h"

using namespace gongkai;
using namespace gongkai::test;

namespace {

constexpr int projects = 6;
constexpr int months = 6;

// A report's body: its marker, then a paragraph; every seventh report's is some 300 KB, more than
// the spool reads back at once.
std::string body_of(int project, int month) {
    const std::string marker = "marker-" + std::to_string(project) + "-" + std::to_string(month);
    std::string body = "## （一）进展\n\n" + marker + " 推进 **重点** work.\n\n## （二）困难\n\n";
    const int repeat = (project * months + month) % 7 == 0 ? 6000 : 3;
    for (int i = 0; i < repeat; ++i) body += "第 " + std::to_string(i) + " 段：按计划推进 on schedule.\n\n";
    return body;
}

Files content() {
    Files files;
    files["gongkai.toml"] =
        "title = \"暂存\"\nlanguage = \"zh-CN\"\nbase_url = \"https://example.org/p/\"\npublisher = \"示例区\"\n"
        "sample_data = true\n[calendar]\nfrequency = \"monthly\"\ndue_day = 25\n";
    files["departments/d0.toml"] = "name = \"部门 0\"\n";
    files["departments/d1.toml"] = "name = \"部门 1\"\n";
    for (int p = 0; p < projects; ++p) {
        const std::string id = "2020-" + std::to_string(100 + p);
        files["projects/" + id + ".md"] = "+++\ntitle = \"项目 " + std::to_string(p) + "\"\nyear = 2020\nnumber = \"" +
                                          std::to_string(100 + p) + "\"\ndepartment = \"d" + std::to_string(p % 2) +
                                          "\"\n+++\n落实：推进工作。\n";
        for (int m = 1; m <= months; ++m) {
            const std::string month = "0" + std::to_string(m);
            files["reports/" + id + "/2020-" + month + ".md"] =
                "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-" + month + "-28\ndate = 2020-" + month +
                "-20\ncompletion = " + std::to_string(m * 15) + "\n+++\n" + body_of(p, m);
        }
    }
    return files;
}

// A body as data/reports.json's body_markdown holds it (the bodies here need only their line
// breaks escaped).
std::string as_json(const std::string& body) {
    std::string out = "\"body_markdown\": \"";
    for (char c : body) out += c == '\n' ? std::string("\\n") : std::string(1, c);
    return out + "\"";
}

// The site in memory, with no spool: every entry made after the pages, from the Markdown held.
std::string reports_json_in_memory(const Files& files, std::int64_t time) {
    MemorySource source(files, time);
    Diagnostics diagnostics;
    Snapshot snapshot = source.read(diagnostics);
    auto library = load_library(snapshot, diagnostics);
    REQUIRE(library);
    Theme theme = load_theme(source_themes_dir(), "default", diagnostics);
    Analysis analysis;
    analysis.now = time;
    analysis.today = date_of(time, 0);
    analysis.schedules = judge_schedules(*library, analysis.today);
    SiteFiles site = render_site(*library, theme, analysis, diagnostics, 2);
    INFO(listing(diagnostics));
    REQUIRE_FALSE(diagnostics.has_errors());
    return site.files().at("data/reports.json");
}

// Whether folder's file system can make a file without a name; the build makes no spool where not.
bool can_spool(const fs::path& folder) {
    if (EntrySpool::open(folder, 1)) return true;
    WARN("no file without a name (O_TMPFILE) in " << folder << ": the spool is not tried");
    return false;
}

}  // namespace

TEST_CASE("spool: data/reports.json made from the spool is the file made after the pages", "[integration][spool]") {
    if (!can_spool(TempDir().path())) return;
    const Files files = content();
    const std::int64_t time = 1604000000;  // 2020-10-29
    const std::string expected = reports_json_in_memory(files, time);
    REQUIRE(expected.find(as_json(body_of(0, 1))) != std::string::npos);

    for (unsigned jobs : {1u, 2u, 4u}) {
        INFO("threads: " << jobs);
        TempDir dir;
        BuildOptions options;
        options.out = dir / "site";
        options.themes_dir = source_themes_dir();
        options.jobs = jobs;
        MemorySource source(files, time);
        BuildResult result = build_site(source, options);
        INFO(listing(result.diagnostics));
        REQUIRE(result.ok());
        CHECK(result.entries_spooled == projects * months);
        CHECK(result.markdown_let_go == 0);  // no blob ids to read it again by: kept
        CHECK(read_file(dir / "site/data/reports.json") == expected);
    }
}

TEST_CASE("spool: from a commit, each report's Markdown is let go after its page and entry, and both show it",
          "[integration][spool][git]") {
    if (!can_spool(TempDir().path())) return;
    GitRepo repo;
    repo.write(content());
    commit_at(repo, "Reports", "2020-10-29T12:00:00+08:00");
    TempDir dir;
    BuildOptions options;
    options.out = dir / "site";
    options.themes_dir = source_themes_dir();
    options.jobs = 2;
    git::Repository repository(repo.dir());
    git::CommitSource source(repository, "HEAD", "");
    BuildResult result = build_site(source, options);
    INFO(listing(result.diagnostics));
    REQUIRE(result.ok());
    CHECK(result.entries_spooled == projects * months);
    CHECK(result.markdown_let_go == projects * months);

    // Every entry holds its own report's Markdown, in the library's order (by project, then
    // period); every page shows its own body; a project's page shows its latest report's.
    const std::string reports = read_file(dir / "site/data/reports.json");
    std::size_t last = std::string::npos;
    for (int p = 0; p < projects; ++p)
        for (int m = 1; m <= months; ++m) {
            INFO("project " << p << ", month " << m);
            const std::string entry = as_json(body_of(p, m));
            const std::size_t at = reports.find(entry);
            REQUIRE(at != std::string::npos);
            if (last != std::string::npos) CHECK(at > last);
            CHECK(reports.find(entry, at + 1) == std::string::npos);
            last = at;
            const std::string id = "2020-" + std::to_string(100 + p);
            const std::string marker = "marker-" + std::to_string(p) + "-" + std::to_string(m);
            CHECK(read_file(dir / "site/projects" / id / "reports" / ("2020-0" + std::to_string(m)) / "index.html")
                      .find(marker) != std::string::npos);
            if (m == months)
                CHECK(read_file(dir / "site/projects" / id / "index.html").find(marker) != std::string::npos);
        }

    SECTION("the next build copies the spooled entries from the published file, where the last noted them") {
        const std::string changed = "reports/2020-103/2020-02.md";
        std::string text = read_file(repo.path() / changed);
        text += "\n补充 added.\n";
        repo.write(changed, text);
        commit_at(repo, "Amend", "2020-10-30T12:00:00+08:00");
        git::Repository again_repository(repo.dir());
        git::CommitSource again_source(again_repository, "HEAD", "");
        BuildResult again = build_site(again_source, options);
        INFO(listing(again.diagnostics));
        REQUIRE(again.ok());
        CHECK(again.incremental);
        CHECK(again.entries_kept == projects * months - 1);
        CHECK(read_file(dir / "site/data/reports.json").find("补充 added.") != std::string::npos);

        BuildOptions clean = options;
        clean.out = dir / "clean";
        clean.cache = false;
        git::CommitSource clean_source(again_repository, "HEAD", "");
        REQUIRE(build_site(clean_source, clean).ok());
        CHECK(differences(dir / "site", dir / "clean").empty());
    }
}
