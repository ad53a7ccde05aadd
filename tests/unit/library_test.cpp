#include "content/library.h"

#include <catch2/catch.hpp>

#include "fixture.h"

using namespace gongkai;
using gongkai::test::any_line;
using gongkai::test::basic_site;
using gongkai::test::Files;
using gongkai::test::has_error;
using gongkai::test::listing;
using gongkai::test::parse_fixture;

namespace {

std::optional<Library> load(const Files& files, Diagnostics& diags) {
    MemorySource source(files);
    return load_library(source.read(diags), diags);
}

}  // namespace

TEST_CASE("library: the basic site loads, sorted", "[library]") {
    Diagnostics diags;
    auto lib = load(basic_site(), diags);
    INFO(listing(diags));
    REQUIRE(lib);
    CHECK_FALSE(diags.has_errors());
    CHECK(lib->config.title == "测试区重点工作推进情况");
    REQUIRE(lib->departments.size() == 2);
    CHECK(lib->departments[0].id == "education");
    CHECK(lib->departments[1].id == "health");
    REQUIRE(lib->projects.size() == 1);
    CHECK(lib->project("2020-001")->number == "001");
    CHECK(lib->department("nobody") == nullptr);
    auto reports = lib->reports_of("2020-001");
    REQUIRE(reports.size() == 2);
    CHECK(reports[0]->id == "2020-06");
    CHECK(reports[1]->id == "2020-10");
}

TEST_CASE("library: reports are in period order, whatever their files are named", "[library]") {
    // The files come in name order, which here is not the periods' order: a-late before b-early.
    Files files = basic_site();
    files["reports/2020-001/a-late.md"] = files.at("reports/2020-001/2020-10.md");
    files["reports/2020-001/b-early.md"] = files.at("reports/2020-001/2020-06.md");
    files.erase("reports/2020-001/2020-10.md");
    files.erase("reports/2020-001/2020-06.md");
    Diagnostics diags;
    auto lib = load(files, diags);
    INFO(listing(diags));
    REQUIRE(lib);
    auto reports = lib->reports_of("2020-001");
    REQUIRE(reports.size() == 2);
    CHECK(reports[0]->id == "b-early");
    CHECK(reports[1]->id == "a-late");
}

TEST_CASE("library: templates and static files of the content are kept for the theme", "[library]") {
    Files files = basic_site();
    files["templates/index.mustache"] = "<p>own home page</p>";
    files["static/assets/logo.png"] = std::string("\x89PNG\0\x01", 6);
    Diagnostics diags;
    auto lib = load(files, diags);
    INFO(listing(diags));
    REQUIRE(lib);
    CHECK(lib->templates.at("index") == "<p>own home page</p>");
    CHECK(lib->static_files.at("assets/logo.png").size() == 6);
}

TEST_CASE("library: byte order marks and Windows line ends are accepted", "[library]") {
    Files files;
    for (const auto& [path, data] : basic_site()) {
        std::string crlf = "\xEF\xBB\xBF";
        for (char c : data) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        files[path] = crlf;
    }
    Diagnostics diags;
    auto lib = load(files, diags);
    INFO(listing(diags));
    REQUIRE(lib);
    CHECK(diags.items().empty());
    CHECK(lib->config.title == "测试区重点工作推进情况");
    CHECK(lib->department("education")->name == "测试区教育局");
    CHECK(lib->project("2020-001")->body == "以教育现代化为主线，推进各项举措落地。\n");
    CHECK(lib->reports_of("2020-001")[1]->contacts.at(1).phone == "11110002");

    // Lines are still counted right.
    files["departments/health.toml"] = "\xEF\xBB\xBFname = \"卫健委\"\r\n\r\nwebsite = \"x\"\r\n";
    Diagnostics typo;
    load(files, typo);
    CHECK(has_error(typo, "departments/health.toml", 3, "website: unknown key"));
}

TEST_CASE("library: gongkai.toml is required", "[library]") {
    Files files = basic_site();
    files.erase("gongkai.toml");
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "gongkai.toml", any_line, "missing: every content folder needs a gongkai.toml"));
}

TEST_CASE("library: a project's unknown department is reported at the department line", "[library]") {
    Files files = basic_site();
    files["projects/2020-002.md"] =
        "+++\ntitle = \"t\"\nyear = 2020\ndepartment = \"finance\"\nco_departments = [\"police\"]\n+++\n";
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "projects/2020-002.md", 4,
                    "department: unknown department 'finance': no file departments/finance.toml"));
    CHECK(has_error(diags, "projects/2020-002.md", 5, "co_departments: unknown department 'police'"));
}

TEST_CASE("library: a report folder that names no project", "[library]") {
    Files files = basic_site();
    files["reports/2020-999/2020-10.md"] = files["reports/2020-001/2020-10.md"];
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "reports/2020-999/2020-10.md", any_line,
                    "unknown project '2020-999': no file projects/2020-999.md"));
}

TEST_CASE("library: goal_completion names a goal the project lacks", "[library]") {
    Files files = basic_site();
    files["reports/2020-001/2020-12.md"] =
        "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-12-31\ndate = 2021-01-05\ncompletion = 100\n"
        "[goal_completion]\n\"1\" = 100\n\"7\" = 100\n+++\n";
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "reports/2020-001/2020-12.md", 8,
                    "goal_completion.7: project '2020-001' has no goal with id '7'"));
    CHECK(diags.error_count() == 1);
}

TEST_CASE("library: two reports of one project for the same period", "[library]") {
    Files files = basic_site();
    files["reports/2020-001/2020-10-again.md"] = files["reports/2020-001/2020-10.md"];
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "reports/2020-001/2020-10-again.md", any_line,
                    "covers the same period as reports/2020-001/2020-10.md"));
    // Like every error about a key, it names the key's line: period_end is on line 4.
    CHECK(has_error(diags, "reports/2020-001/2020-10-again.md", 4, "period_end: covers the same period"));
}

TEST_CASE("library: invalid UTF-8 is reported at its line", "[library]") {
    Files files = basic_site();
    files["departments/health.toml"] = "name = \"卫健委\"\n# 注释\ndescription = \"\xB3\xA4\xC4\xFE\"\n";  // GBK
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "departments/health.toml", 3, "is not valid UTF-8 text (save the file as UTF-8)"));
}

TEST_CASE("library: a file that cannot be read is reported once, not again by what refers to it", "[library]") {
    Files files = basic_site();
    files["departments/health.toml"] = "name = \"卫健委\"\nname = \"twice\"\n";
    files["projects/2020-001.md"] = "---\ntitle: YAML\n---\n";
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "departments/health.toml", 2, "invalid TOML"));
    CHECK(has_error(diags, "projects/2020-001.md", 1, "'---' (YAML)"));
    // The reports of 2020-001 and its reference to health are not errors of their own.
    CHECK(diags.error_count() == 2);
}

TEST_CASE("library: a binary file where text belongs", "[library]") {
    Files files = basic_site();
    files["projects/2020-002.md"] = std::string("PK\x03\x04\0\0binary", 12);
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "projects/2020-002.md", any_line, "is a binary file, not UTF-8 text"));
}

TEST_CASE("library: ids must be lower-case letters, digits and '-', at most 64 long", "[library]") {
    Files files = basic_site();
    std::string long_id(100, 'a');
    files["departments/Bad_ID.toml"] = "name = \"x\"\n";
    files["projects/" + long_id + ".md"] = "+++\ntitle = \"t\"\nyear = 2020\ndepartment = \"education\"\n+++\n";
    files["reports/2020-001/Q3 report.md"] =
        "+++\nperiod_start = 2020-07-01\nperiod_end = 2020-09-30\n"
        "date = 2020-10-05\ncompletion = 60\n+++\n";
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "departments/Bad_ID.toml", any_line, "'Bad_ID' is not a valid department id"));
    CHECK(has_error(diags, "projects/" + long_id + ".md", any_line, "is not a valid project id"));
    CHECK(has_error(diags, "reports/2020-001/Q3 report.md", any_line, "'Q3 report' is not a valid report id"));
}

TEST_CASE("library: files in the wrong place are named", "[library]") {
    Files files = basic_site();
    files["departments/education.md"] = "name = \"x\"\n";
    files["reports/2020-10.md"] = "+++\n+++\n";
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    CHECK(has_error(diags, "departments/education.md", any_line, "unexpected file: departments/ holds one <id>.toml"));
    CHECK(has_error(diags, "reports/2020-10.md", any_line,
                    "unexpected file: reports/ holds <project-id>/<report-id>.md"));
}

TEST_CASE("library: every error of every file is reported in one run", "[library]") {
    Files files = parse_fixture(R"(
-- gongkai.toml --
title = "t"
language = "zh-CN"
base_url = "https://example.org/"
-- departments/education.toml --
name = "长宁区教育局"
websit = "https://example.org/"
-- projects/2020-043.md --
+++
title = "t"
year = 2020
department = "educaton"
+++
-- reports/2020-043/2020-10.md --
+++
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-10-21
completion = "90%"
+++
-- reports/2020-043/2020-06.md --
+++
period_start = 2020-07-01
period_end = 2020-06-30
date = 2020-07-05
completion = 40
+++
)");
    Diagnostics diags;
    CHECK_FALSE(load(files, diags));
    INFO(listing(diags));
    CHECK(has_error(diags, "gongkai.toml", any_line, "publisher: missing required key"));
    CHECK(has_error(diags, "departments/education.toml", 2, "websit: unknown key"));
    CHECK(has_error(diags, "projects/2020-043.md", 4, "department: unknown department 'educaton'"));
    CHECK(has_error(diags, "reports/2020-043/2020-10.md", 5, "completion: expected a percentage"));
    CHECK(has_error(diags, "reports/2020-043/2020-06.md", 3, "period_end: the period ends"));
    CHECK(diags.error_count() == 5);
    for (const auto& d : diags.items()) {
        INFO(format(d));
        CHECK_FALSE(d.path.empty());
        if (!d.key.empty()) CHECK(d.line > 0);
    }
}
