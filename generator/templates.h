#pragma once

#include <kainjow/mustache.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <string>

#include "diagnostics.h"

namespace gongkai {

namespace mustache = kainjow::mustache;

// A value many pages show (a project's or a department's summary), made once: a link to it
// stands where a copy would in a page's data, and the renderer looks through it, so a template
// sees the value itself. The link's own fields, if any, come before the value's: a summary with
// one more field. A link renders as an object does ({{#x}} opens it, {{x}} prints nothing). The
// value must outlive every render of a page that links to it.
mustache::data link_to(const mustache::data& value, mustache::data own = mustache::data(mustache::data::type::object));

// A value made in two parts: own at once, and the rest by make, only when a template looks for one
// of the names in later (sorted), which must hold every name make can set. The rest is made at
// most once, by the thread that renders the page. Read through as link_to's value is.
mustache::data later_link(mustache::data own, std::span<const std::string_view> later,
                          std::function<mustache::data()> make);

// The templates of one build: the theme's, with those the content repository supplies by the
// same name in their place. Page templates are rendered by name; every other template is a
// partial available to all of them.
class Templates {
public:
    // origin names where each template came from, for error messages. strings: the values of
    // {{t.key}}, written into the page templates once (see write_strings).
    Templates(const std::map<std::string, std::string>& theme, const std::string& theme_origin,
              const std::map<std::string, std::string>& overrides, const std::string& override_origin,
              Diagnostics& diagnostics, const std::map<std::string, std::string>& strings = {});

    // Renders page template name with page's values, falling back to shared for names page lacks
    // (the site, the strings): values every page has are made once, not copied into each page.
    std::string render(const std::string& name, const mustache::data& shared, const mustache::data& page) const;
    // Renders with data alone, adding the partials to it.
    std::string render(const std::string& name, mustache::data& data) const;
    // Adds every partial to data, for the renderer to find by name.
    void add_partials(mustache::data& data) const;

    static bool is_page(const std::string& name);

private:
    std::map<std::string, std::string> sources_;
    struct Page {
        std::unique_ptr<mustache::mustache> parsed;
        bool marked = false;  // its blanks marked (see mark_blanks in templates.cpp)
    };
    std::map<std::string, Page> pages_;
};

}  // namespace gongkai
