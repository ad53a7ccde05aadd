#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fixture.h"

namespace gongkai::test {

struct CommandResult {
    int status = -1;     // the exit status, or -1 when the command did not exit normally
    std::string output;  // stdout and stderr together
};

// Runs a shell command line and waits for it.
CommandResult run(const std::string& command);
std::string shell_quote(const std::string& s);

// Starts a program (args[0], a path) without waiting for it, its output thrown away; returns its
// pid, for waitpid.
pid_t spawn(const std::vector<std::string>& args);

// True when a line of the output starts with prefix ("departments/a.toml:2:") and contains text;
// on failure the test's message shows the output.
bool says_at(const CommandResult& result, const std::string& prefix, const std::string& text);

// Runs the gongkai binary with args, each quoted, from the folder cwd.
CommandResult gongkai_cli(const std::vector<std::string>& args, const fs::path& cwd = fs::current_path());

// A real git repository in a temporary folder. Commits carry fixed names and dates, one day
// apart, so the same steps always make the same commit ids; the user's git configuration is
// not read.
class GitRepo {
public:
    // An empty repository whose HEAD names initial_branch.
    explicit GitRepo(const std::string& initial_branch = "main");
    const fs::path& path() const { return dir_.path(); }
    std::string dir() const { return dir_.path().string(); }

    void write(const std::string& rel, std::string_view data) const;
    void write(const Files& files) const;
    void remove(const std::string& rel) const;
    // Stages everything and commits; returns the new commit's id.
    std::string commit(const std::string& message);
    // Runs git with args in the repository; fails the test when git fails.
    std::string git(const std::string& args) const;

private:
    TempDir dir_;
    int commits_ = 0;
};

// One object of the repository's packs, as `git verify-pack -v` lists it.
struct PackedObject {
    std::string id;
    std::string type;  // "blob", "tree", ...
    std::uint64_t size = 0;
    std::uint64_t packed_size = 0;
    std::uint64_t offset = 0;
    bool delta = false;  // stored as a delta on another object
    fs::path pack;       // the .pack file
};
std::vector<PackedObject> packed_objects(const GitRepo& repo);

// Commits everything (or nothing new) with author and committer at when
// ("2020-11-05T12:00:00+08:00"); returns the commit's id. encoding: the message's bytes are in it
// (git's i18n.commitEncoding, such as "GBK"), not UTF-8.
std::string commit_at(const GitRepo& repo, const std::string& message, const std::string& when,
                      const std::string& encoding = "");

}  // namespace gongkai::test
