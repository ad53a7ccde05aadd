#include "templates.h"

#include <catch2/catch.hpp>

#include "fixture.h"

using namespace gongkai;
using gongkai::test::has_error;
using gongkai::test::listing;

namespace {

using Sources = std::map<std::string, std::string>;

// A theme with every page template, each printing its own name.
Sources theme() {
    Sources out;
    for (const char* name : {"index", "departments", "department", "project", "report", "404"})
        out[name] = std::string("<p>theme ") + name + "</p>{{> footer}}";
    out["footer"] = "<footer>theme footer</footer>";
    return out;
}

mustache::data page_data(const std::string& title) {
    mustache::data d;
    d.set("title", title);
    return d;
}

}  // namespace

TEST_CASE("templates: page templates render, with partials available", "[templates]") {
    Diagnostics diags;
    Templates t(theme(), "themes/default/templates", {}, "templates", diags);
    INFO(listing(diags));
    CHECK(diags.items().empty());
    auto data = page_data("x");
    CHECK(t.render("index", data) == "<p>theme index</p><footer>theme footer</footer>");
    CHECK(t.render("404", data) == "<p>theme 404</p><footer>theme footer</footer>");
}

TEST_CASE("templates: the content's template replaces the theme's of the same name", "[templates]") {
    Diagnostics diags;
    Templates t(theme(), "themes/default/templates",
                {{"project", "<h1>own {{title}}</h1>{{> footer}}"}, {"footer", "<footer>own footer</footer>"}},
                "content/templates", diags);
    INFO(listing(diags));
    CHECK(diags.items().empty());
    auto data = page_data("项目");
    CHECK(t.render("project", data) == "<h1>own 项目</h1><footer>own footer</footer>");
    CHECK(t.render("index", data) == "<p>theme index</p><footer>own footer</footer>");
}

TEST_CASE("templates: values are escaped unless written with triple braces", "[templates]") {
    Diagnostics diags;
    Sources s = theme();
    s["index"] = "{{title}}|{{{title}}}";
    Templates t(s, "themes/default/templates", {}, "templates", diags);
    auto data = page_data("<b>\"&\"</b>");
    std::string out = t.render("index", data);
    CHECK(out.starts_with("&lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;|"));
    CHECK(out.ends_with("|<b>\"&\"</b>"));
}

TEST_CASE("templates: a value holding Mustache tags is printed, not run", "[templates]") {
    Diagnostics diags;
    Sources s = theme();
    s["index"] = "<h1>{{title}}</h1><div>{{{body}}}</div>";
    Templates t(s, "themes/default/templates", {}, "templates", diags);
    mustache::data d;
    d.set("title", "{{site.title}}");
    d.set("body", "<p>{{> footer}} {{#x}}y{{/x}}</p>");
    d.set("site", mustache::data("title", "SECRET"));
    std::string out = t.render("index", d);
    CHECK(out == "<h1>{{site.title}}</h1><div><p>{{> footer}} {{#x}}y{{/x}}</p></div>");
}

TEST_CASE("templates: a broken template is an error naming its file", "[templates]") {
    Diagnostics diags;
    Templates t(theme(), "themes/default/templates", {{"report", "{{#report}}unclosed"}}, "content/templates", diags);
    CHECK(has_error(diags, "content/templates/report.mustache", test::any_line, "template error"));
}

TEST_CASE("templates: a theme without a page template is an error", "[templates]") {
    Diagnostics diags;
    Sources s = theme();
    s.erase("department");
    Templates t(s, "themes/plain/templates", {}, "templates", diags);
    CHECK(has_error(diags, "themes/plain/templates/department.mustache", test::any_line,
                    "the theme lacks this page template"));
}

TEST_CASE("templates: only the six pages are pages", "[templates]") {
    CHECK(Templates::is_page("index"));
    CHECK(Templates::is_page("404"));
    CHECK(Templates::is_page("report"));
    CHECK_FALSE(Templates::is_page("head"));
    CHECK_FALSE(Templates::is_page("project-row"));
}
