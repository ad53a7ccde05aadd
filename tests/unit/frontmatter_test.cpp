#include "content/frontmatter.h"

#include <catch2/catch.hpp>

#include "fixture.h"

using namespace gongkai;
using gongkai::test::has_error;
using gongkai::test::listing;

namespace {

const std::string path = "projects/2020-043.md";

}  // namespace

TEST_CASE("front matter: TOML between two +++ lines, then the body", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("+++\ntitle = \"a\"\nyear = 2020\n+++\nThe plan.\n", path, diags);
    INFO(listing(diags));
    REQUIRE(fm);
    CHECK(diags.items().empty());
    CHECK(fm->toml == "title = \"a\"\nyear = 2020\n");
    CHECK(fm->body == "The plan.\n");
    CHECK(fm->toml_line == 2);
    CHECK(fm->body_line == 5);
}

TEST_CASE("front matter: the body's first line is counted from the top of the file", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("+++\na = 1\nb = 2\nc = 3\n+++\n# Heading\n", path, diags);
    REQUIRE(fm);
    CHECK(fm->body_line == 6);
    CHECK(fm->body == "# Heading\n");

    auto empty = split_front_matter("+++\n+++\n", path, diags);
    REQUIRE(empty);
    CHECK(empty->toml.empty());
    CHECK(empty->body.empty());
    CHECK(empty->body_line == 3);
}

TEST_CASE("front matter: a UTF-8 byte order mark is skipped", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("\xEF\xBB\xBF+++\ntitle = \"标题\"\n+++\n正文\n", path, diags);
    INFO(listing(diags));
    REQUIRE(fm);
    CHECK(fm->toml == "title = \"标题\"\n");
    CHECK(fm->body == "正文\n");
    CHECK(fm->body_line == 4);
}

TEST_CASE("front matter: CRLF line ends are accepted and removed", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("+++\r\ntitle = \"a\"\r\n+++\r\nline one\r\nline two\r\n", path, diags);
    INFO(listing(diags));
    REQUIRE(fm);
    CHECK(fm->toml == "title = \"a\"\n");
    CHECK(fm->body == "line one\nline two\n");
    CHECK(fm->body_line == 4);
}

TEST_CASE("front matter: only CR before LF is removed, and a lone CR stays", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("+++\r\na = 1\r\n+++\r\none\rtwo\r\r\nthree\r\n\r\n\rfour\r", path, diags);
    INFO(listing(diags));
    REQUIRE(fm);
    CHECK(fm->body == "one\rtwo\r\nthree\n\n\rfour\r");
    auto plain = split_front_matter("+++\na = 1\n+++\nno carriage returns at all\n", path, diags);
    REQUIRE(plain);
    CHECK(plain->body == "no carriage returns at all\n");
}

TEST_CASE("front matter: trailing spaces after +++ still close it", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("+++  \na = 1\n+++\t\nbody", path, diags);
    REQUIRE(fm);
    CHECK(fm->toml == "a = 1\n");
    CHECK(fm->body == "body");
}

TEST_CASE("front matter: a +++ inside the body is body text", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("+++\na = 1\n+++\nbefore\n+++\nafter\n", path, diags);
    REQUIRE(fm);
    CHECK(fm->toml == "a = 1\n");
    CHECK(fm->body == "before\n+++\nafter\n");
}

TEST_CASE("front matter: a file without an opening +++ is an error at line 1", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("title = \"a\"\n+++\nbody\n", path, diags);
    CHECK_FALSE(fm);
    CHECK(has_error(diags, path, 1, "the first line must be '+++'"));

    Diagnostics blank_first;
    CHECK_FALSE(split_front_matter("\n+++\na = 1\n+++\n", path, blank_first));
    CHECK(has_error(blank_first, path, 1, "'+++'"));

    Diagnostics empty;
    CHECK_FALSE(split_front_matter("", path, empty));
    CHECK(empty.error_count() == 1);
}

TEST_CASE("front matter: YAML '---' gets its own message", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("---\ntitle: a\n---\nbody\n", path, diags);
    CHECK_FALSE(fm);
    CHECK(diags.error_count() == 1);
    CHECK(has_error(diags, path, 1, "'---' (YAML)"));
}

TEST_CASE("front matter: never closed is an error naming the file", "[frontmatter]") {
    Diagnostics diags;
    auto fm = split_front_matter("+++\ntitle = \"a\"\nbody without a closing line\n", path, diags);
    CHECK_FALSE(fm);
    CHECK(diags.error_count() == 1);
    CHECK(has_error(diags, path, test::any_line, "never closed"));

    Diagnostics only_opening;
    CHECK_FALSE(split_front_matter("+++", path, only_opening));
    CHECK(has_error(only_opening, path, test::any_line, "never closed"));
}

TEST_CASE("front matter: '++++' or '+++ toml' is not a delimiter", "[frontmatter]") {
    Diagnostics diags;
    CHECK_FALSE(split_front_matter("++++\na = 1\n++++\n", path, diags));
    Diagnostics unclosed;
    CHECK_FALSE(split_front_matter("+++\na = 1\n+++ toml\n", path, unclosed));
    CHECK(has_error(unclosed, path, test::any_line, "never closed"));
}
