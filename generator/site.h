#pragma once

#include <filesystem>
#include <map>
#include <vector>
#include <functional>
#include <string_view>
#include <optional>
#include <string>
#include <unordered_map>

#include "analysis.h"
#include "content/model.h"
#include "content/source.h"
#include "diagnostics.h"
#include "i18n.h"
#include "theme.h"
#include "writer.h"

namespace gongkai {

// Renders every page, chart and static file of a validated library into memory. Problems in the
// theme or templates go into diagnostics.
// jobs is the number of threads (0: one per core); the output is the same for any number.
SiteFiles render_site(const Library& library, const Theme& theme, const Analysis& analysis, Diagnostics& diagnostics,
                      unsigned jobs = 0);

// Keys of page jobs, by job id (the page's path).
using PageKeys = std::unordered_map<std::string, Hash128>;

// What an earlier build left that this one may keep: each page job's key (the job is named by
// its page's path), whether its files are still as written, and which files those are.
struct PageReuse {
    const PageKeys* keys = nullptr;  // the previous build's
    std::function<bool(const std::string& job)> can_keep;
    std::function<const std::vector<const std::string*>&(const std::string& job)> files_of;
    // The copy written into lacks most of the published files (it was made anew, say), so most
    // files kept are linked into it rather than found there: they are carried over on all cores.
    bool fresh_copy = false;
};

// What a render did: every keyed job's key, and how many jobs it rendered of how many.
struct RenderStats {
    bool want_keys = true;  // false: only count
    PageKeys keys;
    std::size_t rendered = 0;
    std::size_t total = 0;
};

// Renders into files (which may write them as they come), keeping the pages reuse allows.
void render_site(SiteFiles& files, const Library& library, const Theme& theme, const Analysis& analysis,
                 Diagnostics& diagnostics, unsigned jobs, const PageReuse* reuse = nullptr, RenderStats* stats = nullptr);

// Warns where a report states a parent goal's completion that differs from its children's mean
// by more than one percentage point.
void check_roll_ups(const Library& library, Diagnostics& diagnostics);

// Told how far a build has come: a stage's name and how many of its items are done.
using ProgressFn = std::function<void(std::string_view stage, std::size_t done, std::size_t total)>;

struct BuildOptions {
    std::optional<std::string> base_url;      // overrides gongkai.toml's
    std::optional<std::string> themes_dir;    // where to find themes
    std::filesystem::path out = "site";
    bool write = true;                        // false: validate and render, write nothing (check)
    bool force = false;                       // replace an output folder gongkai did not create
    ProgressFn progress;                      // optional
    unsigned jobs = 0;                        // threads; 0: one per core
    // Keep a build cache beside out (see cache_folder) and render again only the pages whose
    // inputs changed. The output is the same either way.
    bool cache = true;
    // The process ends right after the build (the command line's build): what the build holds
    // is left for the operating system to take back at once instead of freed object by object.
    bool ending = false;
};

struct BuildResult {
    Diagnostics diagnostics;
    std::size_t files = 0;
    bool incremental = false;       // the cache was used
    std::size_t pages_rendered = 0; // page jobs rendered (when written with the cache)
    std::size_t pages_total = 0;
    std::size_t entries_kept = 0;   // reports' entries of data/reports.json taken as the last build wrote them
    std::string full_reason;        // why the cache could not be used, for a full build
    bool ok() const { return !diagnostics.has_errors(); }
};

// The whole pipeline: read the content, validate it, render, and write it atomically.
// Throws git::Error or WriteError for problems outside the content.
BuildResult build_site(ContentSource& source, const BuildOptions& options);

}  // namespace gongkai
