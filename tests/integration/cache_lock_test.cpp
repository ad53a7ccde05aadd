// Builds into one output folder at the same moment (two pushes close together) take turns on the
// build cache: each publishes a whole site of the commit it built, and the cache they leave is
// right for the next build.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cache/build_cache.h"
#include "cache/cache_lock.h"
#include "fixture.h"
#include "git/repository.h"
#include "git_repo.h"
#include "site.h"
#include "site_files.h"

using namespace gongkai;
using namespace gongkai::test;

namespace {

// Three projects of four monthly reports: enough pages that two builds overlap.
void write_site(GitRepo& repo, int version) {
    repo.write("gongkai.toml",
               "title = \"并发构建\"\nlanguage = \"zh-CN\"\nbase_url = \"https://example.org/p/\"\npublisher = \"示例区\"\n");
    repo.write("departments/d1.toml", "name = \"一局\"\n");
    for (int p = 0; p < 3; ++p) {
        std::string id = "2020-" + std::to_string(100 + p);
        repo.write("projects/" + id + ".md", "+++\ntitle = \"项目 " + std::to_string(p) +
                                                 "\"\nyear = 2020\ndepartment = \"d1\"\n+++\n落实。\n");
        for (int m = 1; m <= 4; ++m) {
            std::string month = "0" + std::to_string(m);
            repo.write("reports/" + id + "/2020-" + month + ".md",
                       "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-" + month + "-28\ndate = 2020-" + month +
                           "-20\ncompletion = " + std::to_string((m * 10 + p + version) % 101) +
                           "\n+++\n## 进展\n\n第 " + std::to_string(version) + " 版。\n");
        }
    }
}

// Versions 0 to count - 1 of the site, a commit each, a day apart.
std::vector<std::string> commit_versions(GitRepo& repo, int count) {
    std::vector<std::string> commits;
    for (int v = 0; v < count; ++v) {
        write_site(repo, v);
        commits.push_back(commit_at(repo, "版本 " + std::to_string(v), "2020-10-2" + std::to_string(v) + "T10:00:00+08:00"));
    }
    return commits;
}

std::string clean_build(const GitRepo& repo, const std::string& ref, const fs::path& out) {
    auto r = gongkai_cli({"build", "--repo", repo.dir(), "--ref", ref, "--no-cache", "--quiet", "--out", out.string()});
    INFO(r.output);
    REQUIRE(r.status == 0);
    return out.string();
}

// Whether the process pid comes to wait for a lock taken with flock (a "->" line of /proc/locks
// is a waiter), within two minutes; false as soon as it ends. It is not reaped.
bool waits_for_a_lock(pid_t pid) {
    const std::string who = " " + std::to_string(pid) + " ";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream locks("/proc/locks");
        for (std::string line; std::getline(locks, line);)
            if (line.find("-> FLOCK") != std::string::npos && line.find(who) != std::string::npos) return true;
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == pid)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// A build of first_ref in this process, and a second build, of second_ref by the program, started
// as the first begins to read its content (the first then holds the lock): the first's result,
// whether the second came to wait for a lock, and the second's wait status.
struct Race {
    BuildResult first;
    bool waited = false;
    int second_status = -1;
};
Race race(const GitRepo& repo, const std::string& first_ref, const std::string& second_ref, const fs::path& out) {
    Race result;
    pid_t second = 0;
    git::Repository repository(repo.dir());
    git::CommitSource source(repository, first_ref, "", false);
    BuildOptions options;
    options.out = out;
    options.progress = [&](std::string_view stage, std::size_t done, std::size_t) {
        if (stage != "read" || done != 0 || second) return;
        second = spawn({GONGKAI_TEST_BINARY, "build", "--repo", repo.dir(), "--ref", second_ref, "--quiet", "--out",
                        out.string()});
        result.waited = waits_for_a_lock(second);
    };
    result.first = build_site(source, options);
    REQUIRE(second > 0);
    REQUIRE(::waitpid(second, &result.second_status, 0) == second);
    return result;
}

// A commit whose settings do not parse: a build of it fails with a content error.
std::string commit_broken_settings(GitRepo& repo, const std::string& when) {
    repo.write("gongkai.toml", "title = [\n");
    return commit_at(repo, "坏的设置", when);
}

// A build of ref with the cache into out is incremental, and its site is a clean build's.
void next_build_is_incremental(const GitRepo& repo, const std::string& ref, const fs::path& out,
                               const fs::path& clean) {
    auto next = gongkai_cli({"build", "--repo", repo.dir(), "--ref", ref, "-v", "--out", out.string()});
    INFO(next.output);
    REQUIRE(next.status == 0);
    CHECK(next.output.find("incremental build") != std::string::npos);
    CHECK(differences(clean_build(repo, ref, clean), out).empty());
}

}  // namespace

TEST_CASE("cache lock: builds of different commits into one folder at once each publish a whole site",
          "[integration][incremental][cache-lock]") {
    GitRepo repo;
    std::vector<std::string> commits = commit_versions(repo, 4);
    TempDir dir;
    fs::path out = dir / "site";
    std::vector<fs::path> clean;
    for (std::size_t i = 0; i < commits.size(); ++i)
        clean.push_back(clean_build(repo, commits[i], dir / ("clean-" + std::to_string(i))));

    // The first build makes the cache; then rounds of four builds at once, one per commit. In the
    // first two rounds one of them is without the cache (it takes the lock all the same); the
    // last round is all cached builds, so whichever of them finishes last leaves a cache that
    // describes the published folder. (A build without the cache that finishes last leaves a
    // folder the cache does not describe: the next build is then a full one, tested below.)
    auto first = gongkai_cli({"build", "--repo", repo.dir(), "--ref", commits[0], "--quiet", "--out", out.string()});
    REQUIRE(first.status == 0);
    for (int round = 0; round < 3; ++round) {
        std::string script;
        for (std::size_t i = 0; i < commits.size(); ++i)
            script += shell_quote(GONGKAI_TEST_BINARY) + " build --repo " + shell_quote(repo.dir()) + " --ref " +
                      commits[(i + static_cast<std::size_t>(round)) % commits.size()] +
                      (i == 0 && round < 2 ? " --no-cache" : "") + " --quiet --out " + shell_quote(out.string()) + " & ";
        script += "wait";
        CommandResult r = run(script);
        INFO("round " << round << ": " << r.output);
        CHECK(r.status == 0);
        CHECK(r.output.empty());
        // Whichever finished last, the folder is exactly one commit's site.
        bool whole = false;
        for (const auto& c : clean) whole = whole || differences(c, out).empty();
        CHECK(whole);
    }
    // And the cache they left builds the next commit right.
    auto last = gongkai_cli({"build", "--repo", repo.dir(), "--ref", commits[2], "-v", "--out", out.string()});
    INFO(last.output);
    REQUIRE(last.status == 0);
    CHECK(last.output.find("incremental build") != std::string::npos);
    CHECK(differences(clean[2], out).empty());
    CHECK(fs::exists(cache_folder(out) / "lock"));
}

TEST_CASE("cache lock: after a build without the cache, the next cached build is a full one and says why",
          "[integration][incremental][cache-lock]") {
    GitRepo repo;
    std::vector<std::string> commits = commit_versions(repo, 3);
    TempDir dir;
    fs::path out = dir / "site";
    fs::path clean = clean_build(repo, commits[2], dir / "clean");
    auto cached = [&](const std::string& ref) {
        auto r = gongkai_cli({"build", "--repo", repo.dir(), "--ref", ref, "-v", "--out", out.string()});
        INFO(r.output);
        REQUIRE(r.status == 0);
        return r.output;
    };
    cached(commits[0]);
    auto plain = gongkai_cli({"build", "--repo", repo.dir(), "--ref", commits[1], "--no-cache", "--quiet", "--out",
                              out.string()});
    REQUIRE(plain.status == 0);
    std::string after = cached(commits[2]);
    CHECK(after.find("incremental build") == std::string::npos);
    CHECK(after.find("the output folder is not the one the cache describes") != std::string::npos);
    CHECK(differences(clean, out).empty());
    // And the cache that build left is used again.
    cached(commits[1]);
    CHECK(cached(commits[2]).find("incremental build") != std::string::npos);
    CHECK(differences(clean, out).empty());
}

TEST_CASE("cache lock: two first builds at once take turns too", "[integration][incremental][cache-lock]") {
    // There is no cache folder yet when both start: the first makes it, with its lock, and holds
    // the lock; the second waits for it, rather than publishing a site and saving a cache while
    // the first does the same. The second is started while the first (in this process) holds the
    // lock, and is seen waiting for it in the kernel's list of locks.
    GitRepo repo;
    std::vector<std::string> commits = commit_versions(repo, 3);
    TempDir dir;
    fs::path out = dir / "site";
    const Race r = race(repo, commits[1], commits[0], out);
    REQUIRE(r.first.ok());
    CHECK(r.waited);
    CHECK((WIFEXITED(r.second_status) && WEXITSTATUS(r.second_status) == 0));
    // The second published last, and the cache it left serves the next build.
    CHECK(differences(clean_build(repo, commits[0], dir / "clean-0"), out).empty());
    next_build_is_incremental(repo, commits[2], out, dir / "clean-2");
}

TEST_CASE("cache lock: a first build that fails leaves no cache folder, nor the folders it made for one",
          "[integration][incremental][cache-lock]") {
    GitRepo repo;
    std::vector<std::string> commits = commit_versions(repo, 1);
    const std::string broken = commit_broken_settings(repo, "2020-10-22T10:00:00+08:00");
    TempDir dir;
    const fs::path out = dir / "new" / "deeper" / "site";
    auto failed = gongkai_cli({"build", "--repo", repo.dir(), "--ref", broken, "--out", out.string()});
    INFO(failed.output);
    CHECK(failed.status == 1);
    CHECK(failed.output.find("nothing was written") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "new"));  // it left a lock alone in .site.gongkai-cache

    // Into a folder that has a cache, a failed build leaves the cache as it was, and the next
    // build uses it.
    auto first = gongkai_cli({"build", "--repo", repo.dir(), "--ref", commits[0], "--quiet", "--out", out.string()});
    REQUIRE(first.status == 0);
    const auto cache_files = list_files(cache_folder(out));
    REQUIRE(cache_files.size() > 1);
    CHECK(gongkai_cli({"build", "--repo", repo.dir(), "--ref", broken, "--out", out.string()}).status == 1);
    CHECK(list_files(cache_folder(out)) == cache_files);
    auto again = gongkai_cli({"build", "--repo", repo.dir(), "--ref", commits[0], "-v", "--out", out.string()});
    INFO(again.output);
    REQUIRE(again.status == 0);
    CHECK(again.output.find("incremental build") != std::string::npos);
}

TEST_CASE("cache lock: a build waiting for a first build that fails takes the lock, and keeps the cache",
          "[integration][incremental][cache-lock]") {
    // The first build made the cache folder for its lock and removes it as it fails; the second,
    // waiting on that lock file, makes them again and builds.
    GitRepo repo;
    std::vector<std::string> commits = commit_versions(repo, 2);
    const std::string broken = commit_broken_settings(repo, "2020-10-23T10:00:00+08:00");
    TempDir dir;
    const fs::path out = dir / "new" / "site";
    const Race r = race(repo, broken, commits[0], out);
    REQUIRE_FALSE(r.first.ok());
    CHECK(r.waited);
    CHECK((WIFEXITED(r.second_status) && WEXITSTATUS(r.second_status) == 0));
    CHECK(differences(clean_build(repo, commits[0], dir / "clean-0"), out).empty());
    next_build_is_incremental(repo, commits[1], out, dir / "clean-1");
}

TEST_CASE("cache lock: a lock file removed by its holder is taken again, not held unseen", "[cache-lock]") {
    // A second build that waited on the lock file of a first build that then removed it (its
    // cache folder held nothing else) would hold a lock on a file no later build can find: a
    // third would make a new one and build at the same time.
    TempDir dir;
    const fs::path folder = dir / "new" / ".site.gongkai-cache";
    // The child starts when the first lock is held (taken after the fork: a child would share
    // its open file, and the lock with it).
    int go[2];
    REQUIRE(::pipe(go) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child != 0) ::close(go[0]);
    if (child == 0) {
        ::close(go[1]);
        char byte;
        if (::read(go[0], &byte, 1) != 1) ::_exit(2);
        CacheLock second(folder, true);
        // A lock taken now through the folder's lock file, by a new open of it, must be refused.
        const int fd = ::open((folder / "lock").c_str(), O_RDWR | O_CLOEXEC);
        const bool refused = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
        ::_exit(second.held() && refused ? 0 : 1);
    }
    auto first = std::make_optional<CacheLock>(folder, true);
    REQUIRE(first->held());
    REQUIRE(fs::exists(folder / "lock"));
    REQUIRE(::write(go[1], "x", 1) == 1);
    ::close(go[1]);
    CHECK(waits_for_a_lock(child));
    first.reset();  // the folder holds only its lock: removed, with "new"
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    CHECK(fs::exists(folder / "lock"));  // made again by the second

    // A lock that keeps its folder (the cache was kept in it) leaves it.
    {
        CacheLock kept(folder, true);
        REQUIRE(kept.held());
        test::write_file(folder / "state", "kept\n");
    }
    CHECK(fs::exists(folder / "lock"));
}
