// The whole pipeline of `gongkai build`: read, validate, analyse, render and write, with the
// build cache that lets a rebuild render and write only what a commit changed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <future>
#include <memory>
#include <set>
#include <stop_token>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cache/build_cache.h"
#include "cache/cache_lock.h"
#include "content/frontmatter.h"
#include "content/library.h"
#include "markdown.h"
#include "parallel.h"
#include "schedule.h"
#include "site.h"

namespace gongkai {

namespace fs = std::filesystem;

namespace {

std::int64_t now_ns() {
    struct timespec ts {};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::uint64_t inode_of(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

// The cache, if it may be trusted for this build; else why not.
std::optional<BuildCache> usable_cache(const fs::path& folder, const std::string& identity, const fs::path& out,
                                       std::string& why) {
    auto cache = load_build_cache(folder, identity, why);
    if (!cache) return std::nullopt;
    if (inode_of(out) != cache->live_inode) {
        why = "the output folder is not the one the cache describes";
        return std::nullopt;
    }
    return cache;
}

// The published site and the cache's second copy of it, as checked by stat against the cache's
// lists; nothing is changed.
struct CheckedCopies {
    Manifest live;            // the published files listed and still as written
    Manifest not_as_written;  // the published files listed but no longer as written
    bool spare = false;       // the second copy is the folder the cache describes
    Manifest current;         // its files listed and still as written
    FolderTimes unchanged;    // its folders in which no name changed
};

CheckedCopies check_copies(const fs::path& out, const fs::path& cache_dir, BuildCache& cache) {
    CheckedCopies c;
    c.live = std::move(cache.live);
    verify_manifest(out, c.live, &c.not_as_written);
    const fs::path target = cache_dir / "site";
    std::error_code ec;
    if (cache.has_spare && fs::is_directory(target, ec) && inode_of(target) == cache.spare_inode) {
        c.spare = true;
        c.current = cache.spare;
        // Most of the copy's files are links to the published files, which live lists as just
        // checked.
        c.unchanged = unchanged_folders(target, cache.spare_folders);
        verify_linked_copy(target, c.current, c.live, c.unchanged);
    }
    return c;
}

// What a build holds when the process ends right after it (BuildOptions::ending): freeing tens of
// thousands of small objects one by one took a twentieth of an incremental build, and the
// operating system takes the memory back at once. They stay reachable from a pointer that is
// never freed, so a leak checker does not count them as lost.
template <class... T>
void leave_to_exit(T&&... objects) {
    static auto* const kept = new std::vector<std::shared_ptr<void>>;
    (kept->push_back(std::make_shared<std::remove_cvref_t<T>>(std::forward<T>(objects))), ...);
}

}  // namespace

BuildResult build_site(ContentSource& source, const BuildOptions& options) {
    BuildResult result;
    auto progress = [&](std::string_view stage, std::size_t done, std::size_t total) {
        if (options.progress) options.progress(stage, done, total);
    };

    // The cache: only for builds that write, from a source with blob ids.
    const std::string source_identity = source.cache_identity();
    const bool use_cache = options.cache && options.write && !source_identity.empty();
    fs::path out, cache_dir;
    std::string identity;
    std::optional<BuildCache> cache;
    std::optional<CacheLock> lock;
    if (!options.cache)
        result.full_reason = "the cache is turned off";
    else if (!options.write)
        result.full_reason = "nothing is written";
    else if (source_identity.empty())
        result.full_reason = "the content is not read from a commit";
    if (options.write) {
        // A folder refused is refused before any work; out is absolute, with a link resolved.
        out = check_output(options.out, WriteOptions{options.force});
        cache_dir = cache_folder(out);
        // Every build into a folder that has a cache takes its lock, with the cache or without:
        // one without would otherwise swap a site in while another brings the copy up to date.
        lock.emplace(cache_dir, use_cache);
    }
    if (use_cache) {
        Hasher h;
        h.add(source_identity).add(out.string()).add(options.base_url.value_or("")).add(options.themes_dir.value_or(""));
        identity = h.digest().hex();
        progress("cache-read", 0, 1);
        cache = usable_cache(cache_dir, identity, out, result.full_reason);
        progress("cache-read", 1, 1);
    }
    // Both copies of the site are checked while the content is read and parsed, which is mostly
    // one thread's work: the checks only read, and what they find is acted on once the content is
    // known to build (below). They use only the cache's lists of the copies.
    std::future<CheckedCopies> checking;
    if (cache && worker_count(options.jobs) > 1)
        checking = in_background(check_copies, out, cache_dir, std::ref(*cache));

    progress("read", 0, 1);
    Snapshot snapshot = [&] {
        ContentSource::Known known;
        if (cache)
            known = [&](const std::string& path, const std::string& oid) {
                auto it = cache->parsed.find(path);
                return it != cache->parsed.end() && it->second.oid == oid;
            };
        Reusing reusing(source, std::move(known), cache ? &cache->trees : nullptr);
        return source.read(result.diagnostics);
    }();
    progress("read", 1, 1);
    // The git record is walked while the content is checked and its Markdown rendered: the walk
    // reads only the repository, and they only the files already read. (One thread: as it was.)
    // A build that ends before it needs the record (the content has errors, or reading it
    // threw) stops the walk, so that it is not held back until a long history is read.
    std::stop_source walk_stop;
    auto walk = [&source, &snapshot, &cache, stop = walk_stop.get_token()] {
        return cache && cache->has_history
                   ? source.history(snapshot, std::move(cache->history), cache->commit, stop)
                   : source.history(snapshot, stop);
    };
    std::future<std::optional<History>> walking;
    if (worker_count(options.jobs) > 1) walking = in_background(walk);
    struct StopWalk {
        std::stop_source& stop;
        ~StopWalk() { stop.request_stop(); }  // before walking's end waits for the walk
    } stop_walk{walk_stop};
    PathSet clean;  // content paths of files the next build may reuse
    progress("parse", 0, 1);
    auto library = load_library_releasing(snapshot, result.diagnostics, cache ? &cache->parsed : nullptr,
                                          use_cache ? &clean : nullptr, options.jobs);
    progress("parse", 1, 1);
    if (!library) {
        result.diagnostics.sort();
        return result;
    }
    // The library holds what it needs of the files' text; the blobs themselves are not kept (a
    // report the cache gave reads its Markdown again if a page needs it: see read_markdown below).
    for (auto& f : snapshot.files) std::string().swap(f.data);
    if (options.base_url) library->config.base_url = *options.base_url;
    Analysis analysis;
    analysis.now = snapshot.commit_time;
    analysis.now_offset = snapshot.commit_offset;
    analysis.today = date_of(snapshot.commit_time, snapshot.commit_offset);
    analysis.schedules = judge_schedules(*library, analysis.today);
    check_roll_ups(*library, result.diagnostics);

    // Markdown: each report's body is rendered when its page is (see Analysis::body_of), so few
    // are held at once; the cache gives the sections of the reports it holds unchanged, for the
    // pages and data it does not render again.
    const std::size_t n = library->reports.size();
    analysis.prepare_bodies(n);
    // The file each entity was read from, by the repository path the library names it by (views
    // into the snapshot, which is kept to the end and no longer changes).
    std::unordered_map<std::string_view, const SourceFile*> file_at;
    file_at.reserve(snapshot.files.size());
    for (const auto& f : snapshot.files) file_at.emplace(f.repo_path, &f);
    auto file_of = [&file_at](const std::string& repo_path) -> const SourceFile* {
        auto it = file_at.find(repo_path);
        return it == file_at.end() ? nullptr : it->second;
    };
    // Each report's file, found once (the cache's parts are found by its content path).
    std::vector<const SourceFile*> report_file(n);
    for (std::size_t i = 0; i < n; ++i) report_file[i] = file_of(library->reports[i].path);
    // A report taken from the cache has its Markdown read again from git, by the same blob id,
    // only if a page or a data entry that shows it is made again.
    analysis.read_markdown = [&source, &file_of, &report_file, &library](const Report& r) {
        const auto i = static_cast<std::size_t>(&r - library->reports.data());
        const SourceFile* f = i < report_file.size() ? report_file[i] : file_of(r.path);
        if (!f || f->oid.empty()) throw std::logic_error("no blob id for " + r.path);
        Diagnostics ignored;
        auto fm = split_front_matter(source.read_again(f->oid, r.path), r.path, ignored);
        if (!fm) throw std::runtime_error(r.path + " no longer reads as it did when the build cache took it");
        return std::move(fm->body);
    };
    if (cache)
        for (std::size_t i = 0; i < n; ++i) {
            const SourceFile* f = report_file[i];
            if (!f || !f->reused) continue;
            if (auto it = cache->sections.find(f->path); it != cache->sections.end())
                analysis.set_sections(i, std::move(it->second));
        }

    progress("history", 0, 1);
    // Content with errors is neither rendered nor written: its errors go out without the record.
    std::optional<History> history;
    if (result.diagnostics.has_errors()) {
        walk_stop.request_stop();
        if (walking.valid()) walking.wait();  // it reads from the repository done_reading changes
    } else {
        history = walking.valid() ? walking.get() : walk();
    }
    source.done_reading();
    progress("history", 1, 1);
    if (history) {
        analysis.history = std::move(*history);
        analysis.has_history = true;
        if (analysis.history.shallow)
            result.diagnostics.warning(
                snapshot.prefix, 0, 0, "",
                "this is a shallow clone: git history is incomplete, so first-publication and "
                "amendment dates are not shown; fetch the whole history (git fetch --unshallow)");
    }
    note_last_revisions(*library, analysis, options.jobs);

    Theme theme = load_theme(find_themes_dir(options.themes_dir), library->config.theme, result.diagnostics);
    if (result.diagnostics.has_errors()) return result;

    if (!options.write) {
        progress("render", 0, 1);
        SiteFiles files = render_site(*library, theme, analysis, result.diagnostics, options.jobs);
        progress("render", 1, 1);
        result.diagnostics.sort();
        result.files = files.files().size();
        return result;
    }

    // Written as rendered, from every thread: into the second copy of the site when the cache is
    // trusted (only what changed is written, the rest is kept), else into a new folder.
    out = prepare_output(options.out, WriteOptions{options.force});
    fs::path target;
    Manifest current;
    Manifest live;
    Manifest not_as_written;              // the published files that are no longer as listed
    std::set<std::string> broken_jobs;  // published pages no longer as written
    FolderTimes spare_folders;            // the second copy's folders, as found unchanged
    if (cache) {
        CheckedCopies checked = checking.valid() ? checking.get() : check_copies(out, cache_dir, *cache);
        live = std::move(checked.live);
        not_as_written = std::move(checked.not_as_written);
        for (const auto& [path, entry] : not_as_written) broken_jobs.insert(entry.job);
        target = cache_dir / "site";
        if (checked.spare) {
            current = std::move(checked.current);
            // What was changed or added by hand since it was last written goes first.
            spare_folders =
                clear_unlisted(target, cache->spare, current, cache->spare_folders, std::move(checked.unchanged));
        } else {
            make_site_folder(target);
            cache->has_spare = true;
            cache->spare_inode = inode_of(target);
            cache->spare.clear();
        }
        mark_spare_changing(cache_dir);
    } else {
        target = new_site_folder(out);
    }

    // The published files of each page job, by the names live holds (it does not change while
    // the pages are made).
    std::unordered_map<std::string_view, std::vector<const std::string*>> job_files;
    job_files.reserve(live.size());
    for (const auto& [path, entry] : live)
        if (!entry.job.empty()) job_files[entry.job].push_back(&path);
    PageReuse reuse;
    if (cache) {
        reuse.keys = &cache->page_keys;
        reuse.can_keep = [&](const std::string& job) { return !broken_jobs.contains(job) && job_files.contains(job); };
        reuse.files_of = [&](const std::string& job) -> const std::vector<const std::string*>& {
            return job_files.at(job);
        };
        reuse.fresh_copy = current.size() < live.size() / 2;
    }
    // Where the last build wrote each report's entry of data/reports.json, by library index, to be
    // copied from the published file into the new one.
    ReportJsonCache report_json;
    std::optional<PublishedFile> published;
    if (use_cache) {
        report_json.previous.resize(n);
        if (cache) {
            for (std::size_t i = 0; i < n; ++i) {
                const SourceFile* f = report_file[i];
                if (!f) continue;
                auto it = cache->report_json.find(f->path);
                if (it != cache->report_json.end()) report_json.previous[i] = it->second;
            }
            // Only from a file still as the last build published it: its manifest entry was just
            // verified, and the file is opened only if it is still so (and asked again once the
            // entries are copied).
            if (auto it = live.find("data/reports.json"); it != live.end()) {
                published.emplace(out / "data/reports.json", it->second);
                report_json.published = &*published;
            }
        }
        analysis.report_json = &report_json;
    }
    RenderStats stats;
    stats.want_keys = use_cache;
    // Files made or linked from here on have a ctime after this (with a second to spare for the
    // file system's coarser clock).
    const std::int64_t writing_since = now_ns() - 1'000'000'000;
    std::optional<FolderStore> store;  // made within the try: a folder it cannot open is removed
    Manifest written;
    try {
        store.emplace(target, std::move(current), out, &live);
        progress("render-write", 0, 1);
        SiteFiles files(&*store);
        render_site(files, *library, theme, analysis, result.diagnostics, options.jobs, cache ? &reuse : nullptr,
                    &stats);
        // The entries copied are in the new data/reports.json now.
        report_json.previous = {};
        report_json.published = nullptr;
        published.reset();
        analysis.report_json = nullptr;
        source.done_reading();  // lets go of what reading reports' Markdown again held
        progress("render-write", 1, 1);
        result.diagnostics.sort();
        if (result.diagnostics.has_errors()) {
            if (!cache) remove_folder(target);
            return result;
        }
        result.files = files.files().size();
        progress("write", 0, 1);
        written = store->finish();
    } catch (...) {
        if (!cache) remove_folder(target);
        throw;
    }
    const std::uint64_t old_live_inode = inode_of(out);
    bool had_site = false;
    try {
        had_site = swap_in(out, target);
    } catch (...) {
        if (!cache) remove_folder(target);  // the new site, which was not published
        throw;
    }
    progress("write", 1, 1);
    result.incremental = cache.has_value();
    result.pages_rendered = stats.rendered;
    result.pages_total = stats.total;
    result.entries_kept = report_json.kept;

    if (!use_cache) {
        if (had_site) remove_folder(target);
        analysis.read_markdown = nullptr;  // it refers to this function's locals
        if (options.ending) leave_to_exit(std::move(snapshot), std::move(library), std::move(analysis));
        return result;
    }
    // Every report's sections go into the cache: one whose page was kept, and whose sections the
    // cache lacked, has its body rendered for them now.
    parallel_for(n, worker_count(options.jobs), [&](std::size_t i, unsigned) {
        if (!analysis.has_sections(i)) analysis.sections_of(*library, library->reports[i]);
    });
    // The folders of the copy now published: those this build changed are looked at again, the
    // rest are as unchanged_folders found them (less those clear_unlisted changed). On a thread of
    // their own while the cache's entries are listed below: they read only the files written and
    // the second copy's list, which nothing changes meanwhile.
    auto folder_times_now = [&] {
        std::unordered_set<std::string> changed;
        if (!spare_folders.empty()) {
            for (const auto& [path, entry] : written)
                if (entry.ctime_ns >= writing_since) changed.insert(parent_folder(path));
            for (const auto& [path, entry] : cache->spare)
                if (!written.contains(path))
                    for (std::string dir = parent_folder(path); !dir.empty(); dir = parent_folder(dir))
                        changed.insert(dir);
        }
        return folder_times(out, written, &spare_folders, &changed);
    };
    std::future<FolderTimes> timing;
    if (worker_count(options.jobs) > 1) timing = in_background(folder_times_now);
    BuildCache next;
    next.commit = snapshot.commit;
    std::vector<CachedFile> keep;
    keep.reserve(clean.size());  // never more: the pointers cached() returns stay valid
    auto cached = [&](const SourceFile* f) -> CachedFile* {
        if (!f || !clean.contains(f->path)) return nullptr;
        keep.push_back(CachedFile{f->path, f->oid});
        return &keep.back();
    };
    for (const auto& d : library->departments)
        if (CachedFile* f = cached(file_of(d.path))) f->department = &d;
    for (const auto& p : library->projects)
        if (CachedFile* f = cached(file_of(p.path))) f->project = &p;
    for (std::size_t i = 0; i < n; ++i)
        if (CachedFile* f = cached(report_file[i])) {
            f->report = &library->reports[i];
            f->sections = &analysis.sections_at(i);
            if (i < report_json.made.size() && report_json.made[i].size > 0)
                next.report_json.emplace(f->path, report_json.made[i]);
        }
    next.has_history = analysis.has_history;
    analysis.last_revisions.clear();  // they point into the record, which goes to the cache
    analysis.report_histories.clear();
    next.history = std::move(analysis.history);
    next.page_keys = std::move(stats.keys);
    next.trees = std::move(snapshot.trees);
    next.live_inode = inode_of(out);
    // The cache's content files are written while the folders' times are taken on another thread
    // (they need neither the times nor anything below); the state, which lists them, after. At
    // 50,000 reports, a clean build's main thread otherwise waited some 80 ms for the times.
    progress("cache-write", 0, 1);
    // On a failure the site stays published; without a state the next build is a full one.
    auto drop_state = [&] {
        std::error_code ec;
        fs::remove(cache_dir / "state", ec);
    };
    bool saving = true;
    try {
        save_content_files(cache_dir, identity, next, keep, cache ? &*cache : nullptr);
    } catch (const std::exception&) {
        saving = false;
        drop_state();
    }
    next.live_folders = timing.valid() ? timing.get() : folder_times_now();
    next.live = std::move(written);
    if (cache) {
        // The copy that was published is now the second copy, as verified above; the files it
        // shares with the new copy changed their ctime when linked or unlinked here.
        next.has_spare = true;
        next.spare_inode = old_live_inode;
        // On all cores: after a copy made anew, every file is linked (12,000 at 10,000 reports).
        std::vector<std::pair<const std::string*, OutputEntry*>> relinked;
        for (auto& [path, entry] : live)
            if (store->touched().contains(entry.inode)) relinked.emplace_back(&path, &entry);
        parallel_for(relinked.size(), worker_count(options.jobs), [&](std::size_t i, unsigned) {
            auto& [path, entry] = relinked[i];
            try {
                restat_linked(target / *path, *entry);
            } catch (const WriteError&) {
                entry->size = untrusted_size;  // gone: the next build will not trust it
            }
        });
        // Files of the published copy that were not as written stay listed, never to be trusted,
        // so the next build removes them from the copy before it publishes it again.
        for (auto& [path, entry] : not_as_written) {
            entry.size = untrusted_size;
            live.emplace(path, std::move(entry));
        }
        next.spare = std::move(live);
        next.spare_folders = cache->live_folders;
    } else if (had_site) {
        remove_folder(target);  // a site the cache did not describe: nothing to keep it for
    }
    try {
        if (saving) save_build_state(cache_dir, identity, next, cache ? &*cache : nullptr);
    } catch (const std::exception&) {
        drop_state();
    }
    progress("cache-write", 1, 1);
    analysis.read_markdown = nullptr;  // it refers to this function's locals
    if (options.ending)
        leave_to_exit(std::move(snapshot), std::move(library), std::move(analysis), std::move(cache),
                      std::move(next), std::move(keep), std::move(clean), std::move(job_files));
    return result;
}

}  // namespace gongkai
