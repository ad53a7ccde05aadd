#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "git/repository.h"
#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::CommandResult;
using gongkai::test::file_contains;
using gongkai::test::file_exists;
using gongkai::test::file_lacks;
using gongkai::test::Files;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::gongkai_cli;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

namespace {

const std::string project = "projects/2020-001/index.html";
const std::string october = "projects/2020-001/reports/2020-10/index.html";

// Builds repo with the fixture theme and any further options into out/site.
CommandResult build(const std::string& repo, const fs::path& out, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {
        "build", "--repo", repo, "--out", (out / "site").string(), "--theme-dir", fixture_themes_dir()};
    args.insert(args.end(), more.begin(), more.end());
    return gongkai_cli(args);
}

// The basic site as it stood in June: one report.
Files june_site() {
    Files files = basic_site();
    files.erase("reports/2020-001/2020-10.md");
    return files;
}

}  // namespace

TEST_CASE("git source: --ref builds an older commit", "[integration][git]") {
    GitRepo repo;
    repo.write(june_site());
    std::string june = repo.commit("June report");
    repo.write(basic_site());
    repo.commit("October report");
    repo.git("tag june-report " + june);

    TempDir latest, older, tagged;
    REQUIRE(build(repo.dir(), latest.path()).status == 0);
    CHECK(file_exists(latest / "site", october));
    CHECK(file_contains(latest / "site", project, "<p class=\"completion\">87.5%</p>"));

    auto r = build(repo.dir(), older.path(), {"--ref", june});
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK_FALSE(fs::exists(older / "site" / october));
    CHECK(file_contains(older / "site", project, "<p class=\"completion\">40%</p>"));

    REQUIRE(build(repo.dir(), tagged.path(), {"--ref", "june-report"}).status == 0);
    CHECK(test::differences(older / "site", tagged / "site").empty());

    TempDir parent;
    REQUIRE(build(repo.dir(), parent.path(), {"--ref", "main~1"}).status == 0);
    CHECK(test::differences(older / "site", parent / "site").empty());
}

TEST_CASE("git source: uncommitted edits are not published unless --worktree", "[integration][git]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    Files edited = basic_site();
    edited["projects/2020-001.md"].replace(edited["projects/2020-001.md"].find("推进教育优质均衡发展"),
                                           std::string("推进教育优质均衡发展").size(), "未提交的新标题");
    repo.write(edited);
    repo.write("departments/draft.toml", "name = \"未提交的部门\"\n");

    TempDir committed, worktree;
    auto r = build(repo.dir(), committed.path());
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(file_contains(committed / "site", project, "推进教育优质均衡发展"));
    CHECK(file_lacks(committed / "site", project, "未提交的新标题"));
    CHECK_FALSE(fs::exists(committed / "site" / "departments/draft"));

    auto w = build(repo.dir(), worktree.path(), {"--worktree"});
    INFO(w.output);
    REQUIRE(w.status == 0);
    CHECK(file_contains(worktree / "site", project, "未提交的新标题"));
    CHECK(file_contains(worktree / "site", "departments/draft/index.html", "未提交的部门"));
}

TEST_CASE("git source: a bare clone builds the same site", "[integration][git]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir clones;
    std::string bare = (clones / "content.git").string();
    repo.git("clone -q --bare . " + test::shell_quote(bare));

    TempDir from_repo, from_bare;
    REQUIRE(build(repo.dir(), from_repo.path()).status == 0);
    auto r = build(bare, from_bare.path());
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(file_contains(from_bare / "site", october, "张三、李四"));
    CHECK(test::differences(from_repo / "site", from_bare / "site").empty());

    auto w = build(bare, from_bare.path(), {"--worktree"});
    CHECK(w.status == 2);
    CHECK(w.output.find("bare") != std::string::npos);
}

TEST_CASE("git source: --content-dir reads the content from a sub-folder", "[integration][git]") {
    GitRepo repo;
    for (const auto& [path, data] : basic_site()) repo.write("content/" + path, data);
    repo.write("README.md", "# 仓库说明\n");
    repo.commit("Content in a folder");

    TempDir out;
    auto r = build(repo.dir(), out.path(), {"--content-dir", "content"});
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(file_contains(out / "site", project, "推进教育优质均衡发展"));

    TempDir slash;
    REQUIRE(build(repo.dir(), slash.path(), {"--content-dir", "content/"}).status == 0);
    CHECK(test::differences(out / "site", slash / "site").empty());

    TempDir worktree;
    REQUIRE(build(repo.dir(), worktree.path(), {"--content-dir", "content", "--worktree"}).status == 0);
    CHECK(test::differences(out / "site", worktree / "site").empty());
}

TEST_CASE("git source: errors in a sub-folder's content name the path in the repository", "[integration][git]") {
    GitRepo repo;
    Files files = basic_site();
    files["departments/health.toml"] = "name = \"卫健委\"\nwebsite = \"https://example.org/\"\n";
    for (const auto& [path, data] : files) repo.write("content/" + path, data);
    repo.commit("A typo");

    TempDir out;
    auto r = build(repo.dir(), out.path(), {"--content-dir", "content"});
    INFO(r.output);
    CHECK(r.status == 1);
    CHECK(test::says_at(r, "content/departments/health.toml:2:", "error: website: unknown key"));
    CHECK_FALSE(fs::exists(out / "site"));
}

TEST_CASE("git source: a --content-dir that is not in the commit is an error", "[integration][git]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    auto r = build(repo.dir(), out.path(), {"--content-dir", "content"});
    INFO(r.output);
    CHECK(r.status == 1);
    CHECK(r.output.find("content: error: no such folder in HEAD") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "site"));
}

TEST_CASE("git source: --worktree previews a repository before its first commit", "[integration][git]") {
    // Whatever the name of the branch that HEAD waits for.
    std::string branch = GENERATE(as<std::string>(), "master", "main");
    INFO("initial branch " << branch);
    GitRepo repo(branch);
    repo.write(basic_site());
    TempDir out;
    auto r = build(repo.dir(), out.path(), {"--worktree"});
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(file_contains(out / "site", project, "推进教育优质均衡发展"));
}

TEST_CASE("git source: symbolic links are refused, committed or in the working tree", "[integration][git]") {
    GitRepo repo;
    repo.write(basic_site());
    TempDir secrets;
    test::write_file(secrets / "passwd", "name = \"root:x:0:0\"\n");
    fs::create_symlink(secrets / "passwd", repo.path() / "departments/secret.toml");
    repo.commit("A link to a file outside the repository");

    TempDir committed, worktree;
    auto r = build(repo.dir(), committed.path());
    INFO(r.output);
    CHECK(r.status == 1);
    CHECK(test::says_at(r, "departments/secret.toml", "symbolic links are not published"));
    CHECK_FALSE(fs::exists(committed / "site"));

    auto w = build(repo.dir(), worktree.path(), {"--worktree"});
    INFO(w.output);
    CHECK(w.status == 1);
    CHECK(test::says_at(w, "departments/secret.toml", "symbolic links are not published"));
    CHECK(w.output.find("root:x") == std::string::npos);
    CHECK_FALSE(fs::exists(worktree / "site"));
}

TEST_CASE("git source: each folder is listed with its tree id, and a listing with the same id is taken whole",
          "[integration][git]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.write("reports/2020-001/notes.txt", "笔记\n");
    repo.commit("Seed");
    git::Repository repository(repo.dir());
    git::CommitSource source(repository, "HEAD", "");
    const std::string folder = "reports/2020-001/";
    auto trim = [](std::string text) {
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
        return text;
    };
    auto has = [](const Snapshot& s, const std::string& path) {
        return std::any_of(s.files.begin(), s.files.end(), [&](const SourceFile& f) { return f.path == path; });
    };

    Diagnostics diags;
    Snapshot first = source.read(diags);
    REQUIRE(first.trees.contains(""));
    REQUIRE(first.trees.contains(folder));
    CHECK(first.trees.at("").oid == trim(repo.git("rev-parse HEAD^{tree}")));
    CHECK(first.trees.at(folder).oid == trim(repo.git("rev-parse HEAD:reports/2020-001")));
    CHECK(first.trees.at("reports/").oid == trim(repo.git("rev-parse HEAD:reports")));
    // Every folder of the commit, and nothing else.
    std::size_t folders = 0;
    std::istringstream listed(repo.git("ls-tree -r -d --name-only HEAD"));
    for (std::string line; std::getline(listed, line);) {
        ++folders;
        CHECK(first.trees.contains(line + "/"));
    }
    CHECK(first.trees.size() == folders + 1);
    const TreeListing& listing = first.trees.at(folder);
    REQUIRE(std::any_of(listing.entries.begin(), listing.entries.end(),
                        [](const TreeListing::Entry& e) { return e.name == "notes.txt" && e.kind == 'f'; }));

    SECTION("a listing with the folder's tree id stands for the folder") {
        // The listing says less than git would: the read follows the listing, which it moves.
        TreeListings known = first.trees;
        auto& entries = known.at(folder).entries;
        std::erase_if(entries, [](const TreeListing::Entry& e) { return e.name == "notes.txt"; });
        Snapshot again = [&] {
            Reusing reusing(source, nullptr, &known);
            return source.read(diags);
        }();
        CHECK_FALSE(has(again, folder + "notes.txt"));
        CHECK(has(again, folder + "2020-10.md"));
        CHECK(known.empty());  // every folder's listing was taken out of those given
        CHECK(again.trees.at(folder).oid == listing.oid);
    }
    SECTION("a listing with another id is not taken: the folder is read from git") {
        TreeListings known = first.trees;
        known.at(folder).oid = std::string(40, '0');
        known.at(folder).entries.clear();
        Snapshot again = [&] {
            Reusing reusing(source, nullptr, &known);
            return source.read(diags);
        }();
        CHECK(known.size() == 1);  // only the folder read from git is left
        CHECK(has(again, folder + "notes.txt"));
        CHECK(has(again, folder + "2020-10.md"));
        CHECK(again.trees.at(folder).oid == listing.oid);
        CHECK(again.trees.at(folder).entries.size() == listing.entries.size());
    }
    SECTION("without listings, a read is as the first") {
        Snapshot again = source.read(diags);
        REQUIRE(again.files.size() == first.files.size());
        for (std::size_t i = 0; i < again.files.size(); ++i) CHECK(again.files[i].oid == first.files[i].oid);
    }
    CHECK_FALSE(diags.has_errors());
}
