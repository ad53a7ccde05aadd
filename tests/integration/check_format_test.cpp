#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "commands/console.h"
#include "commands/explain.h"
#include "diagnostics.h"
#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::gongkai_cli;

namespace {

bool says(const test::CommandResult& r, const std::string& text) {
    if (r.output.find(text) != std::string::npos) return true;
    UNSCOPED_INFO("the output does not say \"" << text << "\":\n" << r.output);
    return false;
}

// A committed copy of the basic site with one report whose completion is written "90%".
void write_broken_site(GitRepo& repo, const std::string& language) {
    auto files = basic_site();
    if (language == "en") {
        auto& config = files["gongkai.toml"];
        config.replace(config.find("zh-CN"), 5, "en");
    }
    files["reports/2020-001/2020-12.md"] =
        "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-12-31\ndate = 2020-12-20\ncompletion = \"90%\"\n+++\n";
    repo.write(files);
    repo.commit("A report with a quoted percentage");
}

test::CommandResult check(const GitRepo& repo, const std::string& format) {
    return gongkai_cli({"check", "--repo", repo.dir(), "--theme-dir", fixture_themes_dir(), "--format", format});
}

}  // namespace

TEST_CASE("check --format human: the line, a caret under the spot, and the fix in the site's language",
          "[integration][check-format]") {
    GitRepo repo;
    write_broken_site(repo, "zh-CN");
    auto r = check(repo, "human");
    CHECK(r.status == 1);
    CHECK(test::says_at(r, "reports/2020-001/2020-12.md:5:14:", "error: completion: expected a percentage"));
    CHECK(says(r, "  5 | completion = \"90%\"\n    |              ^\n"));
    CHECK(says(r, "= 问题：应为 0 到 100 的百分数，实际是文字"));
    CHECK(says(r, "= 修改方法：写不带引号和 % 的数字（写 90，不写 \"90%\"）"));
    CHECK(says(r, "1 error(s)"));
}

TEST_CASE("check --format human: an English site gets the fix in English", "[integration][check-format]") {
    GitRepo repo;
    write_broken_site(repo, "en");
    auto r = check(repo, "human");
    CHECK(r.status == 1);
    CHECK(says(r, "    |              ^\n"));
    CHECK(says(r, "= to fix: write the number without quotes or '%' (90, not \"90%\")"));
    CHECK(r.output.find("修改方法") == std::string::npos);
}

TEST_CASE("build --format human: content in a folder of the repository is quoted, and read again alone",
          "[integration][check-format]") {
    // Only the files the diagnostics name (and gongkai.toml, for the language) are read again to
    // be quoted; a file's path in the repository has the content folder before it.
    GitRepo repo;
    auto files = basic_site();
    auto& config = files["gongkai.toml"];
    config.replace(config.find("zh-CN"), 5, "en");
    files["reports/2020-001/2020-12.md"] =
        "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-12-31\ndate = 2020-12-20\ncompletion = \"90%\"\n+++\n";
    for (const auto& [path, text] : files) repo.write("site/" + path, text);
    repo.commit("The content in a folder");
    test::TempDir out;
    auto r = gongkai_cli({"build", "--repo", repo.dir(), "--content-dir", "site", "--theme-dir", fixture_themes_dir(),
                          "--out", (out / "public").string()});
    CHECK(r.status == 1);
    CHECK(test::says_at(r, "site/reports/2020-001/2020-12.md:5:14:", "error: completion: expected a percentage"));
    CHECK(says(r, "  5 | completion = \"90%\"\n    |              ^\n"));
    CHECK(says(r, "= to fix: write the number without quotes or '%' (90, not \"90%\")"));
    CHECK_FALSE(std::filesystem::exists(out / "public"));
}

TEST_CASE("SourceTexts::quoted reads again only the files the diagnostics name, and gongkai.toml",
          "[check-format]") {
    MemorySource content({{"gongkai.toml", "language = \"en\"\n"},
                          {"reports/a.md", "line one\nline two\n"},
                          {"reports/b.md", "other\n"}});
    Diagnostics diagnostics;
    diagnostics.error("content/reports/a.md", 2, 1, "", "a problem");
    // MemorySource does not leave files unread; a source that reads from git is asked by path.
    std::vector<std::string> asked;
    class Asking final : public ContentSource {
    public:
        Asking(MemorySource& inner, std::vector<std::string>& asked) : inner_(inner), asked_(asked) {}
        Snapshot read(Diagnostics& d) override {
            Snapshot s = inner_.read(d);
            s.prefix = "content";
            for (auto& f : s.files) {
                f.repo_path = join_repo_path("content", f.path);
                if (known_ && known_(f.path, "0")) {
                    f.reused = true;
                    f.data.clear();
                } else {
                    asked_.push_back(f.path);
                }
            }
            return s;
        }

    private:
        MemorySource& inner_;
        std::vector<std::string>& asked_;
    } source(content, asked);
    SourceTexts texts = SourceTexts::quoted(source, "content", diagnostics);
    CHECK(asked == std::vector<std::string>{"gongkai.toml", "reports/a.md"});
    CHECK(texts.line("content/reports/a.md", 2) == std::optional<std::string>("line two"));
    CHECK_FALSE(texts.line("content/reports/b.md", 1));
    CHECK(texts.language() == "en");
    // The source is left asking nothing.
    asked.clear();
    Diagnostics ignored;
    source.read(ignored);
    CHECK(asked.size() == 3);
}

TEST_CASE("check --format github: workflow annotations on the file's line", "[integration][check-format]") {
    GitRepo repo;
    write_broken_site(repo, "zh-CN");
    auto r = check(repo, "github");
    CHECK(r.status == 1);
    CHECK(says(r, "::error file=reports/2020-001/2020-12.md,line=5,col=14,title=gongkai%3A completion::expected a "
                  "percentage from 0 to 100, found a string; write the number without quotes or '%25' (90, not "
                  "\"90%25\")\n"));
}

TEST_CASE("check --format json: one document on stdout", "[integration][check-format]") {
    GitRepo repo;
    write_broken_site(repo, "zh-CN");
    // stderr is dropped so the document is all there is.
    auto r = test::run("(cd " + test::shell_quote(repo.dir()) + " && " + test::shell_quote(GONGKAI_TEST_BINARY) +
                       " check --format json --theme-dir " + test::shell_quote(fixture_themes_dir()) + " 2>/dev/null)");
    CHECK(r.status == 1);
    CHECK(r.output.starts_with("{\"ok\":false,\"errors\":1,\"warnings\":0,\"diagnostics\":[\n"));
    CHECK(says(r, "{\"severity\":\"error\",\"file\":\"reports/2020-001/2020-12.md\",\"line\":5,\"column\":14,"
                  "\"key\":\"completion\","));
    CHECK(says(r, "\"problem\":\"expected a percentage from 0 to 100, found a string\""));
    CHECK(r.output.ends_with("]}\n"));

    GitRepo good;
    good.write(basic_site());
    good.commit("Seed");
    auto ok = test::run("(cd " + test::shell_quote(good.dir()) + " && " + test::shell_quote(GONGKAI_TEST_BINARY) +
                        " check --format json --theme-dir " + test::shell_quote(fixture_themes_dir()) + " 2>/dev/null)");
    CHECK(ok.status == 0);
    CHECK(ok.output == "{\"ok\":true,\"errors\":0,\"warnings\":0,\"diagnostics\":[]}\n");
}

TEST_CASE("check --format json: a problem outside the content is a document too, with status 2",
          "[integration][check-format]") {
    test::TempDir plain;
    auto r = test::run("(" + test::shell_quote(GONGKAI_TEST_BINARY) + " check --format json --repo " +
                       test::shell_quote(plain.path().string()) + " 2>/dev/null)");
    CHECK(r.status == 2);
    CHECK(says(r, "{\"ok\":false,\"errors\":1,"));
    CHECK(says(r, "not a git repository"));
}

TEST_CASE("check: an unknown --format is bad usage", "[integration][check-format]") {
    GitRepo repo;
    write_broken_site(repo, "zh-CN");
    CHECK(check(repo, "xml").status == 2);
}

TEST_CASE("check --quiet prints errors only, and --verbose says where it reads", "[integration][check-format]") {
    GitRepo repo;
    auto files = basic_site();
    files["reports/2020-001/2020-12.md"] =
        "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-12-31\ndate = 2020-12-20\ncompletion = 50\n\n"
        "[goal_completion]\n\"1\" = 90\n\"1.1\" = 10\n\"1.2\" = 20\n+++\n";
    repo.write(files);
    repo.commit("A goal whose parts do not add up: a warning");
    auto normal = gongkai_cli({"check", "--repo", repo.dir(), "--theme-dir", fixture_themes_dir()});
    CHECK(normal.status == 0);
    CHECK(says(normal, "warning: goal_completion.1: states 90%"));
    CHECK(says(normal, "no errors found"));
    auto quiet = gongkai_cli({"check", "--quiet", "--repo", repo.dir(), "--theme-dir", fixture_themes_dir()});
    CHECK(quiet.status == 0);
    CHECK(quiet.output.empty());
    auto verbose = gongkai_cli({"check", "--verbose", "--repo", repo.dir(), "--theme-dir", fixture_themes_dir()});
    CHECK(verbose.status == 0);
    CHECK(says(verbose, "themes from " + fixture_themes_dir()));
    CHECK(says(verbose, "rendering the pages: done in"));
}

TEST_CASE("build: no progress line when stderr is not a terminal", "[integration][check-format]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    test::TempDir out;
    auto r = gongkai_cli({"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir",
                          fixture_themes_dir()});
    CHECK(r.status == 0);
    CHECK(r.output.find('\r') == std::string::npos);
    CHECK(r.output.find("\x1b[") == std::string::npos);
}

TEST_CASE("version: --version names gongkai's and the libraries' versions", "[integration][check-format]") {
    auto r = gongkai_cli({"--version"});
    CHECK(r.status == 0);
    CHECK(says(r, std::string("gongkai ") + GONGKAI_VERSION + "\n"));
    for (const char* library : {"libgit2 ", "cmark-gfm ", "toml++ ", "CLI11 ", "kainjow mustache", "xxHash ",
                                "simdjson ", "libdeflate ", "cpp-httplib "})
        CHECK(says(r, library));
    // Each library with a version of digits and dots, as its own headers or calls give it; jemalloc
    // (its answer without the git description it carries) only from a program that uses it.
    std::vector<std::string> numbered{"xxHash", "simdjson", "libdeflate"};
#ifdef GONGKAI_TEST_BINARY_JEMALLOC
    numbered.push_back("jemalloc");
#else
    CHECK(r.output.find("jemalloc") == std::string::npos);
#endif
    for (const std::string& library : numbered) {
        INFO(library);
        const std::size_t at = r.output.find("\n  " + library + " ");
        REQUIRE(at != std::string::npos);
        const std::size_t from = at + 4 + library.size();
        const std::string version = r.output.substr(from, r.output.find('\n', from) - from);
        CHECK(!version.empty());
        CHECK(version.find_first_not_of("0123456789.") == std::string::npos);
        CHECK(std::count(version.begin(), version.end(), '.') >= 1);
    }
}

TEST_CASE("source_excerpt: the caret counts wide characters as two cells", "[check-format]") {
    CHECK(source_excerpt("addressee = \"长宁区\" x", 3, 19, "") ==
          "  3 | addressee = \"长宁区\" x\n    |                      ^\n");
    // Without a column, under the value of the key the line sets.
    CHECK(source_excerpt("  department = \"educaton\"\r", 12, 0, "department") ==
          "  12 |   department = \"educaton\"\n     |                ^\n");
    CHECK(source_excerpt("\tx = 1", 1, 2, "") == "  1 | \tx = 1\n    | \t^\n");
}

TEST_CASE("split_advice and explain: the problem, and what to write instead", "[check-format]") {
    Advice a = split_advice("missing required key; add year = 2020");
    CHECK(a.problem == "missing required key");
    CHECK(a.instead == "add year = 2020");
    CHECK(split_advice("'fr' is not a supported language: use \"zh-CN\" or \"en\"").instead == "use \"zh-CN\" or \"en\"");
    CHECK(split_advice("the period ends (2019-06-30) before it starts (2020-01-01)").instead.empty());

    Diagnostic d{Severity::error, "projects/a.md", 3, 1, "year", "expected a whole number, found a string"};
    Advice zh = explain(d, "zh-CN");
    CHECK(zh.problem == "应为整数，实际是文字");
    CHECK(zh.instead == "写不带引号的整数，例如 2020");
    CHECK(explain(d, "en").problem == "expected a whole number, found a string");
    d.message = "a message nobody translated";
    CHECK(explain(d, "zh-CN").problem == "a message nobody translated");
}

TEST_CASE("format_github and format_json escape what they must", "[check-format]") {
    Diagnostic d{Severity::warning, "a,b:c.md", 2, 0, "", "50% done\nnext"};
    CHECK(format_github(d) == "::warning file=a%2Cb%3Ac.md,line=2,title=gongkai::50%25 done%0Anext");
    Diagnostics all;
    all.add(d);
    CHECK(format_json(all) ==
          "{\"ok\":true,\"errors\":0,\"warnings\":1,\"diagnostics\":[\n{\"severity\":\"warning\",\"file\":\"a,b:c.md\","
          "\"line\":2,\"column\":null,\"key\":null,\"message\":\"50% done\\nnext\",\"problem\":\"50% done\\nnext\","
          "\"instead\":null}\n]}\n");
    // As data/reports.json escapes its strings: < > & and the line separators too.
    Diagnostics odd;
    odd.add({Severity::error, "<a>&b.md", 1, 0, "", "x\x7f \xe2\x80\xa8 \"\\ \xe6\x94\xbf"});
    CHECK(format_json(odd) ==
          "{\"ok\":false,\"errors\":1,\"warnings\":0,\"diagnostics\":[\n{\"severity\":\"error\",\"file\":"
          "\"\\u003ca\\u003e\\u0026b.md\",\"line\":1,\"column\":null,\"key\":null,\"message\":\"x\\u007f "
          "\\u2028 \\\"\\\\ \xe6\x94\xbf\",\"problem\":\"x\\u007f \\u2028 \\\"\\\\ \xe6\x94\xbf\",\"instead\":null}\n]}\n");
}
