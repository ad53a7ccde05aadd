#include "git_repo.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <sstream>
#include <stdexcept>

namespace gongkai::test {

namespace {

// Keeps the user's and the system's git configuration (hooks, signing, templates) out of the tests.
const std::string git_env =
    "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0 "
    "GIT_AUTHOR_NAME='Gongkai Test' GIT_AUTHOR_EMAIL=test@example.org "
    "GIT_COMMITTER_NAME='Gongkai Test' GIT_COMMITTER_EMAIL=test@example.org ";

const std::string git_config =
    "-c user.name='Gongkai Test' -c user.email=test@example.org -c init.defaultBranch=main "
    "-c commit.gpgsign=false -c core.autocrlf=false";

}  // namespace

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

pid_t spawn(const std::vector<std::string>& args) {
    // Made before the fork: the child of a process with threads only calls what is safe there.
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    if (devnull >= 0) ::close(devnull);
    return pid;
}

CommandResult run(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run: " + command);
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
    int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

bool says_at(const CommandResult& result, const std::string& prefix, const std::string& text) {
    std::size_t pos = 0;
    while (pos < result.output.size()) {
        std::size_t end = result.output.find('\n', pos);
        if (end == std::string::npos) end = result.output.size();
        std::string line = result.output.substr(pos, end - pos);
        if (line.starts_with(prefix) && line.find(text) != std::string::npos) return true;
        pos = end + 1;
    }
    UNSCOPED_INFO("no line of the output starts with \"" << prefix << "\" and says \"" << text << "\":\n"
                                                         << result.output);
    return false;
}

CommandResult gongkai_cli(const std::vector<std::string>& args, const fs::path& cwd) {
    std::string command = "cd " + shell_quote(cwd.string()) + " && " + shell_quote(GONGKAI_TEST_BINARY);
    for (const auto& a : args) command += " " + shell_quote(a);
    return run(command);
}

GitRepo::GitRepo(const std::string& initial_branch) {
    git("init -q -b " + shell_quote(initial_branch));
}

std::string GitRepo::git(const std::string& args) const {
    // Git's raw date format: seconds since the epoch and a zone; 2020-10-21 12:00 in Shanghai.
    std::string date = "'" + std::to_string(1603252800 + 86400 * commits_) + " +0800'";
    std::string command = "cd " + shell_quote(dir()) + " && " + git_env + "GIT_AUTHOR_DATE=" + date +
                          " GIT_COMMITTER_DATE=" + date + " git " + git_config + " " + args;
    CommandResult r = run(command);
    if (r.status != 0) FAIL("git " << args << " failed (" << r.status << "):\n" << r.output);
    return r.output;
}

void GitRepo::write(const std::string& rel, std::string_view data) const {
    write_file(path() / rel, data);
}

void GitRepo::write(const Files& files) const {
    write_files(path(), files);
}

void GitRepo::remove(const std::string& rel) const {
    fs::remove(path() / rel);
}

std::string GitRepo::commit(const std::string& message) {
    git("add -A");
    git("commit -q -m " + shell_quote(message));
    ++commits_;
    std::string id = git("rev-parse HEAD");
    while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
    return id;
}

std::string commit_at(const GitRepo& repo, const std::string& message, const std::string& when,
                      const std::string& encoding) {
    std::string env =
        "export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME='Gongkai Test' "
        "GIT_AUTHOR_EMAIL=test@example.org GIT_COMMITTER_NAME='Gongkai Test' "
        "GIT_COMMITTER_EMAIL=test@example.org GIT_AUTHOR_DATE=" +
        shell_quote(when) + " GIT_COMMITTER_DATE=" + shell_quote(when) + "; ";
    auto r =
        run("cd " + shell_quote(repo.dir()) + " && " + env + "git add -A && git -c commit.gpgsign=false " +
            (encoding.empty() ? "" : "-c i18n.commitEncoding=" + shell_quote(encoding) + " ") + "commit -q " +
            "--allow-empty -m " + shell_quote(message) + " && git rev-parse HEAD");
    INFO(r.output);
    REQUIRE(r.status == 0);
    return r.output.substr(0, 40);
}

std::vector<PackedObject> packed_objects(const GitRepo& repo) {
    std::vector<PackedObject> objects;
    for (const auto& e : fs::directory_iterator(repo.path() / ".git/objects/pack")) {
        if (e.path().extension() != ".idx") continue;
        // "<id> <type> <size> <size in the pack> <offset>", and for a delta its depth and base.
        std::istringstream lines(repo.git("verify-pack -v " + shell_quote(e.path().string())));
        for (std::string line; std::getline(lines, line);) {
            std::istringstream fields(line);
            std::vector<std::string> f;
            for (std::string word; fields >> word;) f.push_back(word);
            if (f.size() < 5 || f[0].size() != 40) continue;  // the summary lines
            objects.push_back({f[0], f[1], std::stoull(f[2]), std::stoull(f[3]), std::stoull(f[4]), f.size() > 5,
                               fs::path(e.path()).replace_extension(".pack")});
        }
    }
    return objects;
}

}  // namespace gongkai::test
