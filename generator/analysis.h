#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>
#include <string>
#include <unordered_map>

#include "cache/hash.h"
#include "content/model.h"
#include "history.h"
#include "markdown.h"
#include "schedule.h"

namespace gongkai {

// Each report's entry in data/reports.json, with a key of everything it is made from: a build
// with a cache takes the entries of unchanged reports from the previous build.
struct ReportJson {
    Hash128 key;  // of what the entry says (see report_key in data.cpp)
    // Where the entry is in data/reports.json, and the checksum of its bytes (which the file's
    // own checksum is made of). The cache keeps these, not the entry: the next build copies it
    // from the published file, while that file is as the last build wrote it.
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    Hash128 sum;
};
class PublishedFile;
struct ReportJsonCache {
    std::vector<ReportJson> previous;  // by library index, where the last build wrote each
    std::vector<ReportJson> made;      // by library index, filled by add_open_data
    std::size_t kept = 0;              // entries add_open_data copied from the published file
    // data/reports.json as the last build published it, to copy unchanged reports' entries from
    // (if, when they have been copied, it is still as written; else they are made anew). Null
    // where there is none.
    const PublishedFile* published = nullptr;
};

// What a build knows beyond the content itself: the build's "now", the schedule judgements, and
// the record from git. Computed once, before any page is rendered.
struct Analysis {
    Date today;                                         // the commit's date
    std::int64_t now = 0;                               // the commit's time, seconds since the epoch
    int now_offset = 0;                                 // the committer's UTC offset, minutes
    std::map<std::string, ProjectSchedule> schedules;   // by project id
    History history;                                    // empty when not built from a commit
    bool has_history = false;
    // Every report's body, rendered when a page first needs it, in library order; a report page
    // releases its body's HTML once rendered (see release_body), so few are held at once. An
    // incremental build renders only the reports whose pages it renders: the others hold their
    // sections, from the cache. Without prepare_bodies, bodies are rendered at every use.
    void prepare_bodies(std::size_t count);
    // Gives report index its sections without rendering it (they come from the cache).
    void set_sections(std::size_t index, std::vector<Section> sections);
    // Whether report index has its sections (rendered, or from the cache).
    bool has_sections(std::size_t index) const;
    // The sections of every report, in library order (for the cache); call with no page rendering.
    const std::vector<Section>& sections_at(std::size_t index) const { return bodies_[index].sections; }
    ReportJsonCache* report_json = nullptr;  // optional
    // Reads a report's Markdown again, for the reports taken from the build cache (body_unread);
    // called from any thread.
    std::function<std::string(const Report&)> read_markdown;

    // A copy of the report's Markdown: its body, or for a report taken from the cache, the text
    // read_markdown gives, read once however many ask, from any thread. A copy because a page may
    // let the text read again go (release_body) while the data downloads make an entry beside
    // it; that text is copied under the report's lock.
    std::string markdown_of(const Library& library, const Report& report) const;
    // Lets go of the report's Markdown if it was read again from git and no page holds its body
    // (the data downloads, once an entry is made); it is read again if asked.
    void forget_markdown(const Library& library, const Report& report) const;

    // The rendered body of the library's report, rendered once however many pages ask, from any
    // thread.
    RenderedMarkdown body_of(const Library& library, const Report& report) const;
    // A page is done with a report's body: once every page that shows it is (one, or more after
    // share_body), its HTML is freed, with its Markdown if that was read again from git, and its
    // sections kept. body_of renders it again if asked.
    void release_body(const Library& library, const Report& report) const;
    // One more page shows the report's body (and will release it). Call before pages render.
    void share_body(const Library& library, const Report& report) const;
    // The report's sections: its level-2 headings (rendering the body if they are not known).
    std::vector<Section> sections_of(const Library& library, const Report& report) const;

    // Each project's newest revision (see last_revision), by project id, as note_last_revisions
    // worked it out once the record was read; empty until then (it is then worked out at each ask).
    std::unordered_map<std::string, const Revision*> last_revisions;
    // Each report's record (history_of its history_path), by library index, as note_last_revisions
    // found it; empty until then (it is then looked up at each ask).
    std::vector<const FileHistory*> report_histories;

    // The record of a file (path relative to the content folder), or null where there is none
    // to trust: no git, or a shallow clone whose dates would be wrong.
    const FileHistory* history_of(const std::string& content_path) const {
        if (!has_history || history.shallow) return nullptr;
        auto it = history.files.find(content_path);
        return it == history.files.end() ? nullptr : &it->second;
    }
    // The record of one of library's reports: history_of(history_path(report)), found once.
    const FileHistory* history_of(const Library& library, const Report& report) const;

private:
    enum class Body : char { none, sections, whole };  // what bodies_ holds of a report
    mutable std::vector<RenderedMarkdown> bodies_;
    mutable std::vector<Body> body_state_;
    mutable std::vector<std::uint8_t> body_users_;  // pages yet to release each body
    mutable std::vector<std::string> markdown_;     // of reports read again, by library index
    mutable std::vector<char> markdown_read_;
    const std::string& markdown_locked(std::size_t index, const Report& report) const;
    void drop_markdown_locked(std::size_t index) const;  // Markdown read again, if any, goes
    // A report's body is guarded by one of these, chosen by its index.
    std::shared_ptr<std::array<std::mutex, 64>> body_locks_;
    std::mutex& lock_for(std::size_t index) const { return (*body_locks_)[index % 64]; }
};

// A moment as RFC 3339 in the committer's own offset ("2020-10-21T09:30:00+08:00"; "Z" for UTC).
std::string rfc3339(std::int64_t seconds, int offset_minutes);

// Where git history records a file: paths relative to the content folder.
std::string history_path(const Project& project);
std::string history_path(const Report& report);

// True when a project or report is fictional sample data: marked itself, or by its department or the site.
bool is_sample_data(const Library& lib, const Project& project);
bool is_sample_data(const Library& lib, const Report& report);

// The newest revision (first publication or amendment) of a file, or null when history has none.
const Revision* last_revision(const Analysis& analysis, const std::string& content_path);

// The newest revision of a project's file or any of its reports: when its page last changed.
// Asked of every project by its page, its key, the data downloads and the feeds.
const Revision* last_revision(const Library& lib, const Analysis& analysis, const Project& project);
// The newest revision of one of lib's reports (as last_revision of its history_path).
const Revision* last_revision(const Library& lib, const Analysis& analysis, const Report& report);
// Works out every project's last_revision and every report's record once, into
// analysis.last_revisions and analysis.report_histories, on jobs threads (0: one per core): call
// when the record no longer changes.
void note_last_revisions(const Library& lib, Analysis& analysis, unsigned jobs = 0);


}  // namespace gongkai
