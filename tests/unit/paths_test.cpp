#include "paths.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "utf8.h"

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

TEST_CASE("paths: the checks of names give what their first forms gave, for any name", "[paths]") {
    // is_windows_device_name and is_safe_relative_path as they were first written (a lower-cased
    // copy of each name; a search of the forbidden characters for every byte): the reference for
    // their faster forms, over random paths made of the characters that matter to them.
    auto device = [](std::string_view name) {
        name = name.substr(0, name.find('.'));
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        std::string n;
        for (char c : name) n += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        if (n == "con" || n == "prn" || n == "aux" || n == "nul") return true;
        return n.size() == 4 && (n.starts_with("com") || n.starts_with("lpt")) && n[3] >= '1' && n[3] <= '9';
    };
    auto safe = [&](std::string_view path) {
        if (path.empty() || path.front() == '/' || first_invalid_utf8(path)) return false;
        std::size_t start = 0;
        while (start <= path.size()) {
            std::size_t end = path.find('/', start);
            if (end == std::string_view::npos) end = path.size();
            std::string_view seg = path.substr(start, end - start);
            if (seg.empty() || seg.front() == '.' || seg.back() == '.' || seg.back() == ' ') return false;
            for (char c : seg) {
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
                if (std::string_view("\\:<>\"|?*").find(c) != std::string_view::npos) return false;
            }
            if (device(seg)) return false;
            start = end + 1;
        }
        return true;
    };
    const std::vector<std::string> pieces = {"con", "CoN", "nul", "aux", "prn", "com", "LPT", "lpt1", "com9", "com0",
                                             "1", "9", "a", "index", ".", "..", " ", "/", "/", "/", "html", "教",
                                             "\xe6", "\xff", "\x01", "\x1f", "\x7f", "\t", ":", "\\", "<", ">",
                                             "\"", "|", "?", "*", "-", "_", "~", "#", "%", "'", std::string(1, '\0')};
    std::mt19937 random(65);
    int safe_count = 0;
    for (int i = 0; i < 60000; ++i) {
        std::string path;
        const int n = 1 + static_cast<int>(random() % 8);
        for (int k = 0; k < n; ++k) path += pieces[random() % pieces.size()];
        INFO("path '" << path << "'");
        REQUIRE(is_windows_device_name(path) == device(path));
        REQUIRE(is_safe_relative_path(path) == safe(path));
        safe_count += safe(path) ? 1 : 0;
    }
    CHECK(safe_count > 1000);  // both answers come up
    for (int c = 0; c < 256; ++c) {
        const std::string name = "a" + std::string(1, static_cast<char>(c)) + "b";
        INFO("byte " << c);
        CHECK(is_safe_relative_path(name) == safe(name));
    }
}

TEST_CASE("printable: plain ASCII that fits comes back as it is, the rest as the rule says", "[paths]") {
    CHECK(printable("projects/2020-043.md", 100) == "projects/2020-043.md");
    CHECK(printable("", 0).empty());
    CHECK(printable("abc", 3) == "abc");
    CHECK(printable("abcd", 3) == "abc…");
    CHECK(printable("a~b", 3) == "a~b");
    CHECK(printable("a\x7f", 10) == "a\\x7F");
    CHECK(printable("a\tb", 10) == "a\\tb");
    CHECK(printable("a\tb", 10, true) == "a\tb");
    CHECK(printable("a\nb\x1f", 10) == "a\\nb\\x1F");
    CHECK(printable("教育/a", 100) == "教育/a");
    CHECK(printable("a\xff" "b", 100) == "a\\xFFb");
    // The edges of plain ASCII: 0x1F and 0x7F are escaped, 0x20 and 0x7E are not.
    CHECK(printable("a\x1f" "b", 100) == "a\\x1Fb");
    CHECK(printable(" ~", 100) == " ~");
    CHECK(printable("\x7f", 100) == "\\x7F");
}
