#include "templates.h"

#include <catch2/catch.hpp>
#include <array>
#include <random>

#include "fixture.h"
#include "html.h"

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

// text with its line breaks and tabs shown, for a message.
std::string shown(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else out += c;
    }
    return "\"" + out + "\"";
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

TEST_CASE("templates: a link renders as the value it links to, with its own fields first", "[templates]") {
    // Each template is rendered once with copies and once with links: the pages must be the same.
    Sources s = theme();
    s["index"] =
        "{{#project}}<h1>{{title}}</h1>{{#department}}<p>{{name}}</p>{{/department}}{{extra}}{{/project}}"
        "|{{project.title}}/{{project.department.name}}/{{project.extra}}/{{project.missing}}"
        "|{{#list}}<li>{{title}}{{#is_lead}}*{{/is_lead}}{{department.name}}</li>{{/list}}"
        "|{{^project}}none{{/project}}{{^list}}none{{/list}}|{{project}}|{{> footer}}"
        "|{{#project}}{{> footer}}{{/project}}";
    Diagnostics diags;
    Templates t(s, "themes/default/templates", {}, "templates", diags);
    REQUIRE(diags.items().empty());

    mustache::data department;
    department.set("name", "教育局 & <co>");
    mustache::data project;
    project.set("title", "项目");
    project.set("department", department);
    project.set("title_en", "Project");

    mustache::data copies;
    mustache::data p = project;
    p.set("extra", "with <extra>");
    copies.set("project", p);
    mustache::data items(mustache::data::type::list);
    mustache::data lead = project;
    lead.set("is_lead", true);
    items.push_back(lead);
    items.push_back(project);
    copies.set("list", items);

    // The same through links; the linked values live as long as the renders.
    mustache::data linked_department = department;
    mustache::data linked_project;
    linked_project.set("title", "项目");
    linked_project.set("department", link_to(linked_department));
    linked_project.set("title_en", "Project");
    mustache::data links;
    mustache::data own;
    own.set("extra", "with <extra>");
    links.set("project", link_to(linked_project, own));
    mustache::data linked_items(mustache::data::type::list);
    mustache::data lead_own;
    lead_own.set("is_lead", true);
    linked_items.push_back(link_to(linked_project, lead_own));
    linked_items.push_back(link_to(linked_project));
    links.set("list", linked_items);

    std::string expected = t.render("index", copies);
    CHECK(expected ==
          "<h1>项目</h1><p>教育局 &amp; &lt;co&gt;</p>with &lt;extra&gt;|项目/教育局 &amp; &lt;co&gt;/with "
          "&lt;extra&gt;/|<li>项目*教育局 &amp; &lt;co&gt;</li><li>项目教育局 &amp; &lt;co&gt;</li>||"
          "|<footer>theme footer</footer>|<footer>theme footer</footer>");
    CHECK(t.render("index", links) == expected);

    // A link's own field comes before the value's of the same name.
    mustache::data override_own;
    override_own.set("title", "另一个");
    mustache::data overridden;
    overridden.set("project", link_to(linked_project, override_own));
    CHECK(t.render("index", overridden).starts_with("<h1>另一个</h1>"));
}

TEST_CASE("templates: a later link makes its rest only when a template asks for a name it may hold",
          "[templates]") {
    // Each template is rendered once with whole rows and once with later links: the pages must be
    // the same, and the rest is made only for the rows whose template asks for one of its names.
    Sources s = theme();
    s["index"] =
        "{{#rows}}<li>{{title}}|{{root}}|{{note}}|{{#people}}[{{name}}]{{/people}}{{^people}}none{{/people}}"
        "|{{project.title}}|{{missing}}|{{outer}}</li>{{/rows}}";
    s["project"] = "{{#rows}}<li>{{title}}|{{root}}|{{outer}}|{{missing}}</li>{{/rows}}";
    s["report"] = "{{#rows}}{{#note}}<b>{{note}}</b>{{/note}}{{rows.0.title}}{{/rows}}";
    Diagnostics diags;
    Templates t(s, "themes/default/templates", {}, "templates", diags);
    REQUIRE(diags.items().empty());

    // The names the rest may hold, sorted; "outer" is one of them but no rest sets it, so a
    // template asking for it finds the page's own.
    static constexpr std::array<std::string_view, 4> later = {"note", "outer", "people", "project"};
    mustache::data project;
    project.set("title", "项目 <甲>");
    auto rest_of = [&](int i) {
        mustache::data rest;
        if (i == 0) rest.set("note", "备注 & 说明");
        mustache::data people(mustache::data::type::list);
        for (int k = 0; k < i; ++k) {
            mustache::data person;
            person.set("name", "联系人" + std::to_string(k));
            people.push_back(person);
        }
        rest.set("people", people);
        rest.set("project", project);
        return rest;
    };
    auto own_of = [](int i) {
        mustache::data own;
        own.set("title", "第" + std::to_string(i) + "期");
        return own;
    };

    for (const char* page : {"index", "project", "report"}) {
        INFO(page);
        mustache::data whole;
        whole.set("root", "../../");
        whole.set("outer", "页面的 outer");
        mustache::data whole_rows(mustache::data::type::list);
        mustache::data later_rows(mustache::data::type::list);
        int made = 0;
        for (int i = 0; i < 3; ++i) {
            mustache::data row = own_of(i);
            mustache::data rest = rest_of(i);
            for (const char* name : {"note", "people", "project"})
                if (rest.get(name)) row.set(name, *rest.get(name));
            whole_rows.push_back(row);
            later_rows.push_back(later_link(own_of(i), later, [&, i] {
                ++made;
                return rest_of(i);
            }));
        }
        mustache::data lazy = whole;
        whole.set("rows", whole_rows);
        lazy.set("rows", later_rows);
        const std::string expected = t.render(page, whole);
        CHECK(t.render(page, lazy) == expected);
        if (std::string(page) == "index") {
            CHECK(expected.find("<li>第0期|../../|备注 &amp; 说明|none|项目 &lt;甲&gt;||页面的 outer</li>") !=
                  std::string::npos);
            CHECK(expected.find("[联系人0][联系人1]") != std::string::npos);
            CHECK(made == 3);  // once for each row, though each row asks for several of its names
        } else if (std::string(page) == "project") {
            CHECK(made == 3);  // "outer" may be in the rest: each row makes it to look
        } else {
            CHECK(expected.find("<b>备注 &amp; 说明</b>") != std::string::npos);
        }
    }

    // A row whose template asks only for its own names and names the rest cannot hold never makes
    // the rest.
    s["index"] = "{{#rows}}{{title}}{{root}}{{missing}}{{/rows}}";
    Templates own_only(s, "themes/default/templates", {}, "templates", diags);
    int made = 0;
    mustache::data page;
    page.set("root", "/");
    mustache::data rows(mustache::data::type::list);
    rows.push_back(later_link(own_of(1), later, [&] {
        ++made;
        return rest_of(1);
    }));
    page.set("rows", rows);
    CHECK(own_only.render("index", page) == "第1期/");
    CHECK(made == 0);
}

TEST_CASE("templates: strings written into the templates render as looked up", "[templates]") {
    // Every kind of tag naming a string, in and out of sections and partials, and the strings
    // that stay tags: missing, blank (here next to a section tag), holding a brace or a line break,
    // or with a dot in the key.
    Sources s = theme();
    s["index"] =
        "{{t.plain}}|{{{t.markup}}}|{{& t.markup}}|{{ t.markup }}|{{t.missing}}|{{t.blank}}|{{t.brace}}\n"
        "{{#items}}<li>{{t.plain}} {{name}} {{{t.brace}}}</li>{{/items}}\n"
        "  {{t.blank}} {{#items}}\n"
        "{{name}}{{/items}}\n"
        "{{^empty}}{{t.plain}}{{/empty}}{{!t.plain}}\n"
        "{{t.newline}}{{#items}}\n"
        "{{name}}{{/items}}\n"
        "  {{#items}}{{t.leading}}{{/items}}|{{t.a.b}}|{{{ t.plain }}}|{{&\tt.plain\n}}\n"
        "{{> footer}}";
    s["footer"] = "<footer>{{t.markup}}</footer>";
    const std::map<std::string, std::string> strings{
        {"plain", "进展 progress"}, {"markup", "<b>\"A&B\"</b>"}, {"blank", "  "}, {"brace", "{{x}} }"},
        {"newline", "Hi\n"},       {"leading", "\nfoo"},           {"a.b", "dotted"}};

    auto data_with_strings = [&] {
        mustache::data d;
        mustache::data t;
        for (const auto& [k, v] : strings) t.set(k, v);
        d.set("t", t);
        mustache::data items(mustache::data::type::list);
        for (const char* name : {"一", "two"}) {
            mustache::data item;
            item.set("name", std::string(name));
            items.push_back(item);
        }
        d.set("items", items);
        d.set("x", std::string("must not appear"));
        return d;
    };
    Diagnostics d1, d2;
    Templates looked_up(s, "themes/default/templates", {}, "templates", d1);
    Templates written(s, "themes/default/templates", {}, "templates", d2, strings);
    REQUIRE(d1.items().empty());
    REQUIRE(d2.items().empty());
    auto a = data_with_strings();
    auto b = data_with_strings();
    const std::string expected = looked_up.render("index", a);
    CHECK(written.render("index", b) == expected);
    CHECK(expected.find("&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;") != std::string::npos);
    CHECK(expected.find("<b>\"A&B\"</b>") != std::string::npos);
    CHECK(expected.find("must not appear") == std::string::npos);
}

TEST_CASE("templates: strings are not written into a template that changes its delimiters", "[templates]") {
    Sources s = theme();
    s["index"] = "{{t.plain}}|{{ =<% %>= }}<%t.plain%>|{{t.plain}}|<%={{ }}=%>{{t.plain}}";
    const std::map<std::string, std::string> strings{{"plain", "进展"}};
    mustache::data d;
    mustache::data t;
    t.set("plain", std::string("进展"));
    d.set("t", t);
    Diagnostics d1, d2;
    Templates looked_up(s, "themes/default/templates", {}, "templates", d1);
    Templates written(s, "themes/default/templates", {}, "templates", d2, strings);
    REQUIRE(d1.items().empty());
    REQUIRE(d2.items().empty());
    auto a = d;
    auto b = d;
    const std::string expected = looked_up.render("index", a);
    CHECK(expected == "进展|进展|{{t.plain}}|进展");
    CHECK(written.render("index", b) == expected);
}

TEST_CASE("templates: a page renders as kainjow renders its text, blanks and line rules included", "[templates]") {
    // The page templates' spaces and line breaks are written otherwise for the renderer (see
    // mark_blanks in templates.cpp); a page must still be exactly what kainjow makes of the
    // template as written.
    // Templates drawn at random from pieces that test its rules for blanks: spaces and tabs beside
    // text, tags and line ends, lines that hold only a section tag and blanks (left out), comments,
    // values with spaces and line breaks, sections that are lists, true, false or missing.
    const std::vector<std::string> pieces = {" ",     "  ",       "\t",      "\n",      "\r\n",   "a",       "进展",
                                             "<li>",  "{{x}}",    "{{{y}}}", "{{& z}}", "{{ x }}", "{{!c c}}", "x=\"1\""};
    const std::vector<std::string> sections = {"s", "t", "f", "missing"};
    auto data = [] {
        mustache::data d;
        d.set("x", std::string("v  v"));
        d.set("y", std::string("<b> </b>\n"));
        d.set("z", std::string(" "));
        mustache::data s(mustache::data::type::list);
        for (const char* x : {"一 二", ""}) {
            mustache::data item;
            item.set("x", std::string(x));
            s.push_back(item);
        }
        d.set("s", s);
        d.set("t", true);
        d.set("f", false);
        return d;
    };
    // Also, as written: templates that change the delimiters, a tag of three braces included (their
    // tags are not where the marking looks for them), and a theme's template that is not UTF-8 and
    // holds the marks' bytes itself.
    const std::vector<std::string> as_written = {"{{{=<% %>=}}}<% x %> <% #s %>a b\n c <% x %><% /s %>",
                                                 "a b {{=<% %>=}} c\nd <%x%> e", "a\xff b\xfe\nc d {{x}}"};
    std::mt19937 random(20201020);
    int differing = 0;
    std::string examples;  // the first few that differ
    for (int round = 0; round < 3000 && differing < 5; ++round) {
        std::string text;
        std::vector<std::string> open;
        if (round < static_cast<int>(as_written.size())) text = as_written[static_cast<std::size_t>(round)];
        const int length = text.empty() ? 1 + static_cast<int>(random() % 24) : 0;
        for (int i = 0; i < length; ++i) {
            const auto pick = random() % 10;
            if (pick == 0) {
                const std::string& name = sections[random() % sections.size()];
                text += (random() % 2 ? "{{#" : "{{^") + name + "}}";
                open.push_back(name);
            } else if (pick == 1 && !open.empty()) {
                text += "{{/" + open.back() + "}}";
                open.pop_back();
            } else {
                text += pieces[random() % pieces.size()];
            }
        }
        while (!open.empty()) {
            text += "{{/" + open.back() + "}}";
            open.pop_back();
        }
        Sources s = theme();
        s["index"] = text;
        Diagnostics diagnostics;
        Templates templates(s, "themes/default/templates", {}, "templates", diagnostics);
        REQUIRE(diagnostics.items().empty());
        mustache::mustache plain(text);
        plain.set_custom_escape([](const std::string& v) { return escape_html(v); });
        REQUIRE(plain.is_valid());
        const mustache::data page = data();
        const std::string expected = plain.render(page);
        const std::string got = templates.render("index", mustache::data(mustache::data::type::object), page);
        if (got != expected) {
            ++differing;
            examples += "template: " + shown(text) + "\nexpected: " + shown(expected) + "\ngot:      " + shown(got) + "\n";
        }
    }
    INFO(examples);
    CHECK(differing == 0);
}
