#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis.h"
#include "content/model.h"
#include "i18n.h"
#include "writer.h"

namespace gongkai {

// Writes atom.xml for the site, departments/<id>/atom.xml for each lead department's reports,
// sitemap.xml and robots.txt: add_atom_feeds, then add_sitemap.
void add_feeds(const Library& lib, const Analysis& analysis, const Strings& strings, const std::string& base_url,
               SiteFiles& files);
// The Atom feeds, which need nothing from the pages.
void add_atom_feeds(const Library& lib, const Analysis& analysis, const Strings& strings, const std::string& base_url,
                    SiteFiles& files);
// sitemap.xml and robots.txt. The sitemap lists pages: the path of each .html file the site has,
// once each, in any order (404.html is left out), which may be listed before they are written.
void add_sitemap(const Library& lib, const Analysis& analysis, const Strings& strings, const std::string& base_url,
                 SiteFiles& files, const std::vector<std::string_view>& pages);

}  // namespace gongkai
