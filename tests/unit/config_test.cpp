#include <catch2/catch.hpp>

#include "content/parse.h"
#include "fixture.h"

using namespace gongkai;
using gongkai::test::has_error;
using gongkai::test::listing;

namespace {

// Messages name the file as the repository has it: here the content lives in content/.
SourceFile file(std::string path, std::string text) {
    return SourceFile{path, "content/" + path, std::move(text)};
}

Diagnostics config_problems(const std::string& text) {
    Diagnostics diags;
    parse_config(file("gongkai.toml", text), diags);
    return diags;
}

Diagnostics department_problems(const std::string& text) {
    Diagnostics diags;
    parse_department(file("departments/education.toml", text), diags);
    return diags;
}

const std::string config_path = "content/gongkai.toml";
const std::string department_path = "content/departments/education.toml";

}  // namespace

TEST_CASE("gongkai.toml: every key is read", "[config]") {
    Diagnostics diags;
    auto config = parse_config(file("gongkai.toml", R"(title = "长宁区人民政府 2020 年重点工作推进情况"
language = "en"
base_url = "https://example.org/progress/"
publisher = "长宁区人民政府"
description = "一句话。"
programme = "区政府 2020 年重点工作"
sample_data = true
theme = "plain"
)"),
                               diags);
    INFO(listing(diags));
    REQUIRE(config);
    CHECK(diags.items().empty());
    CHECK(config->path == config_path);
    CHECK(config->title == "长宁区人民政府 2020 年重点工作推进情况");
    CHECK(config->language == "en");
    CHECK(config->base_url == "https://example.org/progress/");
    CHECK(config->publisher == "长宁区人民政府");
    CHECK(config->description == "一句话。");
    CHECK(config->programme == "区政府 2020 年重点工作");
    CHECK(config->sample_data);
    CHECK(config->theme == "plain");
}

TEST_CASE("gongkai.toml: malformed TOML is reported with its line", "[config]") {
    Diagnostics diags;
    parse_config(file("gongkai.toml",
                      "title = \"a\"\nlanguage = \"zh-CN\"\nbase_url = \"https://example.org/\npublisher = \"b\"\n"),
                 diags);
    CHECK(has_error(diags, config_path, 3, "invalid TOML"));
}

TEST_CASE("gongkai.toml: each required key missing is its own error", "[config]") {
    Diagnostics diags = config_problems("description = \"only this\"\n");
    CHECK(has_error(diags, config_path, 1, "title: missing required key; add title = "));
    CHECK(has_error(diags, config_path, 1, "language: missing required key"));
    CHECK(has_error(diags, config_path, 1, "base_url: missing required key"));
    CHECK(has_error(diags, config_path, 1, "publisher: missing required key"));
    CHECK(diags.error_count() == 4);
}

TEST_CASE("gongkai.toml: wrong types, values and unknown keys name their line", "[config]") {
    Diagnostics diags = config_problems(R"(title = "t"
language = "fr"
base_url = "example.org"
publisher = "p"
sample_data = "yes"
titel = "typo"
)");
    CHECK(has_error(diags, config_path, 2, "language: 'fr' is not a supported language"));
    CHECK(has_error(diags, config_path, 3, "base_url: expected an address starting with https://"));
    CHECK(has_error(diags, config_path, 5, "sample_data: expected true or false, found a string"));
    CHECK(has_error(diags, config_path, 6, "titel: unknown key; expected one of: title,"));
    CHECK(diags.error_count() == 4);
}

TEST_CASE("gongkai.toml: an empty required string is an error", "[config]") {
    Diagnostics diags = config_problems("title = \"  \"\nlanguage = \"zh-CN\"\nbase_url = \"/\"\npublisher = \"p\"\n");
    CHECK(has_error(diags, config_path, 1, "title: must not be empty"));
}

TEST_CASE("department: name, contacts and website are read", "[config]") {
    Diagnostics diags;
    auto d = parse_department(file("departments/education.toml", R"(name = "长宁区教育局"
short_name = "区教育局"
url = "https://www.shcn.gov.cn/"

[[contacts]]
name = "宗宏"
phone = "22050725"
role = "科长"
)"),
                              diags);
    INFO(listing(diags));
    REQUIRE(d);
    CHECK(diags.items().empty());
    CHECK(d->id == "education");
    CHECK(d->path == department_path);
    CHECK(d->name == "长宁区教育局");
    CHECK(d->short_name == "区教育局");
    CHECK(d->url == "https://www.shcn.gov.cn/");
    REQUIRE(d->contacts.size() == 1);
    CHECK(d->contacts[0].name == "宗宏");
    CHECK(d->contacts[0].phone == "22050725");
    CHECK(d->contacts[0].role == "科长");
}

TEST_CASE("department: a website other than http(s) is refused", "[config]") {
    Diagnostics diags = department_problems("name = \"a\"\nurl = \"javascript:alert(1)\"\n");
    CHECK(has_error(diags, department_path, 2, "url: expected an address starting with https:// or http://"));
}

TEST_CASE("department: a contact without a name, or with an unknown key, names the contact", "[config]") {
    Diagnostics diags = department_problems(R"(name = "长宁区教育局"

[[contacts]]
phone = "22050725"

[[contacts]]
name = "黄丽灵"
tel = "22050779"
)");
    CHECK(has_error(diags, department_path, 3, "contacts[1].name: missing required key"));
    CHECK(has_error(diags, department_path, 8,
                    "contacts[2].tel: unknown key; expected one of: name, role, phone, email"));
}

TEST_CASE("department: contacts written as a table, not an array of tables", "[config]") {
    Diagnostics diags = department_problems("name = \"a\"\ncontacts = \"宗宏\"\n");
    CHECK(has_error(diags, department_path, 2,
                    "contacts: expected an array of tables written [[contacts]], found a string"));
}
