#include "cache/build_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "cache/program.h"
#include "cache/serial.h"
#include "mapped_file.h"
#include "parallel.h"

namespace gongkai {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view magic = "gongkai build cache\n";
constexpr std::uint64_t format_version = 7;

enum class Kind : std::uint64_t { department = 0, project = 1, report = 2 };

void write_manifest(BinaryWriter& w, const Manifest& m) {
    w.u64(m.size());
    for (const auto& [path, e] : m) {
        w.str(path);
        w.hash(e.hash);
        w.u64(e.size);
        w.i64(e.mtime_ns);
        w.i64(e.ctime_ns);
        w.u64(e.inode);
        w.str(e.job);
    }
}

// Whether a path the cache names a file or folder of a site by stays inside the site: relative,
// with no empty, "." or ".." part, no NUL. The cache's checksums find damage, not intent: a
// path made by hand to lead elsewhere makes the cache untrusted rather than followed when the
// build removes, writes or links what it lists. Folders may also be "" (the site itself).
// Not paths.h's is_safe_relative_path, which also judges each part's characters: every path a
// build lists passed that when its file was claimed, and here only escaping matters. That check
// took 4.5-6.3 ms over the 12,137 paths of a 10,000-report site, and a build reads two such lists
// and the folders: 10-15 ms more CPU in every incremental build.
bool stays_inside(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos) return false;
    for (std::size_t start = 0; start <= path.size();) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return true;
}

Manifest read_manifest(BinaryReader& r) {
    Manifest m;
    std::size_t n = r.count(64);  // a path and a job name of no bytes: six numbers, a checksum of two
    m.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::string path = r.str();
        if (!stays_inside(path)) throw CacheError("it lists a file outside the site");
        OutputEntry e;
        e.hash = r.hash();
        e.size = r.u64();
        e.mtime_ns = r.i64();
        e.ctime_ns = r.i64();
        e.inode = r.u64();
        e.job = r.str();
        m.emplace(std::move(path), std::move(e));
    }
    return m;
}

void write_folders(BinaryWriter& w, const FolderTimes& folders) {
    w.u64(folders.size());
    for (const auto& [dir, time] : folders) {
        w.str(dir);
        w.i64(time);
    }
}

FolderTimes read_folders(BinaryReader& r) {
    FolderTimes out;
    std::size_t n = r.count(16);
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::string dir = r.str();
        if (!dir.empty() && !stays_inside(dir)) throw CacheError("it lists a folder outside the site");
        out.emplace(std::move(dir), r.i64());
    }
    return out;
}

// A cache file is this header (whose it is, the payload's checksum), then the payload.
std::string header(const std::string& identity, const Hash128& sum) {
    BinaryWriter w;
    w.bytes().append(magic);
    w.u64(format_version);
    w.str(GONGKAI_VERSION);
    w.str(program_fingerprint());
    w.str(identity);
    w.hash(sum);
    return std::move(w.bytes());
}

// The payload of a cache file, after checking whose it is and that it is whole; its checksum in
// checksum, if asked.
std::string_view unwrap(std::string_view file, const std::string& identity, Hash128* checksum = nullptr) {
    if (file.compare(0, magic.size(), magic) != 0) throw CacheError("it is not a gongkai cache file");
    BinaryReader r(std::string_view(file).substr(magic.size()));
    if (r.u64() != format_version) throw CacheError("it was written in another format");
    if (r.view() != GONGKAI_VERSION) throw CacheError("it was written by another version of gongkai");
    if (r.view() != program_fingerprint())
        throw CacheError("it was written by another build of gongkai, or with other libraries");
    if (r.view() != identity) throw CacheError("it belongs to another site or output folder");
    Hash128 sum = r.hash();  // a header cut short throws here
    std::string_view payload = r.rest();
    if (hash_bytes(payload) != sum) throw CacheError("it is damaged (its checksum does not match)");
    if (checksum) *checksum = sum;
    return payload;
}


// A cache file mapped read-only (and read in whole); unmapped when the last user lets go.
std::shared_ptr<const void> map_file(const fs::path& path, std::string_view& bytes) {
    MappedFile mapped = map_read_only(path, true);
    switch (mapped.failure) {
    case MappedFile::Failure::none: break;
    case MappedFile::Failure::cannot_open: throw CacheError("there is no cache yet");
    case MappedFile::Failure::empty: throw CacheError("a cache file is empty");
    case MappedFile::Failure::cannot_map: throw CacheError("a cache file could not be read");
    }
    bytes = mapped.bytes;
    return std::move(mapped.owner);
}

// Writes a cache file under a draft name and renames it into place; the payload, given in
// pieces, is not copied behind its header (the state of a large site is tens of megabytes).
void write_atomically(const fs::path& path, const std::string& identity, const std::vector<std::string_view>& payload,
                      const Hash128& sum) {
    fs::path tmp = path;
    tmp += ".new";
    ::unlink(tmp.c_str());
    try {
        const std::string head = header(identity, sum);
        std::vector<std::string_view> pieces{head};
        pieces.insert(pieces.end(), payload.begin(), payload.end());
        write_new_file(tmp, pieces);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        throw WriteError("cannot write the build cache " + path.string() + ": " + std::strerror(err));
    }
}

// The content file an entry is kept in: a report with its project, departments together.
std::size_t shard_of(const std::string& path) {
    std::string_view key = path;
    if (key.starts_with("reports/")) {
        key.remove_prefix(8);
        key = key.substr(0, key.find('/'));
    } else if (key.starts_with("projects/")) {
        key.remove_prefix(9);
        key = key.substr(0, key.rfind('.'));
    } else {
        key = "departments";
    }
    return static_cast<std::size_t>(hash_bytes(key).low % cache_shards);
}

fs::path shard_path(const fs::path& folder, std::size_t shard) { return folder / ("content-" + std::to_string(shard)); }

// A content file's payload.
std::string shard_payload(const std::vector<const CachedFile*>& files) {
    BinaryWriter w;
    w.u64(files.size());
    for (const CachedFile* f : files) {
        w.str(f->path);
        w.str(f->oid);
        if (f->department) {
            w.u64(static_cast<std::uint64_t>(Kind::department));
            write(w, *f->department);
        } else if (f->project) {
            w.u64(static_cast<std::uint64_t>(Kind::project));
            write(w, *f->project);
        } else {
            w.u64(static_cast<std::uint64_t>(Kind::report));
            write(w, *f->report, false);  // its Markdown is read from git when needed
            write(w, f->sections ? *f->sections : std::vector<Section>{});
        }
    }
    return std::move(w.bytes());
}

void read_parsed(std::string_view payload, BuildCache& cache) {
    BinaryReader r(payload);
    std::size_t n = r.count(24);
    for (std::size_t i = 0; i < n; ++i) {
        std::string path = r.str();
        std::string oid = r.str();
        switch (static_cast<Kind>(r.u64())) {
        case Kind::department: {
            Department d;
            read(r, d);
            cache.parsed.emplace(std::move(path), ParsedFile{std::move(oid), std::move(d)});
            break;
        }
        case Kind::project: {
            Project p;
            read(r, p);
            cache.parsed.emplace(std::move(path), ParsedFile{std::move(oid), std::move(p)});
            break;
        }
        case Kind::report: {
            Report rep;
            read(r, rep, false);
            std::vector<Section> sections;
            read(r, sections);
            cache.sections.emplace(path, std::move(sections));
            cache.parsed.emplace(std::move(path), ParsedFile{std::move(oid), std::move(rep)});
            break;
        }
        default:
            throw CacheError("an entry is of no known kind");
        }
    }
    if (!r.done()) throw CacheError("it holds more than it lists");
}

void write_trees(BinaryWriter& w, const TreeListings& trees) {
    w.u64(trees.size());
    for (const auto& [folder, listing] : trees) {
        w.str(folder);
        w.str(listing.oid);
        w.u64(listing.entries.size());
        for (const auto& e : listing.entries) {
            w.str(e.name);
            w.str(e.oid);
            w.u64(static_cast<unsigned char>(e.kind));
        }
    }
}

// A git object id as oid_string writes it (40 hex digits), or the cache is not trusted: the walk
// would otherwise fail on it at every build.
std::string read_oid(BinaryReader& r) {
    std::string oid = r.str();
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    if (oid.size() != 40 || !std::all_of(oid.begin(), oid.end(), hex))
        throw CacheError("a folder listing holds a malformed object id");
    return oid;
}

TreeListings read_trees(BinaryReader& r) {
    TreeListings trees;
    std::size_t n = r.count(24);
    trees.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::string folder = r.str();
        TreeListing listing;
        listing.oid = read_oid(r);
        std::size_t entries = r.count(24);
        listing.entries.reserve(entries);
        for (std::size_t k = 0; k < entries; ++k) {
            std::string name = r.str();
            std::string oid = read_oid(r);
            const std::uint64_t kind = r.u64();
            if (kind != 't' && kind != 'f' && kind != 'l' && kind != 'c')
                throw CacheError("a folder's entry is of no known kind");
            listing.entries.push_back({std::move(name), std::move(oid), static_cast<char>(kind)});
        }
        trees.emplace(std::move(folder), std::move(listing));
    }
    return trees;
}

// The state is its commit and the content files' ids, then parts that are written and read on
// separate cores, each a text of its own: the git record, the page keys, where each report's entry
// is in the published data/reports.json, each copy of the site, and the content's folders.
enum class StatePart : std::size_t { history, page_keys, report_json, live, spare, trees, count };
constexpr std::size_t state_parts = static_cast<std::size_t>(StatePart::count);

// A part of the state as BinaryWriter::str frames a text (its length, then its bytes), so the
// state is written from its parts without joining them.
std::string state_part(const BuildCache& cache, StatePart part, std::size_t size_hint) {
    BinaryWriter w;
    // Made at once at about its size: grown step by step, a part of several megabytes was moved at
    // each step into memory the kernel had to clear, a twentieth of an incremental build.
    w.reserve(size_hint + size_hint / 8);
    w.u64(0);  // the length, set below
    switch (part) {
    case StatePart::history:
        w.flag(cache.has_history);
        write(w, cache.history);
        break;
    case StatePart::page_keys:
        w.u64(cache.page_keys.size());
        for (const auto& [job, key] : cache.page_keys) {
            w.str(job);
            w.hash(key);
        }
        break;
    case StatePart::report_json:
        w.u64(cache.report_json.size());
        for (const auto& [path, json] : cache.report_json) {
            w.str(path);
            w.hash(json.key);
            w.u64(json.offset);
            w.u64(json.size);
            w.hash(json.sum);
        }
        break;
    case StatePart::live:
        w.u64(cache.live_inode);
        write_manifest(w, cache.live);
        write_folders(w, cache.live_folders);
        break;
    case StatePart::spare:
        w.flag(cache.has_spare);
        w.u64(cache.spare_inode);
        write_manifest(w, cache.spare);
        write_folders(w, cache.spare_folders);
        break;
    case StatePart::trees:
        write_trees(w, cache.trees);
        break;
    case StatePart::count:
        break;
    }
    std::string bytes = std::move(w.bytes());
    const std::uint64_t length = bytes.size() - sizeof length;
    std::memcpy(bytes.data(), &length, sizeof length);
    return bytes;
}

void read_state_part(std::string_view bytes, StatePart part, BuildCache& cache) {
    BinaryReader r(bytes);
    switch (part) {
    case StatePart::history:
        cache.has_history = r.flag();
        read(r, cache.history);
        break;
    case StatePart::page_keys: {
        std::size_t keys = r.count(24);
        cache.page_keys.reserve(keys);
        for (std::size_t i = 0; i < keys; ++i) {
            std::string job = r.str();
            cache.page_keys.emplace(std::move(job), r.hash());
        }
        break;
    }
    case StatePart::report_json: {
        std::size_t entries = r.count(56);
        cache.report_json.reserve(entries);
        for (std::size_t i = 0; i < entries; ++i) {
            std::string path = r.str();
            ReportJson json;
            json.key = r.hash();
            json.offset = r.u64();
            json.size = r.u64();
            json.sum = r.hash();
            cache.report_json.emplace(std::move(path), json);
        }
        break;
    }
    case StatePart::live:
        cache.live_inode = r.u64();
        cache.live = read_manifest(r);
        cache.live_folders = read_folders(r);
        break;
    case StatePart::spare:
        cache.has_spare = r.flag();
        cache.spare_inode = r.u64();
        cache.spare = read_manifest(r);
        cache.spare_folders = read_folders(r);
        break;
    case StatePart::trees:
        cache.trees = read_trees(r);
        break;
    case StatePart::count:
        break;
    }
    if (!r.done()) throw CacheError("it holds more than it lists");
}

// What the state holds before its parts: the commit and the content files' ids.
std::string state_head(const BuildCache& cache) {
    BinaryWriter w;
    w.str(cache.commit);
    w.u64(cache.shards.size());
    for (const auto& [id, sum] : cache.shards) {
        w.hash(id);
        w.hash(sum);
    }
    return std::move(w.bytes());
}

}  // namespace

fs::path cache_folder(const fs::path& out) {
    fs::path o = fs::absolute(out).lexically_normal();
    if (o.filename().empty()) o = o.parent_path();
    return o.parent_path() / ("." + o.filename().string() + ".gongkai-cache");
}

std::optional<BuildCache> load_build_cache(const fs::path& folder, const std::string& identity, std::string& why) {
    try {
        std::error_code ec;
        if (!fs::is_directory(folder, ec)) throw CacheError("there is no cache yet");
        std::string_view state_file;
        auto state_mapping = map_file(folder / "state", state_file);
        std::string_view state = unwrap(state_file, identity);
        BuildCache cache;
        BinaryReader r(state);
        cache.commit = r.str();
        std::size_t shards = r.count(32);
        if (shards != cache_shards) throw CacheError("it is laid out otherwise");
        for (std::size_t i = 0; i < shards; ++i) {
            Hash128 id = r.hash();
            cache.shards.emplace_back(id, r.hash());
        }
        std::array<std::string_view, state_parts> state_bytes;
        for (auto& bytes : state_bytes) bytes = r.view();
        if (!r.done()) throw CacheError("it holds more than it lists");
        for (const auto& bytes : state_bytes) cache.state_part_sizes.push_back(bytes.size() + sizeof(std::uint64_t));
        // The state's parts and the content files on all cores, each into a part of its own; the
        // content files' parts are then merged.
        std::vector<BuildCache> parts(shards);
        cache.mappings.resize(shards);
        parallel_for(state_parts + shards, worker_count(0), [&](std::size_t task, unsigned) {
            if (task < state_parts) {
                read_state_part(state_bytes[task], static_cast<StatePart>(task), cache);
                return;
            }
            const std::size_t i = task - state_parts;
            std::string_view file;
            cache.mappings[i] = map_file(shard_path(folder, i), file);
            Hash128 checksum;  // of the payload, as just verified
            std::string_view payload = unwrap(file, identity, &checksum);
            if (checksum != cache.shards[i].second) throw CacheError("its parts are from different builds");
            read_parsed(payload, parts[i]);
        });
        if (fs::exists(folder / "spare-changing", ec)) cache.has_spare = false;  // a build stopped while changing it
        std::size_t files = 0, reports = 0;
        for (const auto& part : parts) {
            files += part.parsed.size();
            reports += part.sections.size();
        }
        cache.parsed.reserve(files);
        cache.sections.reserve(reports);
        for (auto& part : parts) {
            cache.parsed.merge(part.parsed);
            cache.sections.merge(part.sections);
        }
        return cache;
    } catch (const CacheError& e) {
        why = e.what();
        return std::nullopt;
    }
}

void save_content_files(const fs::path& folder, const std::string& identity, BuildCache& cache,
                        const std::vector<CachedFile>& files, const BuildCache* previous) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
            const int err = errno;
            throw WriteError("cannot create the build cache " + folder.string() + ": " + std::strerror(err));
        }
    }
    ::chmod(folder.c_str(), 0700);
    // The lock every build into the output folder takes (see build_site), there from the first.
    int lock = ::open((folder / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock >= 0) ::close(lock);
    std::vector<std::vector<const CachedFile*>> by_shard(cache_shards);
    for (const auto& f : files) by_shard[shard_of(f.path)].push_back(&f);
    cache.shards.assign(cache_shards, {});
    parallel_for(cache_shards, worker_count(0), [&](std::size_t i, unsigned) {
        Hasher id;
        for (const CachedFile* f : by_shard[i]) id.add(f->path).add(f->oid);
        cache.shards[i].first = id.digest();
        std::error_code missing;
        if (previous && previous->shards.size() == cache_shards && previous->shards[i].first == cache.shards[i].first &&
            fs::exists(shard_path(folder, i), missing)) {
            cache.shards[i].second = previous->shards[i].second;
            return;
        }
        std::string payload = shard_payload(by_shard[i]);
        cache.shards[i].second = hash_bytes(payload);
        write_atomically(shard_path(folder, i), identity, {payload}, cache.shards[i].second);
    });
}

void save_build_state(const fs::path& folder, const std::string& identity, const BuildCache& cache,
                      const BuildCache* previous) {
    // The state's parts on all cores; the state, which lists the content files' checksums, is
    // written last.
    std::vector<std::string> parts(state_parts);
    parallel_for(state_parts, worker_count(0), [&](std::size_t part, unsigned) {
        const bool hinted = previous && previous->state_part_sizes.size() == state_parts;
        parts[part] = state_part(cache, static_cast<StatePart>(part), hinted ? previous->state_part_sizes[part] : 0);
    });
    const std::string head = state_head(cache);
    std::vector<std::string_view> state{head};
    state.insert(state.end(), parts.begin(), parts.end());
    write_atomically(folder / "state", identity, state, hash_pieces(state));
    ::unlink((folder / "spare-changing").c_str());
}

void save_build_cache(const fs::path& folder, const std::string& identity, BuildCache& cache,
                      const std::vector<CachedFile>& files, const BuildCache* previous) {
    save_content_files(folder, identity, cache, files, previous);
    save_build_state(folder, identity, cache, previous);
}

void mark_spare_changing(const fs::path& folder) {
    fs::path marker = folder / "spare-changing";
    ::unlink(marker.c_str());
    write_new_file(marker, "A build is changing the second copy of the site; it is not trusted until one finishes.\n");
}

}  // namespace gongkai
