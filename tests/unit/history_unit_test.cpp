#include <catch2/catch.hpp>
#include <cstdint>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "git/repository.h"
#include "git_repo.h"
#include "history.h"
#include "site.h"

using namespace gongkai;
using gongkai::test::GitRepo;
using gongkai::test::run;
using gongkai::test::shell_quote;
using gongkai::test::TempDir;

// read_history on real repositories: one walk of the first-parent history records, for every
// file below the folders asked for, the commit that added it and each later one that changed it.

namespace {

std::string report(const std::string& completion, const std::string& more = "", const std::string& body = "进展。\n") {
    return "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-10-31\ndate = 2020-11-02\ncompletion = " + completion +
           "\n" + more + "+++\n" + body;
}

History history_of(const GitRepo& repo, const std::string& content_dir = "") {
    git::Repository r(repo.dir());
    std::string head = repo.git("rev-parse HEAD").substr(0, 40);
    return read_history(r, head, content_dir, {"projects", "reports"});
}

// A blob or commit message as git fast-import reads it.
std::string import_data(const std::string& s) {
    return "data " + std::to_string(s.size()) + "\n" + s + "\n";
}

// One commit on main, for git fast-import: its message, and each file's path and text.
std::string import_commit(std::int64_t time, const std::string& message,
                          const std::vector<std::pair<std::string, std::string>>& files, const std::string& from = "") {
    std::string out = "commit refs/heads/main\ncommitter Gongkai Test <test@example.org> " + std::to_string(time) +
                      " +0800\n" + import_data(message);
    if (!from.empty()) out += "from " + from + "\n";
    for (const auto& [path, text] : files) out += "M 100644 inline " + path + "\n" + import_data(text);
    return out + "\n";
}

// Adds the commits of stream to repo at once, with git fast-import.
void fast_import(const GitRepo& repo, const std::string& stream) {
    TempDir tmp;
    gongkai::test::write_file(tmp / "stream", stream);
    auto r = run("cd " + shell_quote(repo.dir()) + " && git fast-import --quiet < " +
                 shell_quote((tmp / "stream").string()));
    INFO(r.output);
    REQUIRE(r.status == 0);
}

std::string changes(const Revision& r) {
    std::string out;
    for (const auto& c : r.changes) out += c.key + ": " + c.before + " -> " + c.after + "\n";
    return out;
}

}  // namespace

TEST_CASE("history walk: the commit that added a file publishes it, and later ones amend it", "[history]") {
    GitRepo repo;
    repo.write("reports/2020-007/2020-09.md", report("70"));
    std::string first = repo.commit("发布 9 月报告");
    repo.write("reports/2020-007/2020-10.md", report("80"));
    std::string second = repo.commit("发布 10 月报告");
    repo.write("reports/2020-007/2020-10.md", report("85"));
    std::string third = repo.commit("更正 10 月完成率\n\n说明：统计口径有误。");

    History h = history_of(repo);
    CHECK_FALSE(h.shallow);
    REQUIRE(h.files.size() == 2);
    const FileHistory& september = h.files.at("reports/2020-007/2020-09.md");
    REQUIRE(september.published);
    CHECK(september.published->commit == first);
    CHECK(september.amendments.empty());
    CHECK_FALSE(september.truncated);

    const FileHistory& october = h.files.at("reports/2020-007/2020-10.md");
    REQUIRE(october.published);
    CHECK(october.published->commit == second);
    CHECK(october.published->time == 1603252800 + 86400);
    CHECK(october.published->offset == 480);
    CHECK(october.published->summary == "发布 10 月报告");
    REQUIRE(october.amendments.size() == 1);
    const Revision& amended = october.amendments[0];
    CHECK(amended.commit == third);
    CHECK(amended.summary == "更正 10 月完成率");
    CHECK(changes(amended) == "completion: 80 -> 85\n");
    CHECK_FALSE(amended.body_changed);
    CHECK(october.last().commit == third);
}

TEST_CASE("history walk: keys added, removed and changed, tables inline, and the text", "[history]") {
    GitRepo repo;
    repo.write("reports/2020-007/2020-10.md",
               report("80", "addressee = \"区府办\"\n\n[goal_completion]\n\"1\" = 70\n"));
    repo.commit("发布");
    repo.write("reports/2020-007/2020-10.md",
               report("80", "signed_by = \"示例区交通委员会\"\n\n[goal_completion]\n\"1\" = 75\n\"1.1\" = 90\n",
                      "进展（修订）。\n"));
    repo.commit("修订");
    History history = history_of(repo);
    const FileHistory& h = history.files.at("reports/2020-007/2020-10.md");
    REQUIRE(h.amendments.size() == 1);
    CHECK(changes(h.amendments[0]) ==
          "addressee: 区府办 -> \n"
          "goal_completion: 1: 70 -> 1: 75, 1.1: 90\n"
          "signed_by:  -> 示例区交通委员会\n");
    CHECK(h.amendments[0].body_changed);
}

TEST_CASE("history walk: a change of the text alone is an amendment without field changes", "[history]") {
    GitRepo repo;
    repo.write("reports/2020-007/2020-10.md", report("80"));
    repo.commit("发布");
    repo.write("reports/2020-007/2020-10.md", report("80", "", "进展，补充一句。\n"));
    repo.commit("补充正文");
    History history = history_of(repo);
    const FileHistory& h = history.files.at("reports/2020-007/2020-10.md");
    REQUIRE(h.amendments.size() == 1);
    CHECK(h.amendments[0].changes.empty());
    CHECK(h.amendments[0].body_changed);
}

TEST_CASE("history walk: commits that touch other files do not amend a report", "[history]") {
    GitRepo repo;
    repo.write("reports/2020-007/2020-10.md", report("80"));
    repo.write("projects/2020-007.md", "+++\ntitle = \"完善慢行交通网络\"\n+++\n");
    repo.commit("发布");
    repo.write("README.md", "说明\n");
    repo.commit("说明");
    repo.write("projects/2020-007.md", "+++\ntitle = \"完善城市慢行交通网络\"\n+++\n");
    repo.write("reports/2020-008/2020-10.md", report("50"));
    repo.commit("改标题，发布 008");
    History h = history_of(repo);
    CHECK(h.files.at("reports/2020-007/2020-10.md").amendments.empty());
    REQUIRE(h.files.at("projects/2020-007.md").amendments.size() == 1);
    CHECK(changes(h.files.at("projects/2020-007.md").amendments[0]) ==
          "title: 完善慢行交通网络 -> 完善城市慢行交通网络\n");
    CHECK_FALSE(h.files.contains("README.md"));
    CHECK(h.files.size() == 3);
}

TEST_CASE("history walk: paths are relative to the content folder", "[history]") {
    GitRepo repo;
    repo.write("content/reports/2020-007/2020-10.md", report("80"));
    repo.write("reports/2020-007/2020-10.md", report("10"));  // outside the content: not ours
    repo.commit("发布");
    repo.write("content/reports/2020-007/2020-10.md", report("85"));
    repo.commit("更正");
    History h = history_of(repo, "content");
    REQUIRE(h.files.size() == 1);
    const FileHistory& f = h.files.at("reports/2020-007/2020-10.md");
    REQUIRE(f.amendments.size() == 1);
    CHECK(changes(f.amendments[0]) == "completion: 80 -> 85\n");
}

TEST_CASE("history walk: along the first parent, a branch's work arrives with its merge", "[history]") {
    GitRepo repo;
    repo.write("reports/2020-007/2020-09.md", report("70"));
    repo.commit("发布 9 月报告");
    repo.git("checkout -q -b draft");
    repo.write("reports/2020-007/2020-10.md", report("80"));
    repo.commit("起草 10 月报告");
    repo.write("reports/2020-007/2020-10.md", report("85"));
    repo.commit("修改草稿");
    repo.git("checkout -q main");
    repo.write("reports/2020-007/2020-09.md", report("72"));
    repo.commit("更正 9 月报告");
    repo.git("merge -q --no-ff -m 'Merge 10 月报告' draft");
    std::string merge = repo.git("rev-parse HEAD").substr(0, 40);
    History h = history_of(repo);
    const FileHistory& october = h.files.at("reports/2020-007/2020-10.md");
    REQUIRE(october.published);
    CHECK(october.published->commit == merge);
    CHECK(october.published->summary == "Merge 10 月报告");
    CHECK(october.amendments.empty());
    CHECK(h.files.at("reports/2020-007/2020-09.md").amendments.size() == 1);
}

TEST_CASE("history walk: a shallow clone is known to be shallow", "[history]") {
    GitRepo repo;
    repo.write("reports/2020-007/2020-10.md", report("80"));
    repo.commit("发布");
    repo.write("reports/2020-007/2020-10.md", report("85"));
    repo.commit("更正");
    TempDir tmp;
    auto r =
        run("git clone -q --depth 1 " + shell_quote("file://" + repo.dir()) + " " + shell_quote((tmp / "c").string()));
    INFO(r.output);
    REQUIRE(r.status == 0);
    git::Repository clone((tmp / "c").string());
    CHECK(clone.is_shallow());
    std::string head = repo.git("rev-parse HEAD").substr(0, 40);
    History h = read_history(clone, head, "", {"projects", "reports"});
    CHECK(h.shallow);
    // What it can see starts at the clone's only commit: not the report's first publication.
    const FileHistory& f = h.files.at("reports/2020-007/2020-10.md");
    CHECK(f.amendments.empty());
}

TEST_CASE("history walk: thousands of commits and reports in one walk", "[history]") {
    // 1,000 reports in 10 projects, each added by its own commit and amended by another: 2,000
    // commits, written at once with git fast-import.
    GitRepo repo;
    std::string stream;
    auto path = [](int i) { return "reports/p" + std::to_string(i % 10) + "/r" + std::to_string(i) + ".md"; };
    // Each commit continues the branch from the one before it.
    for (int i = 0; i < 2000; ++i)
        stream += import_commit(1577836800 + i * 3600, "commit " + std::to_string(i),
                                {{path(i % 1000), report(i < 1000 ? "10" : "20")}});
    fast_import(repo, stream);

    git::Repository repository(repo.dir());
    std::string head = repo.git("rev-parse main").substr(0, 40);
    History h = read_history(repository, head, "", {"projects", "reports"});
    CHECK(h.files.size() == 1000);
    CHECK(h.files.at(path(0)).amendments.size() == 1);
    CHECK(changes(h.files.at(path(999)).amendments.at(0)) == "completion: 10 -> 20\n");
    CHECK(h.files.at(path(999)).published->summary == "commit 999");

    // A walk asked to stop ends with HistoryStopped.
    std::stop_source stop;
    stop.request_stop();
    CHECK_THROWS_AS(read_history(repository, head, "", {"projects", "reports"}, nullptr, "", stop.get_token()),
                    HistoryStopped);
    // Not asked, the same token type walks to the end.
    std::stop_source idle;
    CHECK(read_history(repository, head, "", {"projects", "reports"}, nullptr, "", idle.get_token()).files.size() ==
          1000);
}

TEST_CASE("history walk: a build of content git could not all give ends cleanly, with a long history",
          "[history]") {
    // The walk runs beside the checking of the content and reads the repository; the build lets
    // go of the repository's packs once it is done reading, so it waits for a stopped walk to end.
    // parallel_test checks that order; this runs the whole path on a real repository, where
    // letting go too soon crashed (one run in three) or shows under the sanitizers.
    GitRepo repo;
    repo.write(gongkai::test::basic_site());
    repo.commit("the site");
    std::string stream;
    const std::string path = "reports/2020-001/2020-06.md";
    for (int i = 0; i < 600; ++i)
        stream += import_commit(1600000000 + i * 60, "amendment " + std::to_string(i),
                                {{path, "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-06-30\ndate = 2020-07-05\n"
                                        "completion = " +
                                            std::to_string(i % 100) + "\n+++\n上半年推进情况 " + std::to_string(i) +
                                            "。\n"}},
                                i == 0 ? "refs/heads/main^0" : "");
    // The last commit adds folders nested deeper than gongkai reads: an error found while the
    // content is read, which leaves the rest to be checked (and the walk to run) as usual.
    std::string deep = "static";
    for (int i = 0; i < 70; ++i) deep += "/d";
    stream += import_commit(1600100000, "deep folders", {{deep + "/x.txt", "x"}});
    fast_import(repo, stream);

    git::Repository repository(repo.dir());
    git::CommitSource source(repository, "main", "");
    BuildOptions options;
    options.write = false;
    options.jobs = 2;
    options.themes_dir = gongkai::test::source_themes_dir();
    BuildResult result = build_site(source, options);
    CHECK_FALSE(result.ok());
    CHECK(gongkai::test::listing(result.diagnostics).find("error: folders are nested more than") != std::string::npos);
    // The repository still reads after the build.
    CHECK(source.read_again(repo.git("rev-parse main:" + path).substr(0, 40), path).find("599") != std::string::npos);
}

TEST_CASE("history walk: names that sort differently as folders, and a file that becomes a folder", "[history]") {
    // Git sorts a folder as if its name ended in '/': "p1-x" comes before the folder "p1", and
    // "a.md" before the folder "a", though "p1" < "p1-x" byte by byte.
    GitRepo repo;
    repo.write("reports/p1/2020-01.md", report("10"));
    repo.write("reports/p1-x/2020-01.md", report("20"));
    repo.write("reports/p1.md", report("30"));
    repo.write("reports/a", report("40"));
    repo.write("reports/a.md", report("50"));
    repo.write("reports/q1/2020-01.md", report("60"));
    std::string first = repo.commit("一");
    repo.write("reports/p1/2020-01.md", report("11"));
    repo.write("reports/p1-x/2020-02.md", report("21"));
    repo.write("reports/p1.md", report("31"));
    repo.remove("reports/a");
    repo.write("reports/a/2020-01.md", report("41"));  // the file "a" is now a folder
    repo.write("reports/a.md", report("51"));
    // Beside the unchanged folder "q1", names that git sorts before it.
    repo.write("reports/q1-x/2020-01.md", report("61"));
    repo.write("reports/q1.md", report("62"));
    std::string second = repo.commit("二");

    History h = history_of(repo);
    auto published = [&](const std::string& path) {
        auto it = h.files.find(path);
        return it != h.files.end() && it->second.published ? it->second.published->commit : "(none)";
    };
    auto amended = [&](const std::string& path) {
        auto it = h.files.find(path);
        return it == h.files.end() ? std::string("(none)") : changes(it->second.last());
    };
    CHECK(h.files.size() == 10);
    CHECK(published("reports/p1/2020-01.md") == first);
    CHECK(amended("reports/p1/2020-01.md") == "completion: 10 -> 11\n");
    CHECK(published("reports/p1-x/2020-01.md") == first);
    CHECK(h.files.at("reports/p1-x/2020-01.md").amendments.empty());
    CHECK(published("reports/p1-x/2020-02.md") == second);
    CHECK(amended("reports/p1.md") == "completion: 30 -> 31\n");
    CHECK(amended("reports/a.md") == "completion: 50 -> 51\n");
    CHECK(published("reports/a") == first);
    CHECK(h.files.at("reports/a").amendments.empty());
    CHECK(published("reports/a/2020-01.md") == second);
    CHECK(published("reports/q1/2020-01.md") == first);
    CHECK(h.files.at("reports/q1/2020-01.md").amendments.empty());
    CHECK(published("reports/q1-x/2020-01.md") == second);
    CHECK(published("reports/q1.md") == second);
}
