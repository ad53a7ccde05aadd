// The build cache keeps each report's entry in data/reports.json by reading it back from the file
// the build wrote, never holding them all: what it reads, and what it does when it cannot.
#include "cache/build_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "fixture.h"

using namespace gongkai;
using gongkai::test::TempDir;

namespace {

struct Saved {
    std::optional<BuildCache> cache;
    std::string why;
};

// Saves a cache of two reports whose entries sit at the given places in the file at data (or
// with no file, when data is empty), and loads it again; previous is the cache the build read.
Saved save_and_load(const TempDir& dir, const std::string& data, const std::vector<ReportJson>& entries,
                    const BuildCache* previous = nullptr) {
    std::vector<Report> reports(entries.size());
    std::vector<CachedFile> files;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        reports[i].id = "2020-0" + std::to_string(i + 1);
        reports[i].project = "2020-001";
        reports[i].body = "## 进展\n";
        files.push_back(CachedFile{"reports/2020-001/" + reports[i].id + ".md", "oid" + std::to_string(i), nullptr,
                                   nullptr, &reports[i], nullptr, &entries[i]});
    }
    int fd = -1;
    if (!data.empty()) {
        gongkai::test::write_file(dir / "reports.json", data);
        fd = ::open((dir / "reports.json").c_str(), O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
    }
    BuildCache cache;
    cache.commit = "c0ffee";
    save_build_cache(dir / "cache", "site", cache, files, previous, fd);
    if (fd >= 0) ::close(fd);
    Saved out;
    out.cache = load_build_cache(dir / "cache", "site", out.why);
    return out;
}

}  // namespace

TEST_CASE("build cache: report entries are read back from where the build wrote them", "[cache]") {
    TempDir dir;
    const std::string data = "{\n  \"reports\": [\n    {\"id\": \"一\"},\n    {\"id\": \"二\"}\n  ]\n}\n";
    const std::string first = "{\"id\": \"一\"}", second = "{\"id\": \"二\"}";
    std::vector<ReportJson> entries(2);
    entries[0].key = Hash128{1, 2};
    entries[0].offset = data.find(first);
    entries[0].size = first.size();
    entries[1].key = Hash128{3, 4};
    entries[1].offset = data.find(second);
    entries[1].size = second.size();

    SECTION("the file is there: each entry is kept with its key") {
        Saved s = save_and_load(dir, data, entries);
        INFO(s.why);
        REQUIRE(s.cache);
        REQUIRE(s.cache->report_json.size() == 2);
        CHECK(s.cache->report_json.at("reports/2020-001/2020-01.md").kept == first);
        CHECK(s.cache->report_json.at("reports/2020-001/2020-01.md").key == (Hash128{1, 2}));
        CHECK(s.cache->report_json.at("reports/2020-001/2020-02.md").kept == second);
        CHECK(s.cache->parsed.size() == 2);
    }
    SECTION("no file to read: the reports are kept, their entries are not (the next build makes them)") {
        Saved s = save_and_load(dir, "", entries);
        INFO(s.why);
        REQUIRE(s.cache);
        CHECK(s.cache->report_json.empty());
        CHECK(s.cache->parsed.size() == 2);
        // The next build, with the same reports and the file there, keeps the entries: the
        // content file that lacked them is not taken as it was.
        Saved next = save_and_load(dir, data, entries, &*s.cache);
        INFO(next.why);
        REQUIRE(next.cache);
        CHECK(next.cache->report_json.size() == 2);
    }
    SECTION("an entry the file is too short for is left out, the others kept") {
        entries[1].offset = data.size() - 2;
        Saved s = save_and_load(dir, data, entries);
        INFO(s.why);
        REQUIRE(s.cache);
        CHECK(s.cache->report_json.size() == 1);
        CHECK(s.cache->report_json.contains("reports/2020-001/2020-01.md"));
    }
}
