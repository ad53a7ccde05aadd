#include "site.h"

#include <algorithm>
#include <functional>
#include <cmath>
#include <numeric>
#include <mutex>
#include <set>

#include "analysis.h"
#include "charts.h"
#include "data.h"
#include "feeds.h"
#include "content/library.h"
#include "html.h"
#include "markdown.h"
#include "parallel.h"
#include "schedule.h"
#include "templates.h"
#include "cache/hash.h"
#include "cache/serial.h"

namespace gongkai {

namespace {

using mustache::data;

data list() { return data(data::type::list); }
data object() { return data(data::type::object); }
data flag(bool b) { return b ? data(data::type::bool_true) : data(data::type::bool_false); }

// kainjow's data::set and data::push_back copy the value they are given, and a page's data is a
// tree: every level would be copied again into the next. These move it in instead.
void set(data& object, const std::string& key, data value) { object[key] = std::move(value); }
void add(data& list, data item) {
    // The list a data holds is its own, not const; kainjow only offers it read-only.
    auto& items = const_cast<mustache::list&>(list.list_value());
    // A data's move constructor is not noexcept, so a std::vector that grows copies every item it
    // holds (a project page's ten reports, each a tree of data, took fifteen copies between them:
    // about 2.5% of a build's instructions). It grows here by moving them instead.
    if (items.size() == items.capacity()) {
        mustache::list larger;
        larger.reserve(items.empty() ? 4 : 2 * items.size());
        for (auto& item_before : items) larger.push_back(std::move(item_before));
        items.swap(larger);
    }
    items.push_back(std::move(item));
}
// A string's text is moved in too: pages carry whole report bodies and charts.
data text(std::string&& value) {
    data d(data::type::string);
    const_cast<std::string&>(d.string_value()) = std::move(value);
    return d;
}

// Sets an optional text only when it has one: Mustache treats "" as true in {{#key}} sections,
// so an absent value must be absent for a template to leave out its heading.
void put(data& d, const std::string& key, std::string value) {
    if (!value.empty()) set(d, key, text(std::move(value)));
}

// Everything the page builders share for one build.
class SiteBuilder {
public:
    SiteBuilder(const Library& lib, const Theme& theme, const Analysis& analysis, Diagnostics& diagnostics)
        : lib_(lib),
          analysis_(analysis),
          diagnostics_(diagnostics),
          strings_(strings_for(theme, lib.config.language, diagnostics)),
          templates_(std::in_place, theme.templates, "themes/" + theme.name + "/templates", lib.templates,
                     join_repo_path(folder_of(lib.config.path), "templates"), diagnostics, strings_.table()),
          base_url_(with_slash(lib.config.base_url)) {
        for (const auto& r : lib_.reports) latest_[r.project] = &r;  // reports are oldest first
        shared_ = make_shared_values();
    }

    // Renders the site into files. With reuse, a page job whose key equals the previous build's
    // and whose files are still as written is not rendered: its files are kept.
    void build(SiteFiles& files, const Theme& theme, unsigned workers, const PageReuse* reuse, RenderStats* stats) {
        prepare(workers);
        const bool keyed = reuse || (stats && stats->want_keys);
        if (keyed) fingerprint(theme, workers);
        // Every page is a job producing its files. Jobs run on all cores; what a job writes does
        // not depend on the number of threads or on the order in which jobs run.
        struct Job {
            std::string id;  // the page's path
            std::function<std::optional<Hash128>()> key;  // null: rendered every build
            std::function<void(const std::string& id, SiteFiles& files)> run;
        };
        std::vector<Job> jobs;
        jobs.reserve(3 + lib_.departments.size() + lib_.projects.size() + lib_.reports.size());
        jobs.push_back({"index.html", [this] { return overview_key("index"); }, [this](const std::string& id, SiteFiles& out) {
            data home = home_data();
            set(home, "charts", overview_chart_data());
            out.add("index.html",
                    page("index.html", "index", "", std::move(home), lib_.config.sample_data || any_sample()), id);
            out.add("charts/departments.svg", standalone_svg(departments_chart()), id);
            out.add("charts/status.svg", standalone_svg(status_chart()), id);
        }});
        jobs.push_back({"departments/index.html", [this] { return overview_key("departments"); }, [this](const std::string& id, SiteFiles& out) {
            out.add("departments/index.html", page("departments/index.html", "departments", strings_.get("departments"),
                                                   departments_data(), lib_.config.sample_data), id);
        }});
        for (const auto& d : lib_.departments) {
            jobs.push_back({"departments/" + d.id + "/index.html", [this, &d] { return department_key(d); },
                            [this, &d](const std::string& id, SiteFiles& out) {
                std::string chart = department_chart(d);
                data detail = department_detail(d);
                set(detail, "chart", chart);
                set(detail, "chart_url", "departments/" + d.id + "/completion.svg");
                data extra = object();
                set(extra, "department", std::move(detail));
                set(extra, "projects", department_projects(d));
                out.add(id, page(id, "department", d.name, std::move(extra), d.sample_data || department_has_sample(d)),
                        id);
                out.add("departments/" + d.id + "/completion.svg", standalone_svg(chart), id);
            }});
        }
        for (const auto& p : lib_.projects) {
            jobs.push_back({"projects/" + p.id + "/index.html", [this, &p] { return project_key(p); },
                            [this, &p](const std::string& id, SiteFiles& out) {
                data detail = project_detail(p);
                bool has_chart = !lib_.reports_of(p.id).empty();
                std::string chart = has_chart ? progress_chart(p) : "";
                if (has_chart) {
                    set(detail, "chart", chart);
                    set(detail, "chart_url", "projects/" + p.id + "/progress.svg");
                }
                set(detail, "has_chart", flag(has_chart));
                data extra = object();
                set(extra, "project", std::move(detail));
                out.add(id, page(id, "project", p.title, std::move(extra), is_sample(p)), id);
                if (const Report* last = latest(p.id)) analysis_.release_body(lib_, *last);
                if (has_chart) out.add("projects/" + p.id + "/progress.svg", standalone_svg(chart), id);
            }});
        }
        for (const auto& r : lib_.reports) {
            jobs.push_back({report_url(r) + "index.html", [this, &r] { return report_key(r); },
                            [this, &r](const std::string& id, SiteFiles& out) {
                const Project& p = *lib_.project(r.project);
                data extra = object();
                data report = report_data(r, true);
                // The printed report carries its project's implementation statement, as the original does.
                if (!p.body.empty()) {
                    data own = object();
                    set(own, "implementation", text(implementation(p)));
                    set(report, "project", link_to(project_summary(p), std::move(own)));
                }
                set(extra, "report", std::move(report));
                out.add(id, page(id, "report", report_title(r, p), std::move(extra), is_sample(p) || r.sample_data),
                        id);
                analysis_.release_body(lib_, r);
            }});
        }
        jobs.push_back({"404.html", [this] { return overview_key("404"); }, [this](const std::string& id, SiteFiles& out) {
            out.add("404.html", page("404.html", "404", strings_.get("not_found_title"), object(), lib_.config.sample_data),
                    id);
        }});

        // First each page's key and whether the published page can be kept, on all cores; then
        // the kept pages' files are carried over on one thread while the others render the rest,
        // and make the feeds and the data downloads (each a task of its own). (Carried
        // over from every thread at once, tens of thousands of files took turns on the file lists'
        // locks: a fifth of an incremental build's page stage went to waiting. Into a copy made
        // anew, where each file is the kernel's work, they are carried over on all cores.)
        std::vector<std::optional<Hash128>> keys(jobs.size());
        std::vector<char> rendered(jobs.size(), 0);
        parallel_for(jobs.size(), workers, [&](std::size_t i, unsigned) {
            const Job& job = jobs[i];
            if (keyed && job.key) keys[i] = job.key();
            rendered[i] = 1;
            if (reuse && keys[i]) {
                auto it = reuse->keys->find(job.id);
                if (it != reuse->keys->end() && it->second == *keys[i] && reuse->can_keep(job.id)) rendered[i] = 0;
            }
        });
        std::vector<std::size_t> to_render;
        for (std::size_t i = 0; i < jobs.size(); ++i)
            if (rendered[i]) to_render.push_back(i);
        const bool feeds = has_host(base_url_);
        // data/reports.json lists each report's sections, which a report's page finds when it
        // renders the body. A build that reuses the published site has them from the cache for the
        // reports it keeps, and copies those reports' entries from the published file: it makes the
        // file beside the pages when that file is there to copy from and few reports lack their
        // sections (no more than 16, or one in 16), and renders those bodies twice (for the file
        // and for the page) rather than wait for the pages. Otherwise the file is made after the
        // pages, when every body has been rendered once.
        bool reports_json_beside = false;
        if (reuse && analysis_.report_json && analysis_.report_json->published &&
            analysis_.report_json->published->is_open()) {
            std::size_t lacking = 0;
            for (std::size_t i = 0; i < lib_.reports.size(); ++i) lacking += analysis_.has_sections(i) ? 0 : 1;
            reports_json_beside = lacking <= std::max<std::size_t>(16, lib_.reports.size() / 16);
        }
        // The sitemap's pages: each job's page is at its id, and static files may be pages too
        // (one at a page's path is an error, below).
        std::vector<std::string_view> pages;
        if (feeds) {
            pages.reserve(jobs.size());
            for (const Job& job : jobs) pages.push_back(job.id);
            for (const auto& [path, bytes] : theme.static_files)
                if (!lib_.static_files.contains(path)) pages.push_back(path);
            for (const auto& [path, bytes] : lib_.static_files) pages.push_back(path);
        }
        std::vector<std::function<void()>> tasks;  // before the pages, about the longest first
        if (reports_json_beside)
            tasks.push_back([&] { add_open_data_file(lib_, analysis_, base_url_, files, 0, workers); });
        if (to_render.size() < jobs.size()) {
            // Into a copy made anew each file kept is a folder made and a link (some 35 µs of the
            // kernel's time: a second copy of 12,000 files took 0.45 s on one core), and the
            // pages are carried over in as many runs of jobs as there are cores.
            const std::size_t runs = reuse->fresh_copy ? std::max(1u, workers) : 1;
            for (std::size_t run = 0; run < runs; ++run)
                tasks.push_back([&, run, runs] {
                    const std::size_t begin = jobs.size() * run / runs, end = jobs.size() * (run + 1) / runs;
                    for (std::size_t i = begin; i < end; ++i)
                        if (!rendered[i])
                            for (const std::string* path : reuse->files_of(jobs[i].id)) files.keep(*path, jobs[i].id);
                });
        }
        if (feeds) {
            tasks.push_back([&] { add_sitemap(lib_, analysis_, strings_, base_url_, files, pages); });
            tasks.push_back([&] { add_atom_feeds(lib_, analysis_, strings_, base_url_, files); });
        }
        for (std::size_t k = 1; k < open_data_paths().size(); ++k)  // data/reports.json is 0
            tasks.push_back([&, k] { add_open_data_file(lib_, analysis_, base_url_, files, k); });
        // The pages are handed out in runs of consecutive jobs (up to 32, and at least 64 runs a
        // thread, so that the last ones still balance). A project's report pages are neighbours,
        // and each makes its folder in the project's folder, which the kernel locks while it
        // makes one: handed out one at a time, both threads made folders in the same folder at
        // once, and in a profile at 50,000 reports, taken while the kernel was slow to make
        // folders, 3% of the CPU time went to one thread waiting for the other's lock.
        const std::size_t run_of_pages = std::clamp<std::size_t>(to_render.size() / (64 * std::max(1u, workers)), 1, 32);
        const std::size_t page_runs = (to_render.size() + run_of_pages - 1) / run_of_pages;
        parallel_for(tasks.size() + page_runs, workers, [&](std::size_t t, unsigned) {
            if (t < tasks.size()) {
                tasks[t]();
                return;
            }
            const std::size_t begin = (t - tasks.size()) * run_of_pages;
            const std::size_t end = std::min(begin + run_of_pages, to_render.size());
            for (std::size_t k = begin; k < end; ++k) {
                const Job& job = jobs[to_render[k]];
                job.run(job.id, files);
            }
        });
        pages = {};  // views of the jobs' ids, which go next
        if (stats) {
            stats->total = jobs.size();
            stats->keys.reserve(jobs.size());
            stats->rendered = static_cast<std::size_t>(std::count(rendered.begin(), rendered.end(), 1));
            for (std::size_t i = 0; i < jobs.size(); ++i)  // the jobs go next: their ids are moved
                if (keys[i]) stats->keys.emplace(std::move(jobs[i].id), *keys[i]);
        }
        // What only the pages use is freed before data/reports.json, if it waited for them, is made.
        std::vector<Job>().swap(jobs);
        department_cache_.clear();
        project_cache_.clear();
        implementation_cache_.clear();
        shared_ = data();
        templates_.reset();

        for (const auto& [path, bytes] : theme.static_files)
            if (!lib_.static_files.contains(path)) files.add(path, bytes);
        // Compared without case, as the disks of macOS and Windows compare names. Listed only
        // where the content has static files of its own (the site's paths, some 12,000 at 10,000
        // reports, took more time than most of an incremental build's stages).
        std::set<std::string> written;
        if (!lib_.static_files.empty()) {
            for (const auto& [path, bytes] : files.files()) written.insert(lower_ascii(path));
            for (const auto& path : open_data_paths()) written.insert(lower_ascii(path));
        }
        for (const auto& [path, bytes] : lib_.static_files) {
            if (written.contains(lower_ascii(path)) && !theme.static_files.contains(path)) {
                diagnostics_.error(join_repo_path(folder_of(lib_.config.path), "static/" + path), 0, 0, "",
                                   "would replace the page gongkai writes at " + path + "; rename or move the file");
                continue;
            }
            files.add(path, bytes);
        }
        if (!reports_json_beside) add_open_data_file(lib_, analysis_, base_url_, files, 0, workers);
        if (!feeds)
            diagnostics_.warning(lib_.config.path, 0, 0, "base_url",
                                 "'" + base_url_ + "' has no host, so sitemap.xml, robots.txt and the Atom feeds, "
                                 "which need absolute addresses, were not written; use https://…");
    }

private:
    static Strings strings_for(const Theme& theme, const std::string& language, Diagnostics& diagnostics) {
        auto it = theme.strings.find(language);
        if (it == theme.strings.end()) {
            diagnostics.error("themes/" + theme.name + "/i18n/" + language + ".toml", 0, 0, "",
                              "the theme has no strings for the site's language");
            return Strings();
        }
        return Strings(it->second);
    }

    static std::string folder_of(const std::string& path) {
        auto slash = path.rfind('/');
        return slash == std::string::npos ? "" : path.substr(0, slash);
    }

    static std::string lower_ascii(std::string s) {
        for (char& c : s)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return s;
    }

    static bool has_host(const std::string& url) {
        return url.starts_with("https://") || url.starts_with("http://");
    }

    static std::string with_slash(std::string url) {
        if (url.empty() || url.back() != '/') url += '/';
        return url;
    }

    // "/progress/" from "https://example.org/progress/": where the 404 page links from.
    std::string base_path() const {
        std::string u = base_url_;
        auto scheme = u.find("://");
        if (scheme == std::string::npos) return u.front() == '/' ? u : "/" + u;
        auto slash = u.find('/', scheme + 3);
        return slash == std::string::npos ? "/" : u.substr(slash);
    }

    static std::string root_for(const std::string& path) {
        std::string root;
        for (char c : path)
            if (c == '/') root += "../";
        return root;
    }

    // Values every page has, made once: the site, the strings, the partials.
    data make_shared_values() const {
        data d = object();
        set(d, "lang", lib_.config.language);
        data site = object();
        set(site, "title", lib_.config.title);
        set(site, "publisher", lib_.config.publisher);
        put(site, "description", lib_.config.description);
        put(site, "programme", lib_.config.programme);
        set(site, "base_url", base_url_);
        set(site, "has_feeds", flag(has_host(base_url_)));
        set(d, "site", std::move(site));
        set(d, "generator", std::string("gongkai ") + GONGKAI_VERSION);
        data t = object();
        for (const auto& [k, v] : strings_.table()) set(t, k, v);
        set(d, "t", std::move(t));
        templates_->add_partials(d);
        return d;
    }

    std::string page(const std::string& path, const std::string& kind, const std::string& title, data d,
                     bool sample) const {
        set(d, "root", kind == "404" ? base_path() : root_for(path));
        data pg = object();
        set(pg, "title", title.empty() ? strings_.get("home_title") : title);
        set(pg, "kind", kind);
        set(pg, "is_" + kind, data(data::type::bool_true));
        std::string dir = path.ends_with("index.html") ? path.substr(0, path.size() - 10) : path;
        set(pg, "url", base_url_ + dir);
        set(d, "page", std::move(pg));
        set(d, "sample_data", flag(sample));
        return templates_->render(kind, shared_, d);
    }

    bool is_sample(const Project& p) const { return is_sample_data(lib_, p); }

    bool any_sample() const {
        return std::any_of(lib_.projects.begin(), lib_.projects.end(), [&](const Project& p) { return is_sample(p); }) ||
               std::any_of(lib_.departments.begin(), lib_.departments.end(), [](const Department& d) { return d.sample_data; }) ||
               std::any_of(lib_.reports.begin(), lib_.reports.end(), [](const Report& r) { return r.sample_data; });
    }

    bool department_has_sample(const Department& d) const {
        for (const Project* p : involving(d.id))
            if (is_sample(*p)) return true;
        return false;
    }

    // A department's projects (led or shared) in reading order, and the ones it leads in id
    // order: made once, as every department's pages, summary and chart walk them.
    const std::vector<const Project*>& involving(const std::string& dept) const {
        static const std::vector<const Project*> none;
        auto it = involving_.find(dept);
        return it == involving_.end() ? none : it->second;
    }
    const std::vector<const Project*>& led_by(const std::string& dept) const {
        static const std::vector<const Project*> none;
        auto it = led_by_.find(dept);
        return it == led_by_.end() ? none : it->second;
    }


    static std::string report_url(const Report& r) { return "projects/" + r.project + "/reports/" + r.id + "/"; }

    std::string report_title(const Report& r, const Project& p) const {
        if (!r.title.empty()) return r.title;
        return p.title + " " + period_of(r);
    }

    // The label of a report of the library's period ("2020年10月"), as prepare made it.
    const std::string& period_of(const Report& r) const {
        return periods_[static_cast<std::size_t>(&r - lib_.reports.data())];
    }

    const Report* latest(const std::string& project) const {
        auto it = latest_.find(project);
        return it == latest_.end() ? nullptr : it->second;
    }

    void set_completion(data& d, std::optional<double> value) const {
        set(d, "has_completion", flag(value.has_value()));
        if (!value) return;
        set(d, "completion", format_number(*value));
        set(d, "completion_label", strings_.percent(*value));
        set(d, "bar", completion_bar(*value, strings_.format("chart_completion", {{"value", format_number(*value)}})));
    }

    data contact_list(const std::vector<Contact>& contacts) const {
        data out = list();
        for (const auto& c : contacts) {
            data item = object();
            set(item, "name", c.name);
            put(item, "role", c.role);
            put(item, "phone", c.phone);
            put(item, "email", c.email);
            add(out, std::move(item));
        }
        return out;
    }

    // The mean of the latest completion of a department's lead projects that report one.
    std::optional<double> department_average(const Department& d) const {
        double sum = 0;
        int n = 0;
        for (const Project* lead : led_by(d.id)) {
            const Project& p = *lead;
            const Report* r = latest(p.id);
            if (r && r->completion) {
                sum += *r->completion;
                ++n;
            }
        }
        if (n == 0) return std::nullopt;
        return sum / n;
    }

    // Summaries appear on many pages: made once per build, before any page, then only read.
    void prepare(unsigned workers) {
        // Each report's period label, made once: a report's is shown on its page, in its project's
        // list, in its title and its chart's points (dates formatted twice for most, each time).
        periods_.resize(lib_.reports.size());
        parallel_for(lib_.reports.size(), workers, [&](std::size_t i, unsigned) {
            periods_[i] = strings_.period(lib_.reports[i].period_start, lib_.reports[i].period_end);
        });
        for (const auto& p : lib_.projects) ordered_.push_back(&p);
        std::stable_sort(ordered_.begin(), ordered_.end(), [](const Project* a, const Project* b) {
            return std::tie(a->year, a->number, a->id) < std::tie(b->year, b->number, b->id);
        });
        for (const Project* p : ordered_) {
            involving_[p->department].push_back(p);
            for (const auto& co : p->co_departments)
                if (co != p->department) involving_[co].push_back(p);
        }
        for (const auto& p : lib_.projects) led_by_[p.department].push_back(&p);
        for (const auto& d : lib_.departments) department_cache_.emplace(d.id, make_department_summary(d));
        // Made on all cores (each reads only the department summaries), kept in order.
        std::vector<data> summaries(lib_.projects.size());
        parallel_for(summaries.size(), workers,
                     [&](std::size_t i, unsigned) { summaries[i] = make_project_summary(lib_.projects[i]); });
        for (std::size_t i = 0; i < summaries.size(); ++i)
            project_cache_.emplace(lib_.projects[i].id, std::move(summaries[i]));
        // A project's page shows its latest report's body too.
        for (const auto& [project, report] : latest_) analysis_.share_body(lib_, *report);
    }

    // Fingerprints of what each page is made from, for the build cache: a page whose key is the
    // previous build's is the same page. Each covers every value its page's data is built from
    // (see make_department_summary, make_project_summary, report_data, project_detail): a value
    // added to a page must be added to its fingerprint too. Files are named by git blob id, or
    // by their parsed content where there is none.
    template <class T>
    void add_file(Hasher& h, const T& entity) const {
        if (auto it = lib_.file_ids.find(entity.path); it != lib_.file_ids.end()) {
            h.add(it->second);
            return;
        }
        BinaryWriter w;
        write(w, entity);
        h.add(w.bytes());
    }

    static void add_revision(Hasher& h, const Revision& r) {
        h.add(r.commit).add(r.time).add(r.offset).add(r.summary).add(r.body_changed).add(r.changes.size());
        for (const auto& c : r.changes) h.add(c.key).add(c.before).add(c.after);
    }

    void fingerprint(const Theme& theme, unsigned workers) {
        Hasher g;
        g.add("gongkai pages 1").add(GONGKAI_VERSION).add(theme.name);
        for (const auto& [k, v] : theme.templates) g.add(k).add(v);
        g.add("overrides");
        for (const auto& [k, v] : lib_.templates) g.add(k).add(v);
        g.add("strings");
        for (const auto& [k, v] : strings_.table()) g.add(k).add(v);
        const SiteConfig& c = lib_.config;
        g.add(c.path).add(c.title).add(c.language).add(base_url_).add(c.publisher).add(c.description);
        g.add(c.programme).add(c.theme).add(c.sample_data).add(static_cast<int>(c.calendar.frequency));
        g.add(c.calendar.due_day).add(analysis_.has_history).add(analysis_.history.shallow);
        global_ = g.digest();

        for (const auto& d : lib_.departments) {
            Hasher h;
            add_file(h, d);
            h.add(involving(d.id).size());
            auto avg = department_average(d);
            h.add(avg.has_value()).add(avg.value_or(0));
            Counts n = count_projects(d.id);
            h.add(n.behind).add(n.late);
            department_fp_.emplace(d.id, h.digest());
        }
        report_fp_.resize(lib_.reports.size());
        parallel_for(lib_.reports.size(), workers, [&](std::size_t i, unsigned) {
            const Report& r = lib_.reports[i];
            const Project* p = lib_.project(r.project);
            Hasher h;
            add_file(h, r);
            h.add(r.path);
            if (const FileHistory* fh = analysis_.history_of(lib_, r)) {
                h.add(fh->published.has_value()).add(fh->truncated).add(fh->amendments.size());
                if (fh->published) add_revision(h, *fh->published);
                for (const auto& a : fh->amendments) add_revision(h, a);
            } else {
                h.add("no history");
            }
            if (p) h.add(expected_progress(*p, std::min(r.period_end, analysis_.today)));
            report_fp_[i] = h.digest();
        });
        std::vector<Hash128> project_fps(lib_.projects.size());
        parallel_for(lib_.projects.size(), workers, [&](std::size_t i, unsigned) {
            const Project& p = lib_.projects[i];
            Hasher h;
            add_file(h, p);
            if (auto it = department_fp_.find(p.department); it != department_fp_.end()) h.add(it->second);
            if (const ProjectSchedule* s = schedule(p.id)) {
                h.add(s->latest ? s->latest->path : "").add(s->expected.has_value()).add(s->expected.value_or(0));
                h.add(s->expected_at.days()).add(s->behind).add(s->missing.size());
                for (const auto& m : s->missing) h.add(m.start.days()).add(m.end.days()).add(m.due.days());
            } else {
                h.add("no schedule");
            }
            const Report* r = latest(p.id);
            if (r) add_file(h, *r);
            h.add(lib_.reports_of(p.id).size());
            if (const Revision* rev = last_revision(lib_, analysis_, p)) add_revision(h, *rev);
            h.add(is_sample(p));
            project_fps[i] = h.digest();
        });
        for (std::size_t i = 0; i < project_fps.size(); ++i) project_fp_.emplace(lib_.projects[i].id, project_fps[i]);
    }

    Hash128 report_fp(const Report& r) const {
        return report_fp_[static_cast<std::size_t>(&r - lib_.reports.data())];
    }

    // The home page, the list of departments and the 404 page: made from every department and
    // project summary and the site's totals (the 404 page only from the site).
    std::optional<Hash128> overview_key(const std::string& kind) const {
        Hasher h;
        h.add(global_).add(kind);
        if (kind == "404") return h.digest();
        h.add(lib_.projects.size()).add(lib_.departments.size()).add(lib_.reports.size()).add(any_sample());
        for (const auto& d : lib_.departments) h.add(d.id).add(department_fp_.at(d.id));
        if (kind == "departments") return h.digest();
        for (const Project* p : ordered_projects()) h.add(p->id).add(project_fp_.at(p->id));
        return h.digest();
    }

    std::optional<Hash128> department_key(const Department& d) const {
        Hasher h;
        h.add(global_).add("department").add(d.id).add(department_fp_.at(d.id));
        for (const Project* p : involving(d.id)) h.add(p->id).add(project_fp_.at(p->id)).add(p->department == d.id);
        return h.digest();
    }

    std::optional<Hash128> project_key(const Project& p) const {
        Hasher h;
        h.add(global_).add("project").add(p.id).add(project_fp_.at(p.id));
        for (const auto& id : p.co_departments)
            if (auto it = department_fp_.find(id); it != department_fp_.end()) h.add(it->second);
        for (const Report* r : lib_.reports_of(p.id)) h.add(report_fp(*r));
        return h.digest();
    }

    std::optional<Hash128> report_key(const Report& r) const {
        const Project& p = *lib_.project(r.project);
        Hasher h;
        h.add(global_).add("report").add(r.path).add(report_fp(r)).add(project_fp_.at(p.id));
        if (auto it = department_fp_.find(p.department); it != department_fp_.end()) h.add(it->second);
        return h.digest();
    }

    // The project's implementation statement as HTML: shown on its page and every report's.
    // Rendered once, when a page that shows it is first rendered.
    std::string implementation(const Project& p) const {
        if (p.body.empty()) return "";
        {
            std::lock_guard guard(implementation_lock_);
            if (auto it = implementation_cache_.find(p.id); it != implementation_cache_.end()) return it->second;
        }
        std::string html = render_markdown(p.body).html;
        std::lock_guard guard(implementation_lock_);
        return implementation_cache_.emplace(p.id, std::move(html)).first->second;
    }

    const data& department_summary(const Department& d) const { return department_cache_.at(d.id); }
    const data& project_summary(const Project& p) const { return project_cache_.at(p.id); }

    data make_department_summary(const Department& d) const {
        data out = object();
        set(out, "id", d.id);
        set(out, "url", "departments/" + d.id + "/");
        set(out, "name", d.name);
        set(out, "short_name", d.short_name.empty() ? d.name : d.short_name);
        set(out, "project_count", std::to_string(involving(d.id).size()));
        auto avg = department_average(d);
        set(out, "has_completion", flag(avg.has_value()));
        if (avg) set(out, "average_completion_label", strings_.percent(*avg));
        set(out, "sample_data", flag(d.sample_data));
        set_counts(out, d.id);
        return out;
    }

    data department_detail(const Department& d) const {
        data out = department_summary(d);
        put(out, "description", d.description.empty() ? "" : render_markdown(d.description).html);
        put(out, "website", d.url);
        set(out, "has_contacts", flag(!d.contacts.empty()));
        set(out, "contacts", contact_list(d.contacts));
        return out;
    }

    void set_counts(data& out, const std::string& department) const {
        Counts n = count_projects(department);
        set(out, "behind_count", std::to_string(n.behind));
        set(out, "late_count", std::to_string(n.late));
        set(out, "has_behind", flag(n.behind > 0));
        set(out, "has_late", flag(n.late > 0));
    }

    struct Status {
        std::string key;
        std::string label;
    };

    Status status_of(const Project& p) const {
        const Report* r = latest(p.id);
        if (!r) return {"no-report", strings_.get("status_no_report")};
        if (r->completion && *r->completion >= 100) return {"complete", strings_.get("status_complete")};
        if (r->completion && *r->completion <= 0) return {"not-started", strings_.get("status_not_started")};
        return {"in-progress", strings_.get("status_in_progress")};
    }

    data make_project_summary(const Project& p) const {
        data out = object();
        set(out, "id", p.id);
        set(out, "url", "projects/" + p.id + "/");
        set(out, "title", p.title);
        put(out, "number", p.number);
        put(out, "number_label", strings_.item_number(p.number));
        set(out, "year", std::to_string(p.year));
        if (const Department* d = lib_.department(p.department))
            set(out, "department", link_to(department_summary(*d)));
        const Report* r = latest(p.id);
        set_completion(out, r ? r->completion : std::nullopt);
        Status s = status_of(p);
        data status = object();
        set(status, "key", s.key);
        set(status, "label", s.label);
        set(out, "status", std::move(status));
        set(out, "has_latest", flag(r != nullptr));
        if (r) {
            data l = object();
            set(l, "url", report_url(*r));
            set(l, "period_label", period_of(*r));
            set(l, "date_label", strings_.date(r->date));
            set(out, "latest", std::move(l));
        }
        set(out, "report_count", std::to_string(lib_.reports_of(p.id).size()));
        set(out, "sample_data", flag(is_sample(p)));
        set_schedule(out, p);
        return out;
    }

    const ProjectSchedule* schedule(const std::string& project) const {
        auto it = analysis_.schedules.find(project);
        return it == analysis_.schedules.end() ? nullptr : &it->second;
    }

    void set_schedule(data& out, const Project& p) const {
        const ProjectSchedule* s = schedule(p.id);
        bool judged = s && s->latest;
        set(out, "behind", flag(judged && s->behind));
        set(out, "late", flag(s && s->late()));
        set(out, "has_expected", flag(judged && s->expected.has_value()));
        if (judged && s->expected) {
            set(out, "expected_label", strings_.percent(*s->expected));
            set(out, "expected_at_label", strings_.date(s->expected_at));
            set(out, "expected_at_text", strings_.format("expected_at", {{"date", strings_.date(s->expected_at)}}));
        }
        set(out, "has_schedule", flag(judged));
        if (judged) set(out, "schedule_label", strings_.get(s->behind ? "behind_schedule" : "on_track"));
        set(out, "missing_count", std::to_string(s ? s->missing.size() : 0));
        const Revision* updated = last_revision(lib_, analysis_, p);
        set(out, "has_last_updated", flag(updated != nullptr));
        if (updated) set(out, "last_updated_label", strings_.date(date_of(updated->time, updated->offset)));
    }

    data revision_data(const Revision& r) const {
        data out = object();
        set(out, "date_label", strings_.date(date_of(r.time, r.offset)));
        set(out, "commit", r.commit.substr(0, 7));
        set(out, "summary", r.summary);
        data changes = list();
        for (const auto& c : r.changes) {
            data item = object();
            set(item, "key", c.key);
            auto shown = [&](const std::string& v) {
                if (v.empty()) return strings_.get("history_none");
                return c.key == "completion" ? strings_.format("percent", {{"value", v}}) : v;
            };
            set(item, "before", shown(c.before));
            set(item, "after", shown(c.after));
            set(item, "is_completion", flag(c.key == "completion"));
            add(changes, std::move(item));
        }
        set(out, "has_changes", flag(!r.changes.empty()));
        set(out, "changes", std::move(changes));
        set(out, "body_changed", flag(r.body_changed));
        return out;
    }

    data history_data(const Report& r) const {
        data out = object();
        const FileHistory* h = analysis_.history_of(lib_, r);
        bool known = h && h->published;
        set(out, "known", flag(known));
        set(out, "incomplete", flag(analysis_.has_history && analysis_.history.shallow));
        if (!known) return out;
        set(out, "published", revision_data(*h->published));
        data amendments = list();
        for (const auto& a : h->amendments) add(amendments, revision_data(a));
        set(out, "has_amendments", flag(!h->amendments.empty()));
        set(out, "amendments", std::move(amendments));
        set(out, "amendment_count", std::to_string(h->amendments.size()));
        return out;
    }

    data goal_tree(const std::vector<Goal>& goals, const Report* latest_report) const {
        data out = list();
        for (const auto& g : goals) {
            data item = object();
            set(item, "id", g.id);
            set(item, "title", g.title);
            set(item, "has_goals", flag(!g.goals.empty()));
            set(item, "goals", goal_tree(g.goals, latest_report));
            std::optional<double> value;
            if (latest_report)
                for (const auto& gc : latest_report->goal_completion)
                    if (gc.goal_id == g.id) value = gc.completion;
            set(item, "has_completion", flag(value.has_value()));
            if (value) set(item, "completion_label", strings_.percent(*value));
            add(out, std::move(item));
        }
        return out;
    }

    static const Goal* find_goal(const std::vector<Goal>& goals, const std::string& id) {
        for (const auto& g : goals) {
            if (g.id == id) return &g;
            if (const Goal* inner = find_goal(g.goals, id)) return inner;
        }
        return nullptr;
    }

    // A report's fields that a list of reports shows as well as its page: a project page's table.
    data report_row(const Report& r, const Project& p) const {
        data out = object();
        set(out, "id", r.id);
        set(out, "url", report_url(r));
        set(out, "title", report_title(r, p));
        set(out, "period_label", period_of(r));
        set(out, "period_start", r.period_start.iso());
        set(out, "period_end", r.period_end.iso());
        set(out, "date", r.date.iso());
        set(out, "date_label", strings_.date(r.date));
        set_completion(out, r.completion);
        set(out, "has_on_schedule", flag(r.on_schedule.has_value()));
        set(out, "on_schedule", flag(r.on_schedule.value_or(false)));
        if (r.on_schedule)
            set(out, "on_schedule_label", strings_.get(*r.on_schedule ? "on_schedule_yes" : "on_schedule_no"));
        set(out, "sample_data", flag(is_sample(p) || r.sample_data));
        double expected = expected_progress(p, std::min(r.period_end, analysis_.today));
        set(out, "expected_label", strings_.percent(std::round(expected * 10) / 10));
        return out;
    }

    // The names report_rest may set, sorted: a row of a list of reports makes them only if its
    // template asks for one (see later_link).
    static constexpr std::array<std::string_view, 15> rest_names = {
        "addressee",    "body",         "contact_names",       "contact_phones", "contacts",
        "department",   "goal_completion", "has_contacts",     "has_goal_completion", "has_sections",
        "history",      "leader_signature", "project",         "sections",       "signed_by"};
    static_assert(std::is_sorted(rest_names.begin(), rest_names.end()));

    // The rest of a report's fields (and with_body, its body), into out: only the names in
    // rest_names, which a row relies on to tell what it lacks (a logic_error says otherwise).
    void report_rest(data& out, const Report& r, const Project& p, bool with_body) const {
        auto keep = [&](std::string_view key, data value) {
            if (!std::binary_search(rest_names.begin(), rest_names.end(), key))
                throw std::logic_error("report_rest sets a name rest_names lacks: " + std::string(key));
            set(out, std::string(key), std::move(value));
        };
        auto keep_text = [&](std::string_view key, std::string value) {
            if (!value.empty()) keep(key, text(std::move(value)));
        };
        keep_text("addressee", r.addressee);
        keep_text("signed_by", r.signed_by);
        keep("leader_signature", flag(r.leader_signature));
        keep("has_contacts", flag(!r.contacts.empty()));
        keep("contacts", contact_list(r.contacts));
        std::vector<std::string> names, phones;
        for (const auto& c : r.contacts) {
            names.push_back(c.name);
            if (!c.phone.empty()) phones.push_back(c.phone);
        }
        keep_text("contact_names", strings_.join(names));
        keep_text("contact_phones", strings_.join(phones));
        if (with_body) {
            RenderedMarkdown md = analysis_.body_of(lib_, r);
            keep("body", text(std::move(md.html)));
            data sections = list();
            for (const auto& s : md.sections) {
                data item = object();
                set(item, "id", s.id);
                set(item, "title", s.title);
                add(sections, std::move(item));
            }
            keep("sections", std::move(sections));
            keep("has_sections", flag(!md.sections.empty()));
        }
        keep("has_goal_completion", flag(!r.goal_completion.empty()));
        data goals = list();
        for (const auto& gc : r.goal_completion) {
            data item = object();
            set(item, "id", gc.goal_id);
            const Goal* g = find_goal(p.goals, gc.goal_id);
            set(item, "title", g ? g->title : gc.goal_id);
            set(item, "completion_label", strings_.percent(gc.completion));
            set(item, "bar", completion_bar(gc.completion, strings_.format("chart_completion",
                                                                         {{"value", format_number(gc.completion)}})));
            add(goals, std::move(item));
        }
        keep("goal_completion", std::move(goals));
        keep("project", link_to(project_summary(p)));
        if (const Department* d = lib_.department(p.department)) keep("department", link_to(department_summary(*d)));
        keep("history", history_data(r));
    }

    data report_data(const Report& r, bool with_body) const {
        const Project& p = *lib_.project(r.project);
        data out = report_row(r, p);
        report_rest(out, r, p, with_body);
        return out;
    }

    data project_detail(const Project& p) const {
        data out = project_summary(p);
        put(out, "implementation", implementation(p));
        put(out, "target", p.target.empty() ? "" : render_markdown(p.target).html);
        put(out, "official", p.official);
        set(out, "start", p.start.iso());
        set(out, "end", p.end.iso());
        set(out, "start_label", strings_.date(p.start));
        set(out, "end_label", strings_.date(p.end));
        data co = list();
        for (const auto& id : p.co_departments)
            if (const Department* d = lib_.department(id)) add(co, link_to(department_summary(*d)));
        set(out, "has_co_departments", flag(!p.co_departments.empty()));
        set(out, "co_departments", std::move(co));
        const Report* last = latest(p.id);
        set(out, "has_goals", flag(!p.goals.empty()));
        set(out, "goals", goal_tree(p.goals, last));
        auto reports = lib_.reports_of(p.id);
        data rs = list();
        // Each row holds what the default theme's table shows; the rest of a report's fields are
        // made only for a theme whose row asks for one of them.
        for (auto it = reports.rbegin(); it != reports.rend(); ++it) {
            const Report& r = **it;
            add(rs, later_link(report_row(r, p), rest_names, [this, &r, &p] {
                data rest = object();
                report_rest(rest, r, p, false);
                return rest;
            }));
        }
        set(out, "has_reports", flag(!reports.empty()));
        set(out, "reports", std::move(rs));
        set(out, "has_latest", flag(last != nullptr));
        if (last) set(out, "latest", report_data(*last, true));
        data missing = list();
        if (const ProjectSchedule* s = schedule(p.id)) {
            for (const auto& period : s->missing) {
                data item = object();
                set(item, "period_label", strings_.period(period.start, period.end));
                set(item, "due_label", strings_.date(period.due));
                set(item, "due_text", strings_.format("missing_period_due", {{"due", strings_.date(period.due)}}));
                add(missing, std::move(item));
            }
        }
        set(out, "missing_periods", std::move(missing));
        data milestones = list();
        for (const auto& m : p.milestones) {
            data item = object();
            set(item, "date_label", strings_.date(m.date));
            set(item, "expected_label", strings_.percent(m.expected));
            add(milestones, std::move(item));
        }
        set(out, "has_milestones", flag(!p.milestones.empty()));
        set(out, "milestones", std::move(milestones));
        return out;
    }

    std::string progress_chart(const Project& p) const {
        LineChart c;
        c.id = "progress-" + p.id;
        c.title = strings_.format("chart_progress_title", {{"title", p.title}});
        c.from = p.start;
        c.to = p.end;
        c.actual_name = strings_.get("reported_completion");
        c.expected_name = strings_.get("expected_progress");
        for (int m = 1; m <= 12; ++m) c.month_labels.push_back(strings_.get("month_short_" + std::to_string(m)));
        std::vector<std::string> points;
        for (const Report* r : lib_.reports_of(p.id)) {
            // As the judgement does: a period still running is judged at the build's date.
            double expected = std::round(expected_progress(p, std::min(r->period_end, analysis_.today)) * 10) / 10;
            if (r->completion) {
                c.actual.push_back({r->period_end, *r->completion, strings_.percent(*r->completion)});
                points.push_back(strings_.format("chart_progress_point",
                                                 {{"period", period_of(*r)},
                                                  {"value", strings_.percent(*r->completion)},
                                                  {"expected", strings_.percent(expected)}}));
            }
        }
        // The expected line's corners: start, each milestone, end.
        c.expected.push_back({Date::from_days(p.start.days() - 1), 0, ""});
        for (const auto& m : p.milestones) c.expected.push_back({m.date, m.expected, ""});
        c.expected.push_back({p.end, 100, ""});
        c.description = points.empty() ? strings_.get("chart_no_figures") : strings_.join(points);
        return line_chart(c);
    }

    BarItem project_bar(const Project& p) const {
        BarItem item;
        item.label = p.number.empty() ? p.title : strings_.item_number(p.number) + " " + p.title;
        const ProjectSchedule* s = schedule(p.id);
        const Report* r = latest(p.id);
        item.value = r && r->completion ? *r->completion : 0;
        if (r && r->completion)
            item.value_label = strings_.percent(*r->completion);
        else if (r && r->on_schedule)
            item.value_label = strings_.get(*r->on_schedule ? "on_track" : "behind_short");
        else
            item.value_label = strings_.get("status_no_report");
        if (s && s->expected) item.marker = *s->expected;
        item.flagged = s && s->latest && s->behind;
        bool judged_in_words = r && !r->completion;  // the value already says "behind"
        item.flag_label = judged_in_words ? "" : strings_.get("behind_short");
        return item;
    }

    std::string department_chart(const Department& d) const {
        BarChart c;
        c.id = "completion-" + d.id;
        c.title = strings_.format("chart_department_title", {{"name", d.name}});
        c.marker_name = strings_.get("expected_progress");
        c.flag_name = strings_.get("behind_schedule");
        std::vector<std::string> parts;
        for (const Project* p : involving(d.id)) {
            BarItem item = project_bar(*p);
            parts.push_back(item.label + " " + item.value_label + (item.flagged ? " " + item.flag_label : ""));
            c.items.push_back(std::move(item));
        }
        c.description = parts.empty() ? strings_.get("chart_no_figures") : strings_.join(parts);
        return bar_chart(c);
    }

    struct Counts {
        int complete = 0, in_progress = 0, not_started = 0, no_report = 0, behind = 0, late = 0;
    };

    Counts count_projects(const std::string& department) const {
        Counts n;
        std::vector<const Project*> all;
        if (department.empty())
            for (const auto& p : lib_.projects) all.push_back(&p);
        for (const Project* each : department.empty() ? all : led_by(department)) {
            const Project& p = *each;
            std::string key = status_of(p).key;
            n.complete += key == "complete";
            n.in_progress += key == "in-progress";
            n.not_started += key == "not-started";
            n.no_report += key == "no-report";
            const ProjectSchedule* s = schedule(p.id);
            n.behind += s && s->latest && s->behind;
            n.late += s && s->late();
        }
        return n;
    }

    std::string departments_chart() const {
        BarChart c;
        c.id = "departments";
        c.title = strings_.get("chart_departments_title");
        std::vector<std::string> parts;
        for (const auto& d : lib_.departments) {
            BarItem item;
            item.label = d.short_name.empty() ? d.name : d.short_name;
            auto avg = department_average(d);
            item.value = avg.value_or(0);
            const auto& led = led_by(d.id);
            bool reported = std::any_of(led.begin(), led.end(), [&](const Project* p) { return latest(p->id); });
            // Reports with yes/no judgements only have no figure to average: a dash, not "no report".
            item.value_label = avg ? strings_.percent(*avg) : strings_.get(reported ? "no_value" : "status_no_report");
            parts.push_back(item.label + " " + item.value_label);
            c.items.push_back(std::move(item));
        }
        c.description = parts.empty() ? strings_.get("chart_no_figures") : strings_.join(parts);
        return bar_chart(c);
    }

    std::vector<std::pair<std::string, int>> status_rows() const {
        Counts n = count_projects("");
        return {{strings_.get("status_complete"), n.complete},       {strings_.get("status_in_progress"), n.in_progress},
                {strings_.get("status_not_started"), n.not_started}, {strings_.get("status_no_report"), n.no_report},
                {strings_.get("behind_schedule"), n.behind},         {strings_.get("late_report"), n.late}};
    }

    std::string status_chart() const {
        BarChart c;
        c.id = "status";
        c.title = strings_.get("chart_status_title");
        c.percent_axis = false;
        int max = 1;
        std::vector<std::string> parts;
        for (const auto& [label, count] : status_rows()) {
            BarItem item;
            item.label = label;
            item.value = count;
            item.value_label = std::to_string(count);
            max = std::max(max, count);
            parts.push_back(label + " " + item.value_label);
            c.items.push_back(std::move(item));
        }
        c.max = max <= 4 ? 4 : ((max + 3) / 4) * 4;
        c.description = strings_.join(parts);
        return bar_chart(c);
    }

    data overview_chart_data() const {
        data out = object();
        set(out, "departments", departments_chart());
        set(out, "departments_url", "charts/departments.svg");
        set(out, "status", status_chart());
        set(out, "status_url", "charts/status.svg");
        data rows = list();
        for (const auto& [label, count] : status_rows()) {
            data item = object();
            set(item, "label", label);
            set(item, "count", std::to_string(count));
            add(rows, std::move(item));
        }
        set(out, "status_rows", std::move(rows));
        return out;
    }

    // Projects in reading order: by year, then item number, then id.
    const std::vector<const Project*>& ordered_projects() const { return ordered_; }

    data department_projects(const Department& d) const {
        data out = list();
        for (const Project* p : involving(d.id)) {
            data own = object();
            set(own, "is_lead", flag(p->department == d.id));
            add(out, link_to(project_summary(*p), std::move(own)));
        }
        return out;
    }

    data departments_data() const {
        data out = object();
        data ds = list();
        for (const auto& d : lib_.departments) add(ds, link_to(department_summary(d)));
        set(out, "departments", std::move(ds));
        return out;
    }

    data home_data() const {
        data out = departments_data();
        data ps = list();
        int complete = 0, in_progress = 0, not_started = 0, no_report = 0, with_completion = 0;
        double sum = 0;
        for (const Project* p : ordered_projects()) {
            add(ps, link_to(project_summary(*p)));
            std::string key = status_of(*p).key;
            complete += key == "complete";
            in_progress += key == "in-progress";
            not_started += key == "not-started";
            no_report += key == "no-report";
            if (const Report* r = latest(p->id); r && r->completion) {
                sum += *r->completion;
                ++with_completion;
            }
        }
        set(out, "projects", std::move(ps));
        data totals = object();
        set(totals, "projects", std::to_string(lib_.projects.size()));
        set(totals, "departments", std::to_string(lib_.departments.size()));
        set(totals, "reports", std::to_string(lib_.reports.size()));
        set(totals, "has_completion", flag(with_completion > 0));
        set(totals, "average_completion_label", with_completion ? strings_.percent(sum / with_completion) : "");
        set(totals, "complete", std::to_string(complete));
        set(totals, "in_progress", std::to_string(in_progress));
        set(totals, "not_started", std::to_string(not_started));
        set(totals, "no_report", std::to_string(no_report));
        set_counts(totals, "");
        set(out, "totals", totals);
        return out;
    }

    const Library& lib_;
    const Analysis& analysis_;
    Diagnostics& diagnostics_;
    Strings strings_;
    std::optional<Templates> templates_;  // freed once the pages are made
    std::string base_url_;
    data shared_;
    std::map<std::string, const Report*> latest_;
    std::vector<std::string> periods_;  // each report's period label, by library index
    std::map<std::string, data> department_cache_;
    std::map<std::string, data> project_cache_;
    mutable std::mutex implementation_lock_;
    mutable std::map<std::string, std::string> implementation_cache_;
    std::vector<const Project*> ordered_;
    std::map<std::string, std::vector<const Project*>> involving_;
    std::map<std::string, std::vector<const Project*>> led_by_;
    Hash128 global_;
    std::map<std::string, Hash128> department_fp_;
    std::map<std::string, Hash128> project_fp_;
    std::vector<Hash128> report_fp_;  // by library index
};

}  // namespace

SiteFiles render_site(const Library& library, const Theme& theme, const Analysis& analysis, Diagnostics& diagnostics,
                      unsigned jobs) {
    SiteFiles files;
    render_site(files, library, theme, analysis, diagnostics, jobs);
    return files;
}

void render_site(SiteFiles& files, const Library& library, const Theme& theme, const Analysis& analysis,
                 Diagnostics& diagnostics, unsigned jobs, const PageReuse* reuse, RenderStats* stats) {
    SiteBuilder builder(library, theme, analysis, diagnostics);
    if (diagnostics.has_errors()) return;
    builder.build(files, theme, worker_count(jobs), reuse, stats);
}

void check_roll_ups(const Library& library, Diagnostics& diagnostics) {
    for (const auto& r : library.reports) {
        if (r.goal_completion.empty()) continue;
        const Project* p = library.project(r.project);
        if (!p) continue;
        std::map<std::string, double> stated;
        for (const auto& gc : r.goal_completion) stated[gc.goal_id] = gc.completion;
        std::function<void(const std::vector<Goal>&)> visit = [&](const std::vector<Goal>& goals) {
            for (const auto& g : goals) {
                visit(g.goals);
                auto it = stated.find(g.id);
                if (g.goals.empty() || it == stated.end()) continue;
                std::map<std::string, double> without_self = stated;
                without_self.erase(g.id);
                auto derived = rolled_up_completion(g, without_self);
                if (derived && std::abs(*derived - it->second) > 1.0) {
                    std::size_t line = 0;
                    for (const auto& gc : r.goal_completion)
                        if (gc.goal_id == g.id) line = gc.line;
                    diagnostics.warning(r.path, line, 0, "goal_completion." + g.id,
                                        "states " + format_number(it->second) + "% but its parts average " +
                                            format_number(*derived) + "%");
                }
            }
        };
        visit(p->goals);
    }
}

}  // namespace gongkai
