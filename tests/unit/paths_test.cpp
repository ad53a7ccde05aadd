#include "paths.h"

#include <catch2/catch.hpp>

using namespace gongkai;

TEST_CASE("ids: lower-case letters, digits and '-', starting with a letter or digit", "[paths]") {
    CHECK(is_valid_id("education"));
    CHECK(is_valid_id("2020-043"));
    CHECK(is_valid_id("2020-q3"));
    CHECK(is_valid_id("a"));
    CHECK_FALSE(is_valid_id(""));
    CHECK_FALSE(is_valid_id("Bad_ID"));
    CHECK_FALSE(is_valid_id("Education"));
    CHECK_FALSE(is_valid_id("-leading"));
    CHECK_FALSE(is_valid_id("a b"));
    CHECK_FALSE(is_valid_id("a.b"));
    CHECK_FALSE(is_valid_id("a/b"));
    CHECK_FALSE(is_valid_id(".."));
    CHECK_FALSE(is_valid_id("教育局"));
}

TEST_CASE("ids: at most 64 characters", "[paths]") {
    CHECK(is_valid_id(std::string(64, 'a')));
    CHECK_FALSE(is_valid_id(std::string(65, 'a')));
    CHECK_FALSE(is_valid_id(std::string(100, 'a')));
}

TEST_CASE("goal ids: letters, digits, '.' and '-'", "[paths]") {
    CHECK(is_valid_goal_id("1"));
    CHECK(is_valid_goal_id("1.2"));
    CHECK(is_valid_goal_id("A-3"));
    CHECK_FALSE(is_valid_goal_id(""));
    CHECK_FALSE(is_valid_goal_id(".1"));
    CHECK_FALSE(is_valid_goal_id("1 2"));
    CHECK_FALSE(is_valid_goal_id("⑴"));
}

TEST_CASE("safe relative paths stay inside the site", "[paths]") {
    CHECK(is_safe_relative_path("index.html"));
    CHECK(is_safe_relative_path("projects/2020-043/reports/2020-10/index.html"));
    CHECK(is_safe_relative_path("assets/style.css"));
    CHECK_FALSE(is_safe_relative_path(""));
    CHECK_FALSE(is_safe_relative_path("../x"));
    CHECK_FALSE(is_safe_relative_path("/abs"));
    CHECK_FALSE(is_safe_relative_path("a/../b"));
    CHECK_FALSE(is_safe_relative_path("a\\b"));
    CHECK_FALSE(is_safe_relative_path("..\\x"));
    CHECK_FALSE(is_safe_relative_path("a//b"));
    CHECK_FALSE(is_safe_relative_path("a/"));
    CHECK_FALSE(is_safe_relative_path("./a"));
    CHECK_FALSE(is_safe_relative_path(".git/config"));
    CHECK_FALSE(is_safe_relative_path("C:/x"));
    CHECK_FALSE(is_safe_relative_path(std::string("a\0b", 3)));
}

TEST_CASE("stem: the file name without folder and extension", "[paths]") {
    CHECK(stem("reports/2020-043/2020-10.md") == "2020-10");
    CHECK(stem("departments/education.toml") == "education");
    CHECK(stem("gongkai.toml") == "gongkai");
    CHECK(stem("templates/404.mustache") == "404");
    CHECK(stem("a/noext") == "noext");
}
