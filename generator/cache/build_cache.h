#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis.h"
#include "cache/hash.h"
#include "content/library.h"
#include "history.h"
#include "markdown.h"
#include "site.h"
#include "writer.h"

namespace gongkai {

// Where a build into out keeps its cache: beside out, never in it, so nothing of it is published:
// "<parent>/.<name>.gongkai-cache". The folder is private to its owner (mode 0700); it holds the
// state of the last build and a second copy of the site, which the next build brings up to date
// and swaps in.
std::filesystem::path cache_folder(const std::filesystem::path& out);

// The parsed content is kept in this many files, by project, so a commit that changes one
// report rewrites one of them.
inline constexpr std::size_t cache_shards = 64;

// One parsed file for the cache to keep (pointers into the build's library and analysis).
struct CachedFile {
    std::string path;  // content path
    std::string oid;
    const Department* department = nullptr;
    const Project* project = nullptr;
    const Report* report = nullptr;
    const std::vector<Section>* sections = nullptr;  // a report's
};

// What one build leaves for the next.
struct BuildCache {
    std::string commit;                                     // the commit the published site shows
    ParsedFiles parsed;                                     // by content path
    TreeListings trees;                                     // the content's folders, as last read
    std::unordered_map<std::string, std::vector<Section>> sections;  // of reports, by content path
    // Where each report's entry is in data/reports.json as published, by content path (the
    // entries themselves are copied from that file by the next build, see ReportJsonCache).
    std::unordered_map<std::string, ReportJson> report_json;
    bool has_history = false;
    History history;                                        // as read at commit
    PageKeys page_keys;                                     // of the published site, by page job
    std::uint64_t live_inode = 0;                           // the published folder
    Manifest live;
    FolderTimes live_folders;
    bool has_spare = false;                                 // the second copy, and whether it is as listed
    std::uint64_t spare_inode = 0;
    Manifest spare;
    FolderTimes spare_folders;
    // Each content file's id (what it holds: paths and blob ids) and checksum.
    std::vector<std::pair<Hash128, Hash128>> shards;
    // The content files, mapped while the build runs.
    std::vector<std::shared_ptr<const void>> mappings;
    // The size of each part of the state as read: the next build makes room for as much at once.
    std::vector<std::size_t> state_part_sizes;
};

// The cache for a build of identity (the content source and output folder, see build_site), or
// nothing, with the reason in why: none yet, damaged, another version's, another site's.
std::optional<BuildCache> load_build_cache(const std::filesystem::path& folder, const std::string& identity,
                                           std::string& why);

// Writes the cache: the content files whose entries changed since previous (the cache this build
// read, or null), then the state, each atomically (a new file renamed over the old). cache.shards
// is filled in.
void save_build_cache(const std::filesystem::path& folder, const std::string& identity, BuildCache& cache,
                      const std::vector<CachedFile>& files, const BuildCache* previous);
// The two halves of save_build_cache, for a build that writes the content files while it still
// gathers the rest of the state: the content files (the folder made first; cache.shards filled
// in), which read only files and cache.shards; then, after them, the state, which lists them.
void save_content_files(const std::filesystem::path& folder, const std::string& identity, BuildCache& cache,
                        const std::vector<CachedFile>& files, const BuildCache* previous);
void save_build_state(const std::filesystem::path& folder, const std::string& identity, const BuildCache& cache,
                      const BuildCache* previous);

// Marks the second copy as being changed: if the build stops before it saves again, the next one
// does not trust the copy.
void mark_spare_changing(const std::filesystem::path& folder);

}  // namespace gongkai
