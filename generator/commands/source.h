#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "content/source.h"
#include "git/repository.h"

namespace CLI {
class App;
}

namespace gongkai {

// Where a command reads the content: the options build, check and serve share.
struct SourceOptions {
    std::string repo = ".";
    std::string ref = "HEAD";
    std::string content_dir;
    bool worktree = false;

    // content_dir without "./" or trailing slashes; "" for the repository's root.
    std::string dir() const;
};

// Adds --repo and --content-dir, and with a commit to read also --ref and --worktree.
void add_source_options(CLI::App* command, SourceOptions& options, bool commit = true);

// An open repository and the content source that reads from it (which refers to it).
struct OpenSource {
    std::unique_ptr<git::Repository> repo;
    std::unique_ptr<ContentSource> content;
};

// Opens what the options name; throws git::Error when there is no repository, or when the
// working tree is asked of a bare one.
OpenSource open_source(const SourceOptions& options);

// The content folder in the repository's working tree; throws git::Error for a bare repository.
std::filesystem::path content_root(const git::Repository& repo, const SourceOptions& options);

}  // namespace gongkai
