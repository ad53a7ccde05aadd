#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <utility>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::basic_site;
using gongkai::test::fixture_themes_dir;
using gongkai::test::GitRepo;
using gongkai::test::gongkai_cli;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

namespace {

bool says(const test::CommandResult& r, const std::string& text) {
    if (r.output.find(text) != std::string::npos) return true;
    UNSCOPED_INFO("the output does not say \"" << text << "\":\n" << r.output);
    return false;
}

}  // namespace

TEST_CASE("cli: a folder that is not a git repository", "[integration][cli]") {
    TempDir plain, out;
    test::write_files(plain.path(), basic_site());
    auto r = gongkai_cli({"build", "--repo", plain.path().string(), "--out", (out / "site").string()}, out.path());
    CHECK(r.status == 2);
    CHECK(says(r, "not a git repository"));
    CHECK_FALSE(fs::exists(out / "site"));
}

TEST_CASE("cli: a ref that names no commit", "[integration][cli]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir out;
    auto r = gongkai_cli({"build", "--repo", repo.dir(), "--ref", "no-such-branch", "--out", (out / "site").string(),
                          "--theme-dir", fixture_themes_dir()});
    CHECK(r.status == 2);
    CHECK(says(r, "'no-such-branch' does not name a commit"));
    CHECK_FALSE(fs::exists(out / "site"));
}

TEST_CASE("cli: an empty repository", "[integration][cli]") {
    // Whatever the name of the branch that HEAD waits for.
    std::string branch = GENERATE(as<std::string>(), "master", "main", "trunk");
    INFO("initial branch " << branch);
    GitRepo repo(branch);
    TempDir out;
    auto r = gongkai_cli({"build", "--repo", repo.dir(), "--out", (out / "site").string()});
    CHECK(r.status == 2);
    CHECK(says(r, "the repository is empty"));
    CHECK_FALSE(fs::exists(out / "site"));
}

TEST_CASE("cli: bad usage exits 2", "[integration][cli]") {
    TempDir cwd;
    CHECK(gongkai_cli({}, cwd.path()).status == 2);
    CHECK(gongkai_cli({"publish"}, cwd.path()).status == 2);
    CHECK(gongkai_cli({"build", "--no-such-option"}, cwd.path()).status == 2);
    CHECK(test::list_files(cwd.path()).empty());
}

TEST_CASE("cli: an option written with '=' and no value takes no other argument as its value", "[integration][cli]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir cwd;
    // Read as "--out --no-cache", it wrote the site into a folder named "--no-cache".
    auto out = gongkai_cli({"build", "--repo", repo.dir(), "--out=", "--no-cache"}, cwd.path());
    CHECK(out.status == 2);
    CHECK(says(out, "--out is empty: name the folder to write the site into"));
    CHECK(test::list_files(cwd.path()).empty());
    // An empty themes folder names none, and -q stays an option (it was taken for the folder).
    auto quiet = gongkai_cli({"check", "--repo", repo.dir(), "--theme-dir=", "-q"}, cwd.path());
    CHECK(quiet.status == 0);
    CHECK(quiet.output.empty());
    auto repo_empty = gongkai_cli({"check", "--repo=", "--quiet"}, repo.path());
    CHECK(repo_empty.status == 2);
    CHECK(says(repo_empty, "--repo is empty"));
    // A switch written so is a switch, as before.
    auto switches = gongkai_cli({"build", "--repo", repo.dir(), "--out", (cwd / "site").string(), "--no-cache=",
                                 "--quiet="},
                                cwd.path());
    CHECK(switches.status == 0);
    CHECK(switches.output.empty());
    CHECK_FALSE(fs::exists(cwd / ".site.gongkai-cache"));
    // An empty address to serve on would be every address.
    auto bind = gongkai_cli({"serve", "--repo", repo.dir(), "--port", "0", "--bind="}, cwd.path());
    CHECK(bind.status == 2);
    CHECK(says(bind, "--bind is empty"));
    auto ref = gongkai_cli({"serve", "--repo", repo.dir(), "--port", "0", "--ref="}, cwd.path());
    CHECK(ref.status == 2);
    CHECK(says(ref, "--ref is empty: name a branch, tag or commit"));
    CHECK_FALSE(says(ref, "serving"));
    // "--name=value" is as it was.
    auto given = gongkai_cli({"check", "--repo=" + repo.dir(), "--theme-dir=" + fixture_themes_dir(), "--quiet"},
                             cwd.path());
    CHECK(given.status == 0);
    CHECK(given.output.empty());
}

TEST_CASE("cli: --jobs takes a number of threads up to 1024", "[integration][cli]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir cwd;
    // Asked for 100,000 threads, a build of 10,000 reports ran out of them and ended in
    // std::terminate.
    for (const char* jobs : {"100000", "1025", "-1", "two"}) {
        CAPTURE(jobs);
        auto r = gongkai_cli({"build", "--repo", repo.dir(), "--out", (cwd / "site").string(), "--jobs", jobs},
                             cwd.path());
        CHECK(r.status == 2);
        CHECK(says(r, "--jobs: takes a whole number of threads from 0 (one per core) to 1024, not '" +
                          std::string(jobs) + "'"));
        CHECK(test::list_files(cwd.path()).empty());
    }
    auto empty = gongkai_cli({"check", "--repo", repo.dir(), "--jobs="}, cwd.path());
    CHECK(empty.status == 2);
    CHECK(says(empty, "--jobs: takes a whole number of threads from 0 (one per core) to 1024, and was given none"));
    auto most = gongkai_cli({"build", "--repo", repo.dir(), "--out", (cwd / "site").string(), "-j", "1024",
                             "--theme-dir", fixture_themes_dir(), "--quiet"},
                            cwd.path());
    CHECK(most.status == 0);
    CHECK(fs::exists(cwd / "site/index.html"));
}

TEST_CASE("cli: --version and --help exit 0", "[integration][cli]") {
    auto v = gongkai_cli({"--version"});
    CHECK(v.status == 0);
    CHECK(says(v, "gongkai "));
    auto h = gongkai_cli({"build", "--help"});
    CHECK(h.status == 0);
    CHECK(says(h, "--content-dir"));
}

TEST_CASE("cli: check validates and writes nothing", "[integration][cli]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    TempDir cwd;
    auto r = gongkai_cli({"check", "--repo", repo.dir(), "--theme-dir", fixture_themes_dir()}, cwd.path());
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(says(r, "no errors found"));
    CHECK(test::list_files(cwd.path()).empty());
    CHECK(fs::is_empty(cwd.path()));
    // Nor in the repository, where a default --out would land.
    CHECK_FALSE(fs::exists(repo.path() / "site"));
}

TEST_CASE("cli: check lists every error with its file and line, and exits 1", "[integration][cli]") {
    GitRepo repo;
    auto files = basic_site();
    files["departments/health.toml"] = "name = \"卫健委\"\nwebsite = \"https://example.org/\"\n";
    files["reports/2020-001/2020-06.md"] =
        "+++\nperiod_start = 2020-01-01\nperiod_end = 2019-06-30\ndate = 2020-07-05\ncompletion = 140\n+++\n";
    repo.write(files);
    repo.commit("Three mistakes");
    TempDir cwd;
    auto r = gongkai_cli({"check", "--repo", repo.dir(), "--theme-dir", fixture_themes_dir()}, cwd.path());
    CHECK(r.status == 1);
    CHECK(test::says_at(r, "departments/health.toml:2:", "error: website: unknown key"));
    CHECK(test::says_at(r, "reports/2020-001/2020-06.md:3:", "error: period_end: the period ends (2019-06-30)"));
    CHECK(test::says_at(r, "reports/2020-001/2020-06.md:5:", "error: completion: 140 is out of range"));
    CHECK(says(r, "3 error(s)"));
    CHECK(fs::is_empty(cwd.path()));
}

TEST_CASE("cli: check reads the repository it stands in by default", "[integration][cli]") {
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    fs::create_directories(repo.path() / "departments");
    auto r = gongkai_cli({"check", "--theme-dir", fixture_themes_dir()}, repo.path() / "departments");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK_FALSE(fs::exists(repo.path() / "site"));
    CHECK_FALSE(fs::exists(repo.path() / "departments/site"));
}

TEST_CASE("cli: the programs start libgit2 without setting up its TLS and SSH transports", "[integration][cli]") {
    // Debian's libgit2 parses the system's certificate authorities with mbedTLS as it starts, and
    // starts libssh2, which starts OpenSSL (generator/libgit2_start.cpp). The dynamic linker says
    // where it binds each name as it does (LD_DEBUG=bindings): in gongkai and gongkai-serve, to the
    // program's own definition; in the tests, which link libgit2 as it comes, to the libraries'.
    GitRepo repo;
    repo.write(basic_site());
    repo.commit("Seed");
    auto bindings = [&](const std::string& program, const std::string& args) {
        auto r = test::run("LD_DEBUG=bindings LD_BIND_NOW= " + test::shell_quote(program) + " " + args);
        std::map<std::string, std::string> found;  // libgit2's binding of each name
        std::istringstream lines(r.output);
        for (std::string l; std::getline(lines, l);)
            for (const char* name : {"mbedtls_x509_crt_parse_file", "libssh2_init"})
                if (l.find("binding file ") != std::string::npos &&
                    l.find("libgit2.so", l.find("binding file ")) < l.find(" to ") &&
                    l.find("`" + std::string(name) + "'") != std::string::npos)
                    found[name] = l;
        return found;
    };
    const auto checked = bindings(GONGKAI_TEST_BINARY, "check --repo " + test::shell_quote(repo.dir()) +
                                                           " --theme-dir " + test::shell_quote(fixture_themes_dir()));
    TempDir plain;  // not a repository: gongkai-serve starts libgit2, then stops
    const auto served = bindings(GONGKAI_TEST_SERVE_BINARY, "--repo " + test::shell_quote(plain.path().string()));
    const auto libraries = test::run("LD_TRACE_LOADED_OBJECTS=1 " + test::shell_quote(GONGKAI_TEST_BINARY));
    for (const auto& [name, library] : {std::pair{"mbedtls_x509_crt_parse_file", "libmbedx509"},
                                        std::pair{"libssh2_init", "libssh2"}}) {
        CAPTURE(name);
        auto it = checked.find(name);
        if (it == checked.end()) {
            // A libgit2 built without it (Debian 12's is built with both).
            REQUIRE(libraries.output.find(library) == std::string::npos);
            WARN("skipped: this libgit2 does not use " << library);
            continue;
        }
        INFO(it->second);
        CHECK(it->second.find("to " + std::string(GONGKAI_TEST_BINARY) + " ") != std::string::npos);
        auto served_it = served.find(name);
        REQUIRE(served_it != served.end());
        INFO(served_it->second);
        CHECK(served_it->second.find("to " + std::string(GONGKAI_TEST_SERVE_BINARY) + " ") != std::string::npos);
    }
}
