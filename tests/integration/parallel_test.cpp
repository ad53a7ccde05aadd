// A build on many threads writes exactly what a build on one thread writes.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

#include "content/library.h"
#include "content/source.h"
#include "fixture.h"
#include "history.h"
#include "site.h"
#include "site_files.h"

using namespace gongkai;
using namespace gongkai::test;

namespace {

// A site big enough that threads interleave: 4 departments, 24 projects, 6 reports each.
Files many_reports() {
    Files files;
    files["gongkai.toml"] =
        "title = \"并行构建\"\nlanguage = \"zh-CN\"\nbase_url = \"https://example.org/p/\"\npublisher = \"示例区\"\n"
        "sample_data = true\n[calendar]\nfrequency = \"monthly\"\ndue_day = 25\n";
    for (int d = 0; d < 4; ++d)
        files["departments/d" + std::to_string(d) + ".toml"] = "name = \"部门 " + std::to_string(d) + "\"\n";
    for (int p = 0; p < 24; ++p) {
        std::string id = "2020-" + std::to_string(100 + p);
        files["projects/" + id + ".md"] = "+++\ntitle = \"项目 " + std::to_string(p) + "\"\nyear = 2020\nnumber = \"" +
                                          std::to_string(100 + p) + "\"\ndepartment = \"d" + std::to_string(p % 4) +
                                          "\"\n[[goals]]\nid = \"1\"\ntitle = \"目标\"\n+++\n落实：**推进** 工作。\n";
        for (int m = 1; m <= 6; ++m) {
            std::string month = (m < 10 ? "0" : "") + std::to_string(m);
            files["reports/" + id + "/2020-" + month + ".md"] =
                "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-" + month + "-28\ndate = 2020-" + month +
                "-20\ncompletion = " + std::to_string((m * 13 + p * 7) % 101) +
                "\n+++\n## （一）进展\n\n| 指标 | 值 |\n| --- | ---: |\n| A | " + std::to_string(m) + " |\n\n## （二）困难\n\n无。\n";
        }
    }
    return files;
}

SiteFiles render_with(const Files& content, unsigned jobs) {
    MemorySource source(content, 1604000000);  // 2020-10-29
    Diagnostics diagnostics;
    Snapshot snapshot = source.read(diagnostics);
    auto library = load_library(snapshot, diagnostics);
    INFO(listing(diagnostics));
    REQUIRE(library);
    Diagnostics theme_problems;
    Theme theme = load_theme(source_themes_dir(), "default", theme_problems);
    Analysis analysis;
    analysis.today = Date{2020, 10, 29};
    analysis.schedules = judge_schedules(*library, analysis.today);
    SiteFiles files = render_site(*library, theme, analysis, diagnostics, jobs);
    REQUIRE_FALSE(diagnostics.has_errors());
    return files;
}

// Content whose git record takes as long as the build lets it: the walk waits until it is asked
// to stop (or a minute passes), and takes a little longer to end, as a walk between two commits
// does. It notes whether the walk had ended when the build let go of what reading holds.
class EndlessRecordSource final : public ContentSource {
public:
    explicit EndlessRecordSource(Files files, std::string unreadable = "")
        : inner_(std::move(files), 1604000000), unreadable_(std::move(unreadable)) {}
    // An entry the source cannot read is reported as it reads, as a git source reports one.
    Snapshot read(Diagnostics& diagnostics) override {
        if (!unreadable_.empty()) diagnostics.error(unreadable_, 0, 0, "", "cannot be read");
        return inner_.read(diagnostics);
    }
    std::optional<History> history(const Snapshot&, std::stop_token stop) const override {
        walking = true;
        entered = true;
        std::mutex m;
        std::condition_variable_any never;
        std::unique_lock lock(m);
        never.wait_for(lock, stop, std::chrono::minutes(1), [] { return false; });
        stopped = stop.stop_requested();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the commit under way
        walking = false;
        if (stopped) throw HistoryStopped();
        return History{};
    }
    // Looks once the walk has begun (the build starts it before the content is checked), so
    // that a build letting go too soon is seen even if the walk's thread started late.
    void done_reading() override {
        for (int i = 0; i < 60000 && !entered; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (walking) done_reading_while_walking = true;
    }
    mutable std::atomic<bool> stopped{false};
    mutable std::atomic<bool> walking{false};
    mutable std::atomic<bool> entered{false};
    std::atomic<bool> done_reading_while_walking{false};

private:
    MemorySource inner_;
    std::string unreadable_;
};

}  // namespace

TEST_CASE("parallel: a build whose content has errors stops the walk of the git record", "[integration][parallel]") {
    // The walk runs beside the checking of the content; errors end the build at once, without
    // waiting for a long history to be read: errors in a file (the library is not made), and an
    // entry the source could not read (the rest is checked as usual).
    Files content = many_reports();
    std::string unreadable, named;
    SECTION("a file with an error") {
        content["reports/2020-100/2020-03.md"] = "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-03-28\n"
                                                 "date = 2020-03-20\ncompletion = \"abc\"\n+++\n进展。\n";
        named = "reports/2020-100/2020-03.md";
    }
    SECTION("an entry that could not be read") {
        unreadable = named = "static/unreadable.png";
    }
    TempDir dir;
    BuildOptions options;
    options.out = dir / "site";
    options.themes_dir = source_themes_dir();
    options.jobs = 2;
    EndlessRecordSource source(content, unreadable);
    BuildResult result = build_site(source, options);
    CHECK_FALSE(result.ok());
    CHECK(listing(result.diagnostics).find(named) != std::string::npos);
    CHECK(source.stopped);
    // A git source's done_reading lets go of the repository's packs, which the walk reads. (A
    // file with an error leaves no library to check, and the build ends before done_reading.)
    CHECK_FALSE(source.done_reading_while_walking);
    CHECK_FALSE(fs::exists(dir / "site"));
}

TEST_CASE("parallel: four threads write the same bytes as one", "[integration][parallel]") {
    Files content = many_reports();
    SiteFiles serial = render_with(content, 1);
    SiteFiles parallel = render_with(content, 4);
    REQUIRE(serial.files().size() > 24 * 6);
    REQUIRE(serial.files().size() == parallel.files().size());
    for (const auto& [path, bytes] : serial.files()) {
        INFO("page " << path);
        auto it = parallel.files().find(path);
        REQUIRE(it != parallel.files().end());
        CHECK(it->second == bytes);
    }
}

TEST_CASE("parallel: the whole pipeline gives the same folder for -j 1 and -j 3", "[integration][parallel]") {
    Files content = many_reports();
    TempDir dir;
    BuildOptions one;
    one.out = dir / "one";
    one.themes_dir = source_themes_dir();
    one.jobs = 1;
    BuildOptions three = one;
    three.out = dir / "three";
    three.jobs = 3;
    MemorySource a(content, 1604000000), b(content, 1604000000);
    REQUIRE(build_site(a, one).ok());
    REQUIRE(build_site(b, three).ok());
    CHECK(differences(dir / "one", dir / "three").empty());
}
