#include "analysis.h"

#include <cstdio>
#include <stdexcept>

#include "parallel.h"

namespace gongkai {

void Analysis::prepare_bodies(std::size_t count) {
    bodies_.assign(count, {});
    body_state_.assign(count, Body::none);
    body_users_.assign(count, 1);
    body_locks_ = std::make_shared<std::array<std::mutex, 64>>();
    markdown_.assign(count, {});
    markdown_read_.assign(count, 0);
}

const std::string& Analysis::markdown_locked(std::size_t index, const Report& report) const {
    if (!report.body_unread) return report.body;
    if (!markdown_read_[index]) {
        if (!read_markdown) throw std::logic_error("no way to read " + report.path + " again");
        markdown_[index] = read_markdown(report);
        markdown_read_[index] = 1;
    }
    return markdown_[index];
}

void Analysis::drop_markdown_locked(std::size_t index) const {
    if (!markdown_read_[index]) return;
    std::string().swap(markdown_[index]);
    markdown_read_[index] = 0;
}

std::string Analysis::markdown_of(const Library& library, const Report& report) const {
    if (!report.body_unread) return report.body;
    auto index = static_cast<std::size_t>(&report - library.reports.data());
    if (index >= bodies_.size()) throw std::logic_error("no way to read " + report.path + " again");
    std::lock_guard guard(lock_for(index));
    return markdown_locked(index, report);
}

void Analysis::set_sections(std::size_t index, std::vector<Section> sections) {
    bodies_[index].sections = std::move(sections);
    body_state_[index] = Body::sections;
}

bool Analysis::has_sections(std::size_t index) const {
    return index < body_state_.size() && body_state_[index] != Body::none;
}

RenderedMarkdown Analysis::body_of(const Library& library, const Report& report) const {
    auto index = static_cast<std::size_t>(&report - library.reports.data());
    if (index >= bodies_.size()) return render_markdown(markdown_of(library, report));
    std::lock_guard guard(lock_for(index));
    if (body_state_[index] != Body::whole) {
        bodies_[index] = render_markdown(markdown_locked(index, report));
        body_state_[index] = Body::whole;
    }
    return bodies_[index];
}

void Analysis::share_body(const Library& library, const Report& report) const {
    auto index = static_cast<std::size_t>(&report - library.reports.data());
    if (index < bodies_.size()) ++body_users_[index];
}

void Analysis::release_body(const Library& library, const Report& report) const {
    auto index = static_cast<std::size_t>(&report - library.reports.data());
    if (index >= bodies_.size()) return;
    std::lock_guard guard(lock_for(index));
    if (body_users_[index] > 0) --body_users_[index];
    if (body_users_[index] > 0 || body_state_[index] != Body::whole) return;
    std::string().swap(bodies_[index].html);
    body_state_[index] = Body::sections;
    drop_markdown_locked(index);  // a data entry made again after reads it again
}

void Analysis::forget_markdown(const Library& library, const Report& report) const {
    if (!report.body_unread) return;
    auto index = static_cast<std::size_t>(&report - library.reports.data());
    if (index >= bodies_.size()) return;
    std::lock_guard guard(lock_for(index));
    if (body_state_[index] != Body::whole) drop_markdown_locked(index);
}

std::vector<Section> Analysis::sections_of(const Library& library, const Report& report) const {
    auto index = static_cast<std::size_t>(&report - library.reports.data());
    if (index >= bodies_.size()) return render_markdown(markdown_of(library, report)).sections;
    std::lock_guard guard(lock_for(index));
    if (body_state_[index] == Body::none) {
        bodies_[index].sections = render_markdown(markdown_locked(index, report)).sections;
        body_state_[index] = Body::sections;
    }
    return bodies_[index].sections;
}

std::string rfc3339(std::int64_t seconds, int offset_minutes) {
    const std::int64_t local = seconds + static_cast<std::int64_t>(offset_minutes) * 60;
    const Date day = date_of(seconds, offset_minutes);
    const std::int64_t second_of_day = local - day.days() * 86400;
    const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    // Written digit by digit (an incremental build writes some 30,000 of these, into the feeds and
    // data downloads, and snprintf took 6% of its instructions); the rare time that does not fit
    // two digits a field is left to snprintf below, which prints it as it always has.
    if (second_of_day >= 0 && second_of_day < 86400 && magnitude / 60 < 100) {
        auto two = [](std::string& out, std::int64_t n) {
            out += static_cast<char>('0' + n / 10);
            out += static_cast<char>('0' + n % 10);
        };
        std::string out = day.iso();
        out.reserve(out.size() + 15);
        out += 'T';
        two(out, second_of_day / 3600);
        out += ':';
        two(out, second_of_day / 60 % 60);
        out += ':';
        two(out, second_of_day % 60);
        if (offset_minutes == 0) {
            out += 'Z';
        } else {
            out += offset_minutes < 0 ? '-' : '+';
            two(out, magnitude / 60);
            out += ':';
            two(out, magnitude % 60);
        }
        return out;
    }
    char zone[16] = "Z";
    if (offset_minutes != 0)
        std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%s", day.iso().c_str(), static_cast<int>(second_of_day / 3600),
                  static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60), zone);
    return buf;
}

bool is_sample_data(const Library& lib, const Project& project) {
    const Department* d = lib.department(project.department);
    return lib.config.sample_data || project.sample_data || (d && d->sample_data);
}

bool is_sample_data(const Library& lib, const Report& report) {
    const Project* p = lib.project(report.project);
    return report.sample_data || lib.config.sample_data || (p && is_sample_data(lib, *p));
}

std::string history_path(const Project& project) { return "projects/" + project.id + ".md"; }

std::string history_path(const Report& report) { return "reports/" + report.project + "/" + report.id + ".md"; }

const FileHistory* Analysis::history_of(const Library& library, const Report& report) const {
    const Report* first = library.reports.data();
    const std::size_t n = library.reports.size();
    if (report_histories.size() == n && std::less_equal<>()(first, &report) && std::less<>()(&report, first + n))
        return report_histories[static_cast<std::size_t>(&report - first)];
    return history_of(history_path(report));
}

namespace {

const Revision* last_of(const FileHistory* h) {
    if (!h || (!h->published && h->amendments.empty())) return nullptr;
    return &h->last();
}

}  // namespace

const Revision* last_revision(const Analysis& analysis, const std::string& content_path) {
    return last_of(analysis.history_of(content_path));
}

const Revision* last_revision(const Library& lib, const Analysis& analysis, const Report& report) {
    return last_of(analysis.history_of(lib, report));
}

namespace {

const Revision* newest_revision(const Library& lib, const Analysis& analysis, const Project& project) {
    const Revision* newest = last_revision(analysis, history_path(project));
    for (const Report* r : lib.reports_of(project.id)) {
        const Revision* rev = last_revision(lib, analysis, *r);
        if (rev && (!newest || rev->time > newest->time)) newest = rev;
    }
    return newest;
}

}  // namespace

const Revision* last_revision(const Library& lib, const Analysis& analysis, const Project& project) {
    if (auto it = analysis.last_revisions.find(project.id); it != analysis.last_revisions.end()) return it->second;
    return newest_revision(lib, analysis, project);
}

void note_last_revisions(const Library& lib, Analysis& analysis, unsigned jobs) {
    // On jobs threads: each report's record is a path made and looked up, about a microsecond a
    // report (33-48 ms at 50,000 reports on one thread, between the content's check and the pages).
    const unsigned workers = worker_count(jobs);
    analysis.report_histories.clear();
    std::vector<const FileHistory*> histories(lib.reports.size());
    parallel_for(lib.reports.size(), workers,
                 [&](std::size_t i, unsigned) { histories[i] = analysis.history_of(history_path(lib.reports[i])); });
    analysis.report_histories = std::move(histories);
    std::vector<const Revision*> newest(lib.projects.size());
    parallel_for(lib.projects.size(), workers,
                 [&](std::size_t i, unsigned) { newest[i] = newest_revision(lib, analysis, lib.projects[i]); });
    analysis.last_revisions.clear();
    analysis.last_revisions.reserve(lib.projects.size());
    for (std::size_t i = 0; i < lib.projects.size(); ++i) analysis.last_revisions.emplace(lib.projects[i].id, newest[i]);
}

}  // namespace gongkai
