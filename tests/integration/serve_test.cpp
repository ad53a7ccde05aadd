#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::TempDir;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A line of what the kernel says of a process (its folder in /proc), "" if none.
std::string status_line(const fs::path& process, const std::string& field) {
    std::ifstream in(process / "status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0) return line;
    return "";
}

// `gongkai serve --port 0` in a child process, its output in a file; killed if a test ends early.
// By default the gongkai program of the build tree with the test theme; a test can name another
// program and other arguments after the repository.
class Server {
public:
    explicit Server(const GitRepo& repo, const fs::path& program = GONGKAI_TEST_BINARY,
                    std::vector<std::string> args = {"--theme-dir", fixture_themes_dir()}) {
        log_ = log_dir_ / "serve.log";
        args.insert(args.begin(), {"gongkai", "serve", "--port", "0", "--repo", repo.dir()});
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        pid_ = ::fork();
        if (pid_ == 0) {
            int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::execv(program.c_str(), argv.data());
            ::_exit(127);
        }
        // The address the server prints once it listens.
        std::regex address("http://127\\.0\\.0\\.1:([0-9]+)/");
        for (auto until = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < until;) {
            std::smatch m;
            std::string text = output();
            if (std::regex_search(text, m, address)) {
                port_ = std::stoi(m[1].str());
                break;
            }
            std::this_thread::sleep_for(50ms);
        }
        if (port_ == 0) FAIL("gongkai serve printed no address:\n" << output());
    }

    ~Server() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(10, 0);
        return c;
    }

    // The page at path once it contains text (it may take a rebuild); fails after a while.
    httplib::Result fetch_until(const std::string& path, const std::string& text) const {
        httplib::Client c = client();
        for (auto until = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < until;) {
            auto res = c.Get(path.c_str());
            if (res && res->body.find(text) != std::string::npos) return res;
            std::this_thread::sleep_for(100ms);
        }
        FAIL("the page " << path << " never said \"" << text << "\"; gongkai serve said:\n" << output());
        return c.Get(path.c_str());
    }

    // Sends a signal and returns the exit status, or -1 when it did not exit by itself in time.
    int stop(int signal) {
        ::kill(pid_, signal);
        for (auto until = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < until;) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            std::this_thread::sleep_for(50ms);
        }
        return -1;
    }

    std::string output() const { return fs::exists(log_) ? test::read_file(log_) : ""; }

    // The program the server runs in now.
    fs::path program() const { return fs::read_symlink("/proc/" + std::to_string(pid_) + "/exe"); }

    // A line of what the kernel says of the server's process.
    std::string status(const std::string& field) const { return status_line("/proc/" + std::to_string(pid_), field); }

private:
    TempDir log_dir_;
    fs::path log_;
    pid_t pid_ = -1;
    int port_ = 0;
};

void seed(GitRepo& repo) {
    repo.write(basic_site());
    repo.commit("Seed");
}

}  // namespace

TEST_CASE("serve: serves the working tree with a reload script that built sites never get", "[integration][serve]") {
    GitRepo repo;
    seed(repo);
    // Uncommitted: the working tree is what serve shows.
    std::string config = test::read_file(repo.path() / "gongkai.toml");
    config.replace(config.find("测试区重点工作推进情况"), std::string("测试区重点工作推进情况").size(), "尚未提交的标题");
    repo.write("gongkai.toml", config);
    Server server(repo);
    auto home = server.fetch_until("/", "尚未提交的标题");
    REQUIRE(home);
    CHECK(home->status == 200);
    CHECK(home->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(home->body.find("new EventSource(\"/__gongkai/events?since=") != std::string::npos);

    auto c = server.client();
    auto dir = c.Get("/departments/education");
    REQUIRE(dir);
    CHECK(dir->status == 301);
    CHECK(dir->get_header_value("Location") == "/departments/education/");
    auto missing = c.Get("/no/such/page/");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    auto escape = c.Get("/../../etc/passwd");
    REQUIRE(escape);
    CHECK(escape->status != 200);

    TempDir out;
    auto built = test::gongkai_cli({"build", "--worktree", "--repo", repo.dir(), "--out", (out / "site").string(),
                                    "--theme-dir", fixture_themes_dir()});
    REQUIRE(built.status == 0);
    for (const auto& file : test::list_files(out / "site")) {
        INFO(file);
        CHECK(test::read_file(out / "site" / file).find("__gongkai") == std::string::npos);
    }
    CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: rebuilds on change, tells open pages to reload, and shows a broken build's errors",
          "[integration][serve]") {
    GitRepo repo;
    seed(repo);
    Server server(repo);
    REQUIRE(server.fetch_until("/", "测试区重点工作推进情况"));

    // An open page listens for the reload event.
    std::atomic<bool> reloaded = false;
    std::thread listener([&] {
        httplib::Client c = server.client();
        c.Get("/__gongkai/events?since=1", [&](const char* data, std::size_t size) {
            if (std::string(data, size).find("event: reload") != std::string::npos) reloaded = true;
            return !reloaded.load();
        });
    });
    std::this_thread::sleep_for(500ms);
    std::string config = test::read_file(repo.path() / "gongkai.toml");
    auto renamed = config;
    renamed.replace(renamed.find("测试区重点工作推进情况"), std::string("测试区重点工作推进情况").size(), "改名后的网站");
    repo.write("gongkai.toml", renamed);
    CHECK(server.fetch_until("/", "改名后的网站")->status == 200);
    listener.join();
    CHECK(reloaded);

    // Broken content: the browser gets the error, not the stale site.
    repo.write("reports/2020-001/2020-12.md",
               "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-12-31\ndate = 2020-12-20\ncompletion = \"90%\"\n+++\n");
    auto error = server.fetch_until("/", "reports/2020-001/2020-12.md:5:14");
    CHECK(error->status == 500);
    CHECK(error->body.find("网站未能生成") != std::string::npos);
    CHECK(error->body.find("completion = &quot;90%&quot;") != std::string::npos);  // escaped
    CHECK(error->body.find("改名后的网站") == std::string::npos);
    CHECK(error->body.find("/__gongkai/events?since=") != std::string::npos);
    CHECK(server.fetch_until("/projects/2020-001/", "网站未能生成")->status == 500);
    CHECK(server.output().find("the browser shows them") != std::string::npos);

    // Fixed: the site is back.
    repo.remove("reports/2020-001/2020-12.md");
    CHECK(server.fetch_until("/", "改名后的网站")->status == 200);

    int status = server.stop(SIGINT);
    INFO(server.output());
    CHECK(status == 0);
    CHECK(server.output().find("gongkai: stopped") != std::string::npos);
}

TEST_CASE("serve: a port in use, or not a repository, exits 2", "[integration][serve]") {
    GitRepo repo;
    seed(repo);
    Server first(repo);
    std::string port = std::regex_replace(first.output(), std::regex("[\\s\\S]*127\\.0\\.0\\.1:([0-9]+)/[\\s\\S]*"), "$1");
    // timeout: should the port be shared after all, the test fails instead of waiting forever.
    auto busy = test::run("timeout 20 " + test::shell_quote(GONGKAI_TEST_BINARY) + " serve --port " + port + " --repo " +
                          test::shell_quote(repo.dir()) + " --theme-dir " + test::shell_quote(fixture_themes_dir()));
    CHECK(busy.status == 2);
    CHECK(busy.output.find("cannot listen on 127.0.0.1:" + port) != std::string::npos);
    TempDir plain;
    CHECK(test::gongkai_cli({"serve", "--port", "0", "--repo", plain.path().string()}).status == 2);
}

// What `LD_TRACE_LOADED_OBJECTS=1 program` prints, as ldd does: the libraries the program loads.
std::string loaded_libraries(const fs::path& program) {
    auto listed = test::run("LD_TRACE_LOADED_OBJECTS=1 " + test::shell_quote(program.string()));
    REQUIRE(listed.status == 0);
    REQUIRE(listed.output.find("libgit2") != std::string::npos);  // the listing is a listing
    return listed.output;
}

TEST_CASE("serve: cpp-httplib and libssl are loaded by gongkai-serve, never by gongkai", "[integration][serve]") {
    std::string gongkai = loaded_libraries(GONGKAI_TEST_BINARY);
    CHECK(gongkai.find("libcpp-httplib") == std::string::npos);
    CHECK(gongkai.find("libssl") == std::string::npos);
    std::string serve = loaded_libraries(GONGKAI_TEST_SERVE_BINARY);
    CHECK(serve.find("libcpp-httplib") != std::string::npos);
    CHECK(serve.find("libssl") != std::string::npos);
}

#ifdef GONGKAI_TEST_BINARY_JEMALLOC
TEST_CASE("serve: a site is built without huge pages, held off from the program's start",
          "[integration][serve]") {
    // The server inherits this process's switch, which leaves huge pages on: a 0 is its own doing.
    const std::string own = status_line("/proc/self", "THP_enabled");
    if (own.empty() || own.find('1') == std::string::npos) {
        WARN("skipped: the kernel does not say, or this process may not have huge pages: " << own);
        return;
    }
    GitRepo repo;
    seed(repo);
    // Started as gongkai-serve, and as gongkai, whose hold it is started with.
    for (const char* program : {GONGKAI_TEST_SERVE_BINARY, GONGKAI_TEST_BINARY}) {
        CAPTURE(program);
        Server server(repo, program);
        REQUIRE(server.fetch_until("/", "</html>"));
        CHECK(server.program().filename() == "gongkai-serve");
        const std::string held = server.status("THP_enabled");
        INFO(held);
        CHECK(held.find('0') != std::string::npos);
        CHECK(held.find('1') == std::string::npos);
    }
}
#endif

TEST_CASE("serve: an installed gongkai hands serve over to gongkai-serve in libexec, with its own themes",
          "[integration][serve]") {
    GitRepo repo;
    seed(repo);
    // The layout `cmake --install` and the Debian package make, in a folder of its own (resolved,
    // as the kernel names a running program).
    TempDir temp;
    fs::path prefix = fs::canonical(temp.path());
    fs::path bin = prefix / "bin";
    fs::path serve_program = (bin / GONGKAI_TEST_SERVE_FROM_BINDIR / "gongkai-serve").lexically_normal();
    fs::create_directories(bin);
    fs::create_directories(serve_program.parent_path());
    fs::create_directories(prefix / "share" / "gongkai");
    fs::copy_file(GONGKAI_TEST_BINARY, bin / "gongkai");
    fs::copy(fixture_themes_dir(), prefix / "share" / "gongkai" / "themes", fs::copy_options::recursive);
    // Marked, so a page shows which themes folder it was made with.
    fs::path home = prefix / "share" / "gongkai" / "themes" / "default" / "templates" / "index.mustache";
    std::string marked = test::read_file(home) + "<!-- the installed themes -->\n";
    std::ofstream(home, std::ios::binary | std::ios::trunc) << marked;

    SECTION("gongkai-serve where it belongs: it serves, with the themes beside gongkai") {
        fs::copy_file(GONGKAI_TEST_SERVE_BINARY, serve_program);
        Server server(repo, bin / "gongkai", {});
        CHECK(server.program() == serve_program);
        CHECK(server.fetch_until("/", "<!-- the installed themes -->")->status == 200);
        CHECK(server.stop(SIGTERM) == 0);
    }
    SECTION("an empty --theme-dir names no themes folder, as for gongkai build: the installed themes, which -v "
            "names") {
        fs::copy_file(GONGKAI_TEST_SERVE_BINARY, serve_program);
        const bool joined = GENERATE(false, true);  // "--theme-dir=" or "--theme-dir ''"
        Server server(repo, bin / "gongkai",
                      joined ? std::vector<std::string>{"--theme-dir=", "-v"}
                             : std::vector<std::string>{"--theme-dir", "", "-v"});
        CHECK(server.fetch_until("/", "<!-- the installed themes -->")->status == 200);
        CHECK(server.output().find("themes from " + (prefix / "share" / "gongkai" / "themes").string() + "\n") !=
              std::string::npos);
        CHECK(server.stop(SIGTERM) == 0);
    }
    SECTION("no gongkai-serve: exit 2, saying where it was looked for") {
        auto run = test::run(test::shell_quote((bin / "gongkai").string()) + " serve --port 0 --repo " +
                             test::shell_quote(repo.dir()));
        CHECK(run.status == 2);
        CHECK(run.output.find("gongkai serve needs gongkai-serve, which is neither at " + serve_program.string()) !=
              std::string::npos);
    }
}
