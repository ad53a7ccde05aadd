// The build cache keeps where each report's entry went in data/reports.json, with its checksum;
// the next build reads the entries back from the published file, and takes only those whose
// bytes are still as written.
#include "cache/build_cache.h"

#include <sys/stat.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "fixture.h"

using namespace gongkai;
using gongkai::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string data = "{\n  \"reports\": [\n    {\"id\": \"一\"},\n    {\"id\": \"二\"}\n  ]\n}\n";
const std::string first = "{\"id\": \"一\"}", second = "{\"id\": \"二\"}";

// The two entries of data, as a build that wrote it notes them.
std::vector<ReportJson> entries_of_data() {
    std::vector<ReportJson> entries(2);
    entries[0].key = Hash128{1, 2};
    entries[0].offset = data.find(first);
    entries[0].size = first.size();
    entries[0].sum = hash_bytes(first);
    entries[1].key = Hash128{3, 4};
    entries[1].offset = data.find(second);
    entries[1].size = second.size();
    entries[1].sum = hash_bytes(second);
    return entries;
}

std::vector<std::string> kept(const std::vector<ReportJson>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.emplace_back(e.kept);
    return out;
}

}  // namespace

TEST_CASE("build cache: where each entry is, and its checksum, are kept", "[cache]") {
    TempDir dir;
    std::vector<Report> reports(2);
    std::vector<CachedFile> files;
    BuildCache cache;
    cache.commit = "c0ffee";
    const auto entries = entries_of_data();
    for (std::size_t i = 0; i < reports.size(); ++i) {
        reports[i].id = "2020-0" + std::to_string(i + 1);
        reports[i].project = "2020-001";
        reports[i].body = "## 进展 " + reports[i].id + "\n";
        const std::string path = "reports/2020-001/" + reports[i].id + ".md";
        files.push_back(CachedFile{path, "oid" + std::to_string(i), nullptr, nullptr, &reports[i], nullptr});
        cache.report_json.emplace(path, entries[i]);
    }
    save_build_cache(dir / "cache", "site", cache, files, nullptr);
    std::string why;
    auto loaded = load_build_cache(dir / "cache", "site", why);
    INFO(why);
    REQUIRE(loaded);
    CHECK(loaded->parsed.size() == 2);
    REQUIRE(loaded->report_json.size() == 2);
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const ReportJson& e = loaded->report_json.at(files[i].path);
        CHECK(e.key == entries[i].key);
        CHECK(e.offset == entries[i].offset);
        CHECK(e.size == entries[i].size);
        CHECK(e.sum == entries[i].sum);
        CHECK(e.kept.empty());
    }
}

TEST_CASE("build cache: a report's Markdown is not kept, and reads back as to be read again", "[cache]") {
    TempDir dir;
    Report report;
    report.id = "2020-01";
    report.project = "2020-001";
    report.title = "十月";
    report.body = "## 进展 only-in-the-markdown\n";
    report.body_line = 7;
    const std::string path = "reports/2020-001/2020-01.md";
    std::vector<CachedFile> files{CachedFile{path, "oid", nullptr, nullptr, &report, nullptr}};
    BuildCache cache;
    cache.commit = "c0ffee";
    save_build_cache(dir / "cache", "site", cache, files, nullptr);
    for (const auto& f : fs::directory_iterator(dir / "cache")) {
        INFO(f.path());
        CHECK(gongkai::test::read_file(f.path()).find("only-in-the-markdown") == std::string::npos);
    }
    std::string why;
    auto loaded = load_build_cache(dir / "cache", "site", why);
    INFO(why);
    REQUIRE(loaded);
    const Report& back = std::get<Report>(loaded->parsed.at(path).value);
    CHECK(back.title == "十月");
    CHECK(back.body.empty());
    CHECK(back.body_unread);
    CHECK(back.body_line == 7);
}

TEST_CASE("build cache: entries are read back from the published file only as written", "[cache]") {
    TempDir dir;
    const fs::path file = dir / "reports.json";
    auto entries = entries_of_data();
    ReadBuffer buffer;
    auto read_back = [&](unsigned workers) {
        const PublishedFile published(file);
        read_report_entries(published, entries, buffer, workers);
    };

    SECTION("the file as written: both entries") {
        gongkai::test::write_file(file, data);
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{first, second});
    }
    SECTION("an entry changed since, at the same size, is left out; the other is kept") {
        std::string changed = data;
        changed.replace(changed.find("二"), std::string("二").size(), "三");
        gongkai::test::write_file(file, changed);
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{first, ""});
    }
    SECTION("an entry moved by an edit before it is left out") {
        gongkai::test::write_file(file, " " + data);
        read_back(1);
        CHECK(kept(entries) == std::vector<std::string>{"", ""});
    }
    SECTION("a file cut short: the entry past its end is left out") {
        gongkai::test::write_file(file, data.substr(0, entries[1].offset + 3));
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{first, ""});
    }
    SECTION("a file cut short after it was opened: the entry past its end is left out") {
        gongkai::test::write_file(file, data);
        const PublishedFile published(file);
        fs::resize_file(file, entries[1].offset + 3);
        read_report_entries(published, entries, buffer, 2);
        CHECK(kept(entries) == std::vector<std::string>{first, ""});
    }
    SECTION("the file changed in place after reading: the entries taken are the bytes checked") {
        gongkai::test::write_file(file, data);
        const PublishedFile published(file);
        read_report_entries(published, entries, buffer, 2);
        {
            std::ofstream over(file, std::ios::binary | std::ios::in | std::ios::out);
            over << std::string(data.size(), 'x');
        }
        REQUIRE(gongkai::test::read_file(file) == std::string(data.size(), 'x'));
        CHECK(kept(entries) == std::vector<std::string>{first, second});
    }
    SECTION("entries far apart are read one by one") {
        const std::string gap(300000, ' ');
        const std::string spread = "[" + first + "," + gap + second + "]";
        gongkai::test::write_file(file, spread);
        entries[0].offset = spread.find(first);
        entries[1].offset = spread.find(second);
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{first, second});
    }
    SECTION("offsets and sizes that overflow, or reach past the file, are left out; the others kept") {
        gongkai::test::write_file(file, data);
        ReportJson bad = entries[1];
        bad.offset = ~std::uint64_t(0) - 1;
        entries.push_back(bad);
        bad = entries[1];
        bad.size = ~std::uint64_t(0);
        entries.push_back(bad);
        bad = entries[1];
        bad.offset = data.size() - 1;
        entries.push_back(bad);
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{first, second, "", "", ""});
    }
    SECTION("an empty file: no entries") {
        gongkai::test::write_file(file, "");
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{"", ""});
    }
    SECTION("no file: no entries") {
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{"", ""});
    }
    SECTION("a folder where the file was: no entries") {
        fs::create_directories(file);
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{"", ""});
    }
    SECTION("a pipe where the file was, with no writer: no entries, and no wait for one") {
        REQUIRE(::mkfifo(file.c_str(), 0600) == 0);
        read_back(2);
        CHECK(kept(entries) == std::vector<std::string>{"", ""});
    }
}
