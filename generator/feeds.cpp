#include "feeds.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "data.h"
#include "html.h"
#include "schedule.h"

namespace gongkai {

namespace {

// Feed readers only look at the newest entries; a full archive would grow the file without end.
constexpr std::size_t max_entries = 50;

// Text for XML content and attributes. XML 1.0 forbids most control characters even as
// references: escape_html drops them rather than escaping them.
std::string xml(std::string_view text) { return escape_html(text); }

// A moment and the offset it is shown in.
struct Moment {
    std::int64_t seconds = 0;
    int offset = 0;
    std::string text() const { return rfc3339(seconds, offset); }
};

Moment moment_of(const Revision& r) { return {r.time, r.offset}; }

struct Entry {
    const Report* report;
    const Project* project;
    Moment published;
    Moment updated;
    // Ties in publication time are broken by the report's path, for stable bytes: the content
    // folder's path, the same for every report, then its history_path.
    const std::string* path;
};

class Feeds {
public:
    Feeds(const Library& lib, const Analysis& analysis, const Strings& strings, const std::string& base_url)
        : lib_(lib), analysis_(analysis), strings_(strings), base_url_(base_url) {}

    void add_atom(SiteFiles& files) const {
        // Every report once, newest first; each feed takes the first of them that are its own,
        // all feeds in one pass (each department's feed looking through the whole list for its
        // own took most of the feeds' time). A project's department is found by id in the
        // library's departments, sorted by id as load_library leaves them.
        const std::vector<Entry> all = entries();
        std::vector<const Entry*> site;
        std::vector<std::vector<const Entry*>> own(lib_.departments.size());
        std::size_t open = own.size() + 1;  // feeds that can take more entries
        auto take = [&open](std::vector<const Entry*>& feed, const Entry& e) {
            if (feed.size() == max_entries) return;
            feed.push_back(&e);
            if (feed.size() == max_entries) --open;
        };
        for (const auto& e : all) {
            if (open == 0) break;
            take(site, e);
            if (const Department* d = lib_.department(e.project->department))
                take(own[static_cast<std::size_t>(d - lib_.departments.data())], e);
        }
        files.add("atom.xml",
                  feed("atom.xml", sample_prefix(lib_.config.sample_data) + lib_.config.title, base_url_, site));
        for (std::size_t i = 0; i < lib_.departments.size(); ++i) {
            const Department& d = lib_.departments[i];
            std::string dir = "departments/" + d.id + "/";
            std::string title =
                sample_prefix(lib_.config.sample_data || d.sample_data) + lib_.config.title + " — " + d.name;
            files.add(dir + "atom.xml", feed(dir + "atom.xml", title, base_url_ + dir, own[i]));
        }
    }

    void add_sitemap(SiteFiles& files, const std::vector<std::string_view>& pages) const {
        std::string sitemap = sitemap_xml(pages);
        files.add("sitemap.xml", std::move(sitemap));
        files.add("robots.txt", "User-agent: *\nAllow: /\n\nSitemap: " + base_url_ + "sitemap.xml\n");
    }

private:
    std::string report_url(const Report& r) const {
        return base_url_ + "projects/" + r.project + "/reports/" + r.id + "/";
    }

    // Every report, newest publication first (ties by path, so the order is total).
    std::vector<Entry> entries() const {
        std::vector<Entry> out;
        out.reserve(lib_.reports.size());
        const Project* p = nullptr;  // the reports come by project
        for (const auto& r : lib_.reports) {
            if (!p || p->id != r.project) p = lib_.project(r.project);
            if (!p) continue;
            Entry e{&r, p, {r.date.days() * 86400, 0}, {}, &r.path};
            const FileHistory* h = analysis_.history_of(lib_, r);
            if (h && h->published) {
                e.published = moment_of(*h->published);
                e.updated = moment_of(h->last());
            } else {
                e.updated = e.published;
            }
            out.push_back(std::move(e));
        }
        std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
            return std::tie(b.published.seconds, *a.path) < std::tie(a.published.seconds, *b.path);
        });
        return out;
    }

    // Fictional figures stay marked wherever they reach, feed readers included.
    std::string sample_prefix(bool sample) const { return sample ? strings_.get("sample_data_title_prefix") : ""; }

    std::string entry_title(const Entry& e) const {
        std::string title = e.report->title;
        if (title.empty())
            title = e.project->title + " " + strings_.period(e.report->period_start, e.report->period_end);
        return sample_prefix(is_sample_data(lib_, *e.report)) + title;
    }

    std::string summary(const Report& r) const {
        std::string out = strings_.period(r.period_start, r.period_end);
        if (r.completion)
            out += " · " + strings_.get("completion") + strings_.get("colon") + strings_.percent(*r.completion);
        if (r.on_schedule) out += " · " + strings_.get(*r.on_schedule ? "on_schedule_yes" : "on_schedule_no");
        return out;
    }

    std::string author_of(const Project& p) const {
        const Department* d = lib_.department(p.department);
        return d ? d->name : lib_.config.publisher;
    }

    std::string feed(const std::string& path, const std::string& title, const std::string& alternate,
                     const std::vector<const Entry*>& entries) const {
        Moment updated{analysis_.now, analysis_.now_offset};
        if (!entries.empty()) {
            updated = entries.front()->updated;
            for (const Entry* e : entries)
                if (e->updated.seconds > updated.seconds) updated = e->updated;
        }
        const std::string& publisher = lib_.config.publisher.empty() ? lib_.config.title : lib_.config.publisher;
        std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
        out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" + xml(lib_.config.language) + "\">\n";
        out += "  <id>" + xml(base_url_ + path) + "</id>\n";
        out += "  <title type=\"text\">" + xml(title) + "</title>\n";
        out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml(base_url_ + path) + "\"/>\n";
        out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + xml(alternate) + "\"/>\n";
        out += "  <updated>" + updated.text() + "</updated>\n";
        // Atom wants a feed-level author when there may be no entries to carry one.
        out += "  <author>\n    <name>" + xml(publisher) + "</name>\n  </author>\n";
        out += "  <generator>gongkai</generator>\n";
        for (const Entry* entry : entries) {
            const Entry& e = *entry;
            const std::string url = xml(report_url(*e.report));
            out += "  <entry>\n";
            out += "    <id>" + url + "</id>\n";
            out += "    <title type=\"text\">" + xml(entry_title(e)) + "</title>\n";
            out += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + url + "\"/>\n";
            out += "    <published>" + e.published.text() + "</published>\n";
            out += "    <updated>" + e.updated.text() + "</updated>\n";
            out += "    <author>\n      <name>" + xml(author_of(*e.project)) + "</name>\n    </author>\n";
            out += "    <summary type=\"text\">" + xml(summary(*e.report)) + "</summary>\n";
            out += "  </entry>\n";
        }
        out += "</feed>\n";
        return out;
    }

    // The reports by project id and report id (views of the library's strings).
    struct IdPairHash {
        std::size_t operator()(const std::pair<std::string_view, std::string_view>& ids) const {
            const std::hash<std::string_view> hash;
            return hash(ids.first) * 31 + hash(ids.second);
        }
    };
    using ReportsById = std::unordered_map<std::pair<std::string_view, std::string_view>, const Report*, IdPairHash>;

    // The project or report whose page is at path ("projects/<id>/index.html",
    // "projects/<id>/reports/<id>/index.html"), the revision it last changed in, if history knows
    // it. Ids hold no '/', so the path names the page whole.
    const Revision* page_revision(std::string_view path, const ReportsById& reports_by_id) const {
        constexpr std::string_view projects = "projects/", index = "index.html", reports = "reports/";
        if (!path.starts_with(projects) || !path.ends_with(index)) return nullptr;
        path.remove_prefix(projects.size());
        const std::size_t slash = path.find('/');
        if (slash == std::string_view::npos) return nullptr;
        const std::string_view project_id = path.substr(0, slash);
        std::string_view rest = path.substr(slash + 1);
        if (rest == index) {
            const Project* project = lib_.project(project_id);
            return project ? last_revision(lib_, analysis_, *project) : nullptr;
        }
        if (!rest.starts_with(reports)) return nullptr;
        rest.remove_prefix(reports.size());
        if (rest.size() <= index.size() + 1 || rest[rest.size() - index.size() - 1] != '/') return nullptr;
        auto report = reports_by_id.find({project_id, rest.substr(0, rest.size() - index.size() - 1)});
        return report == reports_by_id.end() ? nullptr : last_revision(lib_, analysis_, *report->second);
    }

    std::string sitemap_xml(const std::vector<std::string_view>& pages) const {
        // Each page's address within the site, sorted: the same order as the whole addresses,
        // which all begin with base_url_.
        struct Url {
            std::string_view address;
            std::optional<Date> lastmod;
        };
        ReportsById reports_by_id;
        reports_by_id.reserve(lib_.reports.size());
        for (const auto& r : lib_.reports)
            reports_by_id.emplace(std::pair<std::string_view, std::string_view>(r.project, r.id), &r);
        std::vector<Url> urls;
        urls.reserve(pages.size());
        for (const std::string_view path : pages) {
            if (!path.ends_with(".html") || path == "404.html") continue;
            std::string_view address = path;
            if (path == "index.html" || path.ends_with("/index.html")) address.remove_suffix(10);
            std::optional<Date> lastmod;
            if (const Revision* rev = page_revision(path, reports_by_id)) lastmod = date_of(rev->time, rev->offset);
            urls.push_back({address, lastmod});
        }
        std::sort(urls.begin(), urls.end(), [](const Url& a, const Url& b) { return a.address < b.address; });
        const std::string base = xml(base_url_);
        std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        out += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
        out.reserve(out.size() + urls.size() * (base.size() + 96) + 16);  // about one line of each
        for (const auto& [address, lastmod] : urls) {
            out += "  <url>\n    <loc>";
            out += base;
            append_escaped_html(out, address);
            out += "</loc>\n";
            if (lastmod) {
                out += "    <lastmod>";
                out += lastmod->iso();
                out += "</lastmod>\n";
            }
            out += "  </url>\n";
        }
        out += "</urlset>\n";
        return out;
    }

    const Library& lib_;
    const Analysis& analysis_;
    const Strings& strings_;
    const std::string& base_url_;
};

}  // namespace

void add_feeds(const Library& lib, const Analysis& analysis, const Strings& strings, const std::string& base_url,
               SiteFiles& files) {
    add_atom_feeds(lib, analysis, strings, base_url, files);
    const std::vector<std::string> paths = files.paths();
    add_sitemap(lib, analysis, strings, base_url, files, std::vector<std::string_view>(paths.begin(), paths.end()));
}

void add_atom_feeds(const Library& lib, const Analysis& analysis, const Strings& strings, const std::string& base_url,
                    SiteFiles& files) {
    Feeds(lib, analysis, strings, base_url).add_atom(files);
}

void add_sitemap(const Library& lib, const Analysis& analysis, const Strings& strings, const std::string& base_url,
                 SiteFiles& files, const std::vector<std::string_view>& pages) {
    Feeds(lib, analysis, strings, base_url).add_sitemap(files, pages);
}

}  // namespace gongkai
