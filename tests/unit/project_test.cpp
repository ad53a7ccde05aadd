#include <catch2/catch.hpp>

#include "content/parse.h"
#include "fixture.h"

using namespace gongkai;
using gongkai::test::has_error;
using gongkai::test::listing;

namespace {

const std::string path = "projects/2020-043.md";

std::optional<Project> parse(const std::string& text, Diagnostics& diags) {
    return parse_project(SourceFile{path, path, text}, diags);
}

// Every diagnostic of parsing text.
Diagnostics problems(const std::string& text) {
    Diagnostics diags;
    parse(text, diags);
    return diags;
}

}  // namespace

TEST_CASE("project: front matter and body are read", "[project]") {
    Diagnostics diags;
    auto p = parse(R"(+++
number = "043"
year = 2020
title = "推进教育“优质+均衡”发展三年行动计划"
department = "education"
co_departments = ["finance", "health"]
official = "某副区长"
target = "形成完善的机制。"

[[goals]]
id = "1"
title = "长宁教育“优质+均衡”发展"

  [[goals.goals]]
  id = "1.1"
  title = "高中"

[[goals]]
id = "2"
title = "人才引进"
+++
以教育现代化为主线。
)",
                   diags);
    INFO(listing(diags));
    REQUIRE(p);
    CHECK(diags.items().empty());
    CHECK(p->id == "2020-043");
    CHECK(p->number == "043");
    CHECK(p->year == 2020);
    CHECK(p->title == "推进教育“优质+均衡”发展三年行动计划");
    CHECK(p->department == "education");
    CHECK(p->department_line == 5);
    CHECK(p->co_departments == std::vector<std::string>{"finance", "health"});
    CHECK(p->official == "某副区长");
    CHECK(p->target == "形成完善的机制。");
    CHECK(p->body == "以教育现代化为主线。\n");
    CHECK(p->body_line == 22);
    REQUIRE(p->goals.size() == 2);
    CHECK(p->goals[0].id == "1");
    REQUIRE(p->goals[0].goals.size() == 1);
    CHECK(p->goals[0].goals[0].id == "1.1");
    CHECK(p->goals[0].goals[0].title == "高中");
    CHECK(p->goals[1].title == "人才引进");
}

TEST_CASE("project: start and end default to the project's year", "[project]") {
    Diagnostics diags;
    auto p = parse("+++\ntitle = \"t\"\nyear = 2021\ndepartment = \"d\"\n+++\n", diags);
    REQUIRE(p);
    CHECK(p->start == Date{2021, 1, 1});
    CHECK(p->end == Date{2021, 12, 31});

    auto dated = parse(
        "+++\ntitle = \"t\"\nyear = 2021\ndepartment = \"d\"\nstart = 2021-03-01\nend = 2022-06-30\n+++\n", diags);
    REQUIRE(dated);
    CHECK(dated->start == Date{2021, 3, 1});
    CHECK(dated->end == Date{2022, 6, 30});
}

TEST_CASE("project: malformed TOML is reported at its line in the file", "[project]") {
    Diagnostics diags;
    CHECK_FALSE(parse("+++\ntitle = \"t\"\nyear = 2020\ndepartment = education\n+++\n", diags));
    // Line 4 of the file is line 3 of the front matter.
    CHECK(has_error(diags, path, 4, "invalid TOML"));
}

TEST_CASE("project: missing required keys", "[project]") {
    Diagnostics diags = problems("+++\nnumber = \"043\"\n+++\n");
    CHECK(has_error(diags, path, 2, "title: missing required key"));
    CHECK(has_error(diags, path, 2, "year: missing required key"));
    CHECK(has_error(diags, path, 2, "department: missing required key"));
}

TEST_CASE("project: wrong types name the key and the line", "[project]") {
    Diagnostics diags = problems(R"(+++
title = "t"
year = "2020"
department = "d"
number = 43
co_departments = "finance"
start = "2020-01-01"
+++
)");
    CHECK(has_error(diags, path, 3, "year: expected a whole number, found a string"));
    CHECK(has_error(diags, path, 5, "number: expected a string in quotes, found an integer"));
    CHECK(has_error(diags, path, 6, "co_departments: expected an array of strings"));
    CHECK(has_error(diags, path, 7,
                    "start: expected a date, found a string (a date is written 2020-10-21, without quotes)"));
}

TEST_CASE("project: year outside 1900-2999 and an end before the start", "[project]") {
    Diagnostics diags = problems("+++\ntitle = \"t\"\nyear = 20\ndepartment = \"d\"\n+++\n");
    CHECK(has_error(diags, path, 3, "year: 20 is out of range: expected 1900 to 2999"));

    Diagnostics backwards =
        problems("+++\ntitle = \"t\"\nyear = 2020\ndepartment = \"d\"\nstart = 2020-06-01\nend = 2020-05-31\n+++\n");
    CHECK(has_error(backwards, path, 6, "end: the project ends (2020-05-31) before it starts (2020-06-01)"));
}

TEST_CASE("project: an unknown key is reported with its line", "[project]") {
    Diagnostics diags = problems("+++\ntitle = \"t\"\nyear = 2020\ndepartment = \"d\"\noffical = \"x\"\n+++\n");
    CHECK(has_error(diags, path, 5, "offical: unknown key; expected one of:"));
    CHECK(diags.error_count() == 1);
}

TEST_CASE("project: goal ids are unique across all levels", "[project]") {
    Diagnostics diags = problems(R"(+++
title = "t"
year = 2020
department = "d"

[[goals]]
id = "1"
title = "a"

  [[goals.goals]]
  id = "1.1"
  title = "b"

[[goals]]
id = "1.1"
title = "c"
+++
)");
    CHECK(has_error(diags, path, 15, "goals[2].id: duplicate goal id '1.1'"));
}

TEST_CASE("project: goals need an id and a title, and ids are letters, digits, '.' and '-'", "[project]") {
    Diagnostics diags = problems(R"(+++
title = "t"
year = 2020
department = "d"

[[goals]]
id = "1 2"
title = "a"

[[goals]]
title = "no id"

[[goals]]
id = "3"
titel = "typo"
+++
)");
    CHECK(has_error(diags, path, 7, "goals[1].id: '1 2' is not a valid goal id"));
    CHECK(has_error(diags, path, 10, "goals[2].id: missing required key"));
    CHECK(has_error(diags, path, 13, "goals[3].title: missing required key"));
    CHECK(has_error(diags, path, 15, "goals[3].titel: unknown key"));
}

TEST_CASE("project: a nested goal's problem names its full key", "[project]") {
    Diagnostics diags = problems(R"(+++
title = "t"
year = 2020
department = "d"

[[goals]]
id = "1"
title = "a"

  [[goals.goals]]
  id = "1.1"
  title = 11
+++
)");
    CHECK(has_error(diags, path, 12, "goals[1].goals[1].title: expected a string in quotes, found an integer"));
}
