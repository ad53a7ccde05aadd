#include "commands/source.h"

#include <CLI/CLI.hpp>

namespace gongkai {

std::string SourceOptions::dir() const {
    std::string s = content_dir;
    while (!s.empty() && s.back() == '/') s.pop_back();
    while (s.starts_with("./")) s.erase(0, 2);
    return s == "." ? "" : s;
}

void add_source_options(CLI::App* command, SourceOptions& o, bool commit) {
    command->add_option("--repo", o.repo,
                        "The content's git repository (working tree or bare); default: the one you stand in");
    command->add_option("--content-dir", o.content_dir, "The folder within the repository that holds gongkai.toml");
    if (!commit) return;
    command->add_option("--ref", o.ref, "The commit to read: a branch, tag or commit id")->capture_default_str();
    command->add_flag("--worktree", o.worktree, "Read uncommitted files from the working tree (preview)");
}

OpenSource open_source(const SourceOptions& o) {
    git::check_ref_given(o.ref);
    OpenSource s;
    s.repo = std::make_unique<git::Repository>(o.repo);
    if (o.worktree) s.repo->workdir();  // says plainly that a bare repository has no working tree
    s.content = std::make_unique<git::CommitSource>(*s.repo, o.ref, o.dir(), o.worktree);
    return s;
}

std::filesystem::path content_root(const git::Repository& repo, const SourceOptions& o) {
    std::filesystem::path root = repo.workdir();
    if (!o.dir().empty()) root /= o.dir();
    return root.lexically_normal();
}

}  // namespace gongkai
