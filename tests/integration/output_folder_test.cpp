// The output folder: a build killed at any moment leaves the previous site as it was; a folder
// gongkai did not write is not replaced unless told; a location that cannot be written, or that
// fills up, is a clear error that leaves nothing behind.
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <sstream>
#include <thread>

#include "commands/build.h"
#include "commands/console.h"
#include "git/repository.h"
#include "git_repo.h"
#include "rename_faults.h"
#include "site.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::CommandResult;
using gongkai::test::Files;
using gongkai::test::GitRepo;
using gongkai::test::TempDir;
using gongkai::test::spawn;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A corpus large enough that writing it takes a while: 120 projects with 8 reports each.
Files large_site(const std::string& edition) {
    Files files = test::basic_site();
    std::string body;
    for (int s = 0; s < 3; ++s)
        body += "## （" + std::to_string(s + 1) + "）进展\n\n" + std::string(40, 'x') + edition + "\n\n";
    for (int p = 0; p < 120; ++p) {
        std::string id = "2020-1" + std::to_string(100 + p);
        files["projects/" + id + ".md"] =
            "+++\ntitle = \"项目 " + id + " " + edition + "\"\nyear = 2020\ndepartment = \"education\"\n+++\n计划。\n";
        for (int m = 1; m <= 8; ++m) {
            std::string mm = (m < 10 ? "0" : "") + std::to_string(m);
            files["reports/" + id + "/2020-" + mm + ".md"] =
                "+++\nperiod_start = 2020-" + mm + "-01\nperiod_end = 2020-" + mm + "-28\ndate = 2020-" + mm +
                "-28\ncompletion = " + std::to_string(m * 10) + "\n+++\n" + body;
        }
    }
    return files;
}

std::vector<std::string> build_args(const GitRepo& repo, const fs::path& out, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {
        GONGKAI_TEST_BINARY,       "build", "--repo", repo.dir(), "--out", out.string(), "--theme-dir",
        test::fixture_themes_dir()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

CommandResult build(const GitRepo& repo, const fs::path& out, std::vector<std::string> more = {}) {
    auto args = build_args(repo, out, std::move(more));
    args.erase(args.begin());
    return test::gongkai_cli(args, fs::temp_directory_path());
}

// True when the process is still running (not yet reaped).
bool running(pid_t pid) {
    int status;
    return ::waitpid(pid, &status, WNOHANG) == 0;
}

std::size_t files_below(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        ++n;
    return n;
}

// What a folder holds, leaving out the build cache that a build keeps beside its output folder
// (tests/integration/incremental_test.cpp covers it).
std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (!e.path().filename().string().ends_with(".gongkai-cache")) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// A build of the repository's HEAD in this process, where its progress and a RenameFaults reach it.
BuildResult build_here(const GitRepo& repo, const fs::path& out, bool cache, ProgressFn progress = {}) {
    git::Repository repository(repo.dir());
    git::CommitSource source(repository, "HEAD", "", false);
    BuildOptions options;
    options.out = out;
    options.themes_dir = test::fixture_themes_dir();
    options.cache = cache;
    options.progress = std::move(progress);
    return build_site(source, options);
}

// `gongkai build --no-cache` in this process: its exit status, and what it printed.
std::pair<int, std::string> run_build_here(const GitRepo& repo, const fs::path& out) {
    SourceOptions source;
    source.repo = repo.dir();
    BuildOptions options;
    options.out = out;
    options.themes_dir = test::fixture_themes_dir();
    options.cache = false;
    std::ostringstream printed;
    Console console(DiagnosticFormat::human, Verbosity::normal, printed, printed);
    const int status = run_build(source, options, console);
    return {status, printed.str()};
}

void add_december_report(GitRepo& repo) {
    repo.write("reports/2020-001/2020-12.md",
               "+++\nperiod_start = 2020-12-01\nperiod_end = 2020-12-31\ndate = 2020-12-20\ncompletion = 90\n+++\n");
    repo.commit("A December report");
}

// A test's fixture: the basic content built into out/site, then a commit that adds a report; home
// is the home page as published before it.
struct Published {
    GitRepo repo;
    TempDir out;
    fs::path site = out / "site";
    std::string home;

    Published() {
        repo.write(test::basic_site());
        repo.commit("Seed");
        REQUIRE(build(repo, site, {"--no-cache"}).status == 0);
        home = test::read_file(site / "index.html");
        add_december_report(repo);
    }
};

// The site in out is a clean build of the repository's HEAD, with nothing left beside it. With the
// cache, the cache left describes it: after a commit that writes report with text, the next build
// is an incremental one, and equal to a clean build.
void check_published(GitRepo& repo, const fs::path& out, bool cache, const std::string& report,
                     const std::string& text) {
    const fs::path site = out / "site";
    TempDir clean;
    REQUIRE(build(repo, clean / "site", {"--no-cache"}).status == 0);
    CHECK(test::differences(clean / "site", site).empty());
    CHECK(entries(out) == std::vector<std::string>{"site"});
    if (!cache) return;
    repo.write(report, text);
    repo.commit("A report written");
    BuildResult next = build_here(repo, site, true);
    REQUIRE(next.ok());
    CHECK(next.incremental);
    TempDir clean_next;
    REQUIRE(build(repo, clean_next / "site", {"--no-cache"}).status == 0);
    CHECK(test::differences(clean_next / "site", site).empty());
}

// The second rename of the swap without an exchange: the new site's folder to the output folder.
int fail_moving_in(const std::string& from, const std::string& to) {
    return fs::path(to).filename() == "site" && from.find(".gongkai-new-") != std::string::npos ? EIO : 0;
}

bool says(const CommandResult& r, const std::string& text) {
    if (r.output.find(text) != std::string::npos) return true;
    UNSCOPED_INFO("the output does not say \"" << text << "\":\n" << r.output);
    return false;
}

}  // namespace

TEST_CASE("output folder: a build killed at any moment leaves the previous site intact", "[integration][output]") {
    GitRepo repo;
    repo.write(large_site("第一版"));
    repo.commit("First edition");
    TempDir out;
    const fs::path site = out / "site";
    // Without the build cache, every build writes a new folder and swaps it in, as the moments
    // below expect. (A build with the cache writes into the cache's copy of the site instead:
    // tests/integration/incremental_test.cpp kills those.)
    const std::vector<std::string> no_cache = {"--no-cache"};
    auto start = std::chrono::steady_clock::now();
    REQUIRE(build(repo, site, no_cache).status == 0);
    auto full = std::chrono::steady_clock::now() - start;
    const Files previous = test::read_tree(site);
    REQUIRE(previous.size() > 1000);

    repo.write(large_site("第二版"));
    repo.commit("Second edition");
    TempDir reference;
    REQUIRE(build(repo, reference / "site").status == 0);
    const Files next = test::read_tree(reference / "site");
    REQUIRE(next != previous);

    int killed_while_writing = 0;
    // Killed at fractions of a whole build's time (reading, rendering, writing, swapping), and at
    // moments of the write itself: as soon as its folder appears, and with some files in it.
    std::vector<std::function<bool(pid_t)>> moments;
    for (double fraction : {0.05, 0.2, 0.4, 0.6, 0.8, 0.95}) {
        moments.push_back([full, fraction](pid_t pid) {
            auto until = std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::nanoseconds>(full * fraction);
            while (std::chrono::steady_clock::now() < until && running(pid)) std::this_thread::sleep_for(200us);
            return running(pid);
        });
    }
    for (std::size_t written : {0, 1, 50, 500, 1500}) {
        moments.push_back([&out, written, &killed_while_writing](pid_t pid) {
            fs::path dir = out / (".site.gongkai-new-" + std::to_string(pid));
            while (running(pid)) {
                if (fs::exists(dir) && files_below(dir) >= written) {
                    ++killed_while_writing;
                    return true;
                }
                std::this_thread::sleep_for(100us);
            }
            return false;
        });
    }
    int killed = 0;
    for (std::size_t i = 0; i < moments.size(); ++i) {
        INFO("kill " << i);
        pid_t pid = spawn(build_args(repo, site, no_cache));
        REQUIRE(pid > 0);
        bool alive = moments[i](pid);
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        // Whatever the moment, the folder holds one whole site, byte for byte: the previous one,
        // or the new one when the kill came after the swap (while the old copy was being removed).
        Files now = test::read_tree(site);
        bool is_previous = now == previous, is_next = now == next;
        INFO("killed: " << (alive && WIFSIGNALED(status)) << "; the folder holds the previous site: " << is_previous
                        << ", the new one: " << is_next << " (" << now.size() << " files)");
        CHECK((is_previous || is_next));
        if (alive && WIFSIGNALED(status)) ++killed;
        if (!is_previous) {
            fs::remove_all(site);
            test::write_files(site, previous);
        }
    }
    CHECK(killed >= 6);
    CHECK(killed_while_writing >= 3);

    // The next build clears what the killed ones left and publishes the new edition.
    auto r = build(repo, site);
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(entries(out.path()) == std::vector<std::string>{"site"});
    CHECK(test::file_contains(site, "projects/2020-1100/index.html", "第二版"));
    CHECK(test::read_tree(site).size() == previous.size());
}

TEST_CASE("output folder: a working folder of a build that is still running is left alone", "[integration][output]") {
    GitRepo repo;
    repo.write(test::basic_site());
    repo.commit("Seed");
    TempDir out;
    // This test process is alive: a folder named for it belongs to a running build.
    fs::path theirs = out / (".site.gongkai-new-" + std::to_string(::getppid()));
    test::write_file(theirs / "index.html", "half");
    fs::path dead = out / ".site.gongkai-new-999999999";
    test::write_file(dead / "index.html", "half");
    fs::path unmarked = out / ".site.gongkai-new-";  // not a name gongkai makes
    fs::create_directories(unmarked);
    auto r = build(repo, out / "site");
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(fs::exists(theirs / "index.html"));
    CHECK_FALSE(fs::exists(dead));
    CHECK(fs::exists(unmarked));
}

TEST_CASE("output folder: a folder gongkai did not write is refused, whatever it holds", "[integration][output]") {
    GitRepo repo;
    repo.write(test::basic_site());
    repo.commit("Seed");

    SECTION("only a hidden file") {
        TempDir out;
        test::write_file(out / "site/.htaccess", "Deny from all\n");
        auto r = build(repo, out / "site");
        CHECK(r.status == 2);
        CHECK(says(r, "holds files that gongkai did not write"));
        CHECK(test::list_files(out / "site") == std::vector<std::string>{".htaccess"});
        CHECK(entries(out.path()) == std::vector<std::string>{"site"});
    }
    SECTION("an empty folder in it") {
        TempDir out;
        fs::create_directories(out / "site/uploads");
        auto r = build(repo, out / "site");
        CHECK(r.status == 2);
        CHECK(fs::is_directory(out / "site/uploads"));
    }
    SECTION("a git repository, even with --force") {
        TempDir out;
        GitRepo site;
        test::write_file(site.path() / ".gongkai-site", "marker");
        auto r = build(repo, site.path(), {"--force"});
        CHECK(r.status == 2);
        CHECK(says(r, "is a git repository"));
        CHECK(fs::is_directory(site.path() / ".git"));
    }
    SECTION("the folder the build runs in, even with --force") {
        TempDir out;
        test::write_file(out / "site/notes.txt", "mine");
        fs::create_directories(out / "site/work");
        auto args = build_args(repo, out / "site", {"--force"});
        args.erase(args.begin());
        auto r = test::gongkai_cli(args, out / "site/work");
        CHECK(r.status == 2);
        CHECK(says(r, "holds the folder you are working in"));
        CHECK(fs::exists(out / "site/notes.txt"));
    }
    SECTION("a file") {
        TempDir out;
        test::write_file(out / "site", "a file");
        auto r = build(repo, out / "site");
        CHECK(r.status == 2);
        CHECK(says(r, "exists and is not a folder"));
        CHECK(test::read_file(out / "site") == "a file");
    }
    SECTION("the root folder") {
        TempDir out;
        auto args = build_args(repo, "/", {"--force"});
        args.erase(args.begin());
        auto r = test::gongkai_cli(args, out.path());
        CHECK(r.status == 2);
        CHECK(says(r, "refusing to write the site over /"));
    }
}

TEST_CASE("output folder: a link to a site folder replaces the site it points to and keeps the link",
          "[integration][output]") {
    GitRepo repo;
    repo.write(test::basic_site());
    repo.commit("Seed");
    TempDir out;
    REQUIRE(build(repo, out / "real").status == 0);
    fs::create_directory_symlink(out / "real", out / "site");
    repo.write("reports/2020-001/2020-06.md",
               test::read_file(repo.path() / "reports/2020-001/2020-06.md") + "\n补充说明。\n");
    repo.commit("Amend");
    auto r = build(repo, out / "site");
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(fs::is_symlink(out / "site"));
    CHECK(test::file_contains(out / "real", "projects/2020-001/reports/2020-06/index.html", "补充说明"));
    CHECK(entries(out.path()) == std::vector<std::string>{"real", "site"});
}

TEST_CASE("output folder: a mount point is refused before anything is read, and nothing is left beside it",
          "[integration][output]") {
    // A mount point cannot be renamed, so no new site can be swapped in for it. Mounting needs a
    // mount namespace of the test's own (unshare -m), which a container may not allow.
    TempDir probe;
    if (test::run("unshare -m mount -t tmpfs gongkai-test " + test::shell_quote(probe.path().string())).status != 0) {
        WARN("skipped: no file system can be mounted here (unshare -m, mount -t tmpfs)");
        return;
    }
    GitRepo repo;
    repo.write(test::basic_site());
    repo.commit("Seed");
    TempDir out;
    const fs::path site = out / "site";
    fs::create_directories(site);
    std::string build_command;
    for (const auto& arg : build_args(repo, site, {"--verbose"})) build_command += test::shell_quote(arg) + " ";
    // In the namespace: a file system mounted on the output folder, a build into it, its exit
    // status, then what the mounted file system holds after it (nothing: `ls -A` prints no name).
    const std::string script = "mount -t tmpfs gongkai-test " + test::shell_quote(site.string()) + " && cd / && { " +
                               build_command + "; echo \"exit $?\"; ls -A " + test::shell_quote(site.string()) + "; }";
    auto r = test::run("unshare -m sh -c " + test::shell_quote(script));
    CHECK(says(r, site.string() + " is a mount point"));
    CHECK(says(r, "(such as " + (site / "site").string() + ")"));
    CHECK(r.output.find("reading the content") == std::string::npos);  // refused first
    CHECK(r.output.ends_with("exit 2\n"));
    CHECK(entries(out.path()) == std::vector<std::string>{"site"});  // no new site folder beside it
}

namespace {

// Sets or clears a folder's immutable attribute (chattr +i): not even root may then rename it.
// False where that is not allowed (no CAP_LINUX_IMMUTABLE, as in many containers) or the file
// system has no such attribute.
bool set_immutable(const fs::path& folder, bool on) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    if (ok) {
        flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
        ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
    ::close(fd);
    return ok;
}

}  // namespace

TEST_CASE_METHOD(Published,
                 "output folder: a new site that cannot be swapped in is removed, and the site stays as it was",
                 "[integration][output]") {
    if (!set_immutable(site, true)) {
        WARN("skipped: a folder cannot be made immutable here (chattr +i)");
        return;
    }
    set_immutable(site, false);
    struct Mutable {  // whatever happens below, the folder can be removed again
        fs::path folder;
        ~Mutable() { set_immutable(folder, false); }
    } mutable_again{site};
    // In the build itself, once every page is written and before the swap: the published folder
    // made immutable, so the swap fails as it would for any reason the build cannot foresee.
    bool fixed = false;
    std::string error;
    try {
        build_here(repo, site, false, [&](std::string_view stage, std::size_t done, std::size_t) {
            if (stage == "write" && done == 0) fixed = set_immutable(site, true);
        });
    } catch (const WriteError& e) {
        error = e.what();
    }
    REQUIRE(set_immutable(site, false));
    REQUIRE(fixed);
    CHECK_THAT(error, Catch::Contains("cannot replace " + site.string()));
    CHECK(entries(out.path()) == std::vector<std::string>{"site"});  // the new site is gone
    CHECK(test::read_file(site / "index.html") == home);
}

TEST_CASE("output folder: a location that cannot be written is a clear error", "[integration][output]") {
    GitRepo repo;
    repo.write(test::basic_site());
    repo.commit("Seed");

    SECTION("under a file") {
        TempDir out;
        test::write_file(out / "file", "x");
        auto r = build(repo, out / "file/site");
        CHECK(r.status == 2);
        CHECK(says(r, "gongkai: error: cannot create the folder"));
        CHECK(says(r, "the previous site was left as it was"));
        CHECK(entries(out.path()) == std::vector<std::string>{"file"});
    }
    SECTION("in a file system that refuses folders") {
        TempDir out;
        auto args = build_args(repo, "/proc/gongkai-test/site");
        args.erase(args.begin());
        auto r = test::gongkai_cli(args, out.path());
        CHECK(r.status == 2);
        CHECK(says(r, "gongkai: error: cannot create the folder /proc/gongkai-test"));
    }
    SECTION("a folder without write permission") {
        if (::geteuid() == 0) {
            WARN("running as root: permissions do not stop root, so this section only runs as another user");
            return;
        }
        TempDir out;
        REQUIRE(build(repo, out / "public/site").status == 0);
        auto before = test::read_tree(out / "public/site");
        fs::permissions(out / "public", fs::perms::owner_write, fs::perm_options::remove);
        auto r = build(repo, out / "public/site");
        fs::permissions(out / "public", fs::perms::owner_write, fs::perm_options::add);
        CHECK(r.status == 2);
        CHECK(says(r, "permission denied"));
        CHECK(says(r, "must be able to write there"));
        CHECK(test::read_tree(out / "public/site") == before);
        CHECK(entries(out / "public") == std::vector<std::string>{"site"});
    }
}

TEST_CASE("output folder: a write that runs out of space leaves the previous site and no half-written folder",
          "[integration][output]") {
    GitRepo repo;
    repo.write(large_site("第一版"));
    repo.commit("First edition");
    TempDir out;
    REQUIRE(build(repo, out / "site").status == 0);
    const Files previous = test::read_tree(out / "site");
    repo.write(large_site("第二版"));
    repo.commit("Second edition");

    SECTION("a file larger than the process may write (RLIMIT_FSIZE, as a quota does)") {
        // The shell ignores SIGXFSZ so the limit is an error the write sees, as a full disk is.
        auto args = build_args(repo, out / "site");
        std::string command = "trap '' XFSZ; ulimit -f 64;";
        for (const auto& a : args) command += " " + test::shell_quote(a);
        auto r = test::run(command);
        INFO(r.output);
        CHECK(r.status == 2);
        CHECK(says(r, "gongkai: error: cannot write"));
        CHECK(says(r, "larger than this disk or the process's limits allow"));
        CHECK(says(r, "the previous site was left as it was"));
    }
    SECTION("a disk that is full (a small tmpfs, where mounting one is allowed)") {
        if (test::run("unshare -m true").status != 0) {
            WARN("cannot make a private mount namespace here; RLIMIT_FSIZE covers a write that runs out of space");
            return;
        }
        // In a private mount namespace the tmpfs vanishes with the command. It holds the previous
        // site with room for half another: the new one cannot fit.
        std::size_t bytes = 0;
        for (const auto& [path, data] : previous) bytes += data.size() + 4096;
        fs::path disk = out / "disk";
        fs::create_directories(disk);
        auto args = build_args(repo, disk / "site");
        std::string run_build;
        for (const auto& a : args) run_build += " " + test::shell_quote(a);
        std::string q_disk = test::shell_quote(disk.string());
        std::string script = "mount -t tmpfs -o size=" + std::to_string(bytes * 3 / 2) + " tmpfs " + q_disk +
                             " || { echo no-mount; exit 0; }; cp -a " + test::shell_quote((out / "site").string()) +
                             " " + q_disk + "/site;" + run_build + "; echo status=$?; diff -r " +
                             test::shell_quote((out / "site").string()) + " " + q_disk +
                             "/site && echo unchanged; echo left:; LC_ALL=C ls -A " + q_disk;
        auto r = test::run("unshare -m sh -c " + test::shell_quote(script));
        INFO(r.output);
        if (says(r, "no-mount")) {
            WARN("mounting a tmpfs is not allowed here");
            return;
        }
        CHECK(says(r, "status=2"));
        CHECK(says(r, "the disk is full"));
        CHECK(says(r, "the previous site was left as it was"));
        CHECK(says(r, "unchanged"));
        // Beside the site, nothing: the build cache's folder, made for its lock before the build
        // began, goes with the build that made it.
        CHECK(r.output.substr(r.output.find("left:")) == "left:\nsite\n");
    }
    CHECK(test::read_tree(out / "site") == previous);
    for (const auto& e : entries(out.path())) CHECK_FALSE(e.starts_with(".site.gongkai-"));
}

TEST_CASE("output folder: where two folders cannot be exchanged at once (NFS), the site is swapped in by two renames",
          "[integration][output]") {
    const bool cache = GENERATE(false, true);
    CAPTURE(cache);
    GitRepo repo;
    repo.write(test::basic_site());
    repo.commit("Seed");
    TempDir out;
    const fs::path site = out / "site";
    REQUIRE(build(repo, site, cache ? std::vector<std::string>{} : std::vector<std::string>{"--no-cache"}).status == 0);
    add_december_report(repo);
    {
        test::RenameFaults faults(true);
        REQUIRE(build_here(repo, site, cache).ok());
        CHECK(faults.exchanges_refused() == 1);
    }
    // With the cache, the previous site, moved aside and then into the cache's second copy, serves
    // the next build as a copy exchanged in would.
    check_published(repo, out.path(), cache, "reports/2020-001/2020-12.md",
                    "+++\nperiod_start = 2020-12-01\nperiod_end = 2020-12-31\ndate = 2020-12-20\ncompletion = 95\n+++\n");
}

TEST_CASE("output folder: a site another build publishes while this one moves its own in is replaced whole",
          "[integration][output]") {
    // Builds into one folder take turns on the lock in the cache's folder, but one without the
    // cache takes none while there is no such folder yet. So another build's site can appear
    // where this one found none, or, without an exchange, where it has just moved the previous
    // site aside.
    const auto [previous, no_exchange] =
        GENERATE(table<bool, bool>({{false, false}, {false, true}, {true, true}}));
    const bool cache = GENERATE(false, true);
    CAPTURE(previous, no_exchange, cache);
    GitRepo repo;
    repo.write(test::basic_site());
    repo.commit("Seed");
    TempDir out;
    const fs::path site = out / "site";
    if (previous) {
        REQUIRE(build_here(repo, site, cache).ok());
        add_december_report(repo);
    }
    const std::string other = "another build's site\n";
    // The rule makes the other build's site (with calls that cannot throw) just before the kernel
    // is asked to move the new site in (from a new folder, or the cache's copy), the first time.
    std::atomic<int> moves_in{0};
    auto publish_another = [&](const std::string& from, const std::string& to) {
        if (to != site.string() || from.find(".gongkai-old-") != std::string::npos || moves_in.fetch_add(1) != 0)
            return 0;
        ::mkdir(to.c_str(), 0755);
        for (const std::string& name : {std::string("/") + site_marker, std::string("/index.html")}) {
            const int fd = ::open((to + name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0) continue;
            [[maybe_unused]] auto n = ::write(fd, other.data(), other.size());
            ::close(fd);
        }
        return 0;
    };
    {
        test::RenameFaults faults(no_exchange, publish_another);
        BuildResult result = build_here(repo, site, cache);
        CHECK(result.ok());
        CHECK(moves_in.load() == 2);  // once onto the other site, once more to replace it
        // Without an exchange, the other site was moved aside in turn when it had come in place of
        // the previous one.
        CHECK(faults.exchanges_refused() == (no_exchange ? (previous ? 2 : 1) : 0));
    }
    // Neither other site is left aside, and the cache left describes the site published.
    check_published(repo, out.path(), cache, "reports/2020-001/2020-11.md",
                    "+++\nperiod_start = 2020-11-01\nperiod_end = 2020-11-30\ndate = 2020-11-20\ncompletion = 85\n+++\n");
}

TEST_CASE("output folder: what gongkai did not write is not replaced, even when it appears as the new site moves in",
          "[integration][output]") {
    const bool no_exchange = GENERATE(false, true);
    CAPTURE(no_exchange);
    GitRepo repo;
    repo.write(test::basic_site());
    repo.commit("Seed");
    TempDir out;
    const fs::path site = out / "site";
    {
        test::RenameFaults faults(no_exchange, [&](const std::string& from, const std::string& to) {
            if (fs::path(to).filename() == "site" && from.find(".gongkai-new-") != std::string::npos &&
                ::mkdir(to.c_str(), 0755) == 0) {
                const int fd = ::open((to + "/notes.txt").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd >= 0) ::close(fd);
            }
            return 0;
        });
        auto [status, printed] = run_build_here(repo, site);
        INFO(printed);
        CHECK(status == 2);
        CHECK_THAT(printed, Catch::Contains("cannot create " + site.string()));
    }
    CHECK(entries(site) == std::vector<std::string>{"notes.txt"});
    CHECK(entries(out.path()) == std::vector<std::string>{"site"});
}

TEST_CASE_METHOD(
    Published,
    "output folder: without an exchange, a new site that cannot be moved in leaves the previous one in place",
    "[integration][output]") {
    test::RenameFaults faults(true, fail_moving_in);
    auto [status, printed] = run_build_here(repo, site);
    INFO(printed);
    CHECK(faults.renames_failed() == 1);
    CHECK(status == 2);
    CHECK_THAT(printed, Catch::Contains("cannot replace " + site.string()) &&
                            Catch::Contains("the previous site was left as it was"));
    CHECK(test::read_file(site / "index.html") == home);
    CHECK(entries(out.path()) == std::vector<std::string>{"site"});
}

TEST_CASE_METHOD(Published,
                 "output folder: a previous site that cannot be moved back is named, and the next build puts it back",
                 "[integration][output]") {
    const std::string aside = ".site.gongkai-old-" + std::to_string(::getpid());
    {
        // Both the new site's move in and the previous site's move back fail.
        test::RenameFaults faults(true, [](const std::string& from, const std::string& to) {
            return fail_moving_in(from, to) != 0 || from.find(".gongkai-old-") != std::string::npos ? EIO : 0;
        });
        auto [status, printed] = run_build_here(repo, site);
        INFO(printed);
        CHECK(faults.renames_failed() == 2);
        CHECK(status == 2);
        CHECK_THAT(printed, Catch::Contains("nor could the previous site be moved back") &&
                                Catch::Contains("it is now in " + (out / aside).string()) &&
                                !Catch::Contains("left as it was"));
    }
    CHECK_FALSE(fs::exists(site));
    CHECK(entries(out.path()) == std::vector<std::string>{aside});  // the new site is removed
    CHECK(test::read_file(out / aside / "index.html") == home);
    // The next build moves it back before anything else, even one whose content has errors.
    repo.write("reports/2020-001/2020-12.md", "+++\ncompletion = \"most\"\n+++\n");
    repo.commit("A broken report");
    CHECK_FALSE(build_here(repo, site, false).ok());
    CHECK(entries(out.path()) == std::vector<std::string>{"site"});
    CHECK(test::read_file(site / "index.html") == home);
}

TEST_CASE_METHOD(Published,
                 "output folder: of two previous sites moved aside, the one moved last is put back, and one "
                 "that cannot be is an error",
                 "[integration][output]") {
    // An earlier site aside under a build that has ended (no such process), and a later one under
    // this process's own (which the builds below, run in this process, count as ended), moved
    // there in that order: moving a folder sets its change time.
    const fs::path older = out / ".site.gongkai-old-999999999";
    const fs::path newer = out / (".site.gongkai-old-" + std::to_string(::getpid()));
    TempDir kept;
    fs::copy(site, kept / "site", fs::copy_options::recursive);
    REQUIRE(build(repo, site, {"--no-cache"}).status == 0);  // a build clears away folders left aside
    const std::string later_home = test::read_file(site / "index.html");
    REQUIRE(later_home != home);
    fs::rename(kept / "site", older);
    std::this_thread::sleep_for(50ms);  // beyond the granularity of the file system's clock
    fs::rename(site, newer);
    repo.write("reports/2020-001/2020-12.md", "+++\ncompletion = \"most\"\n+++\n");
    repo.commit("A broken report");
    SECTION("the later one is put back") {
        CHECK_FALSE(build_here(repo, site, false).ok());  // the content's errors come after the put-back
        CHECK(test::read_file(site / "index.html") == later_home);
        CHECK(entries(out.path()) == std::vector<std::string>{".site.gongkai-old-999999999", "site"});
    }
    SECTION("one that cannot be moved back stops the build, saying where it is") {
        test::RenameFaults faults(false, [](const std::string& from, const std::string&) {
            return from.find(".gongkai-old-") != std::string::npos ? EACCES : 0;
        });
        auto [status, printed] = run_build_here(repo, site);
        INFO(printed);
        CHECK(status == 2);
        CHECK_THAT(printed, Catch::Contains("cannot move the previous site back into " + site.string() + " from " +
                                            newer.string()) &&
                                Catch::Contains("move it back by hand") && !Catch::Contains("left as it was"));
        CHECK_FALSE(fs::exists(site));
        CHECK(test::read_file(newer / "index.html") == later_home);
    }
}
