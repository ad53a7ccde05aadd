#include "cli.h"

#include <CLI/CLI.hpp>
#include <git2.h>

#include <iostream>
#include <memory>

#include "git/repository.h"
#include "site.h"
#include "writer.h"

namespace gongkai {

namespace {

struct SourceOptions {
    std::string repo = ".";
    std::string ref = "HEAD";
    std::string content_dir;
    bool worktree = false;
};

void add_source_options(CLI::App* cmd, SourceOptions& o) {
    cmd->add_option("--repo", o.repo, "The content's git repository (working tree or bare); default: the one you stand in");
    cmd->add_option("--ref", o.ref, "The commit to read: a branch, tag or commit id")->capture_default_str();
    cmd->add_option("--content-dir", o.content_dir, "The folder within the repository that holds gongkai.toml");
    cmd->add_flag("--worktree", o.worktree, "Read uncommitted files from the working tree (preview)");
}

std::string trim_slashes(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    while (s.starts_with("./")) s.erase(0, 2);
    return s == "." ? "" : s;
}

// Opens the content source the options name; the repository must outlive it.
std::unique_ptr<ContentSource> open_source(const SourceOptions& o, std::unique_ptr<git::Repository>& repo) {
    repo = std::make_unique<git::Repository>(o.repo);
    std::string dir = trim_slashes(o.content_dir);
    if (o.worktree) repo->workdir();  // says plainly that a bare repository has no working tree
    return std::make_unique<git::CommitSource>(*repo, o.ref, dir, o.worktree);
}

int report(const BuildResult& result, const char* done) {
    print(std::cerr, result.diagnostics);
    if (!result.ok()) {
        std::cerr << "gongkai: " << result.diagnostics.error_count() << " error(s)";
        if (result.diagnostics.warning_count()) std::cerr << ", " << result.diagnostics.warning_count() << " warning(s)";
        std::cerr << "; nothing was written\n";
        return 1;
    }
    std::cerr << "gongkai: " << done << '\n';
    return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"gongkai: public progress disclosure, from a git commit to a static site"};
    app.set_version_flag("--version", std::string("gongkai ") + GONGKAI_VERSION + " (libgit2 " + LIBGIT2_VERSION +
                                          ", cmark-gfm, toml++, kainjow mustache)");
    app.require_subcommand(1);

    SourceOptions source;
    BuildOptions options;
    std::string out = "site";
    std::string base_url;
    std::string themes_dir;

    CLI::App* build = app.add_subcommand("build", "Validate the content of a commit and write the site");
    add_source_options(build, source);
    build->add_option("--out,-o", out, "The folder to write the site into")->capture_default_str();
    build->add_option("--base-url", base_url, "Where the site is served, e.g. https://example.org/progress/");
    build->add_option("--theme-dir", themes_dir, "The folder that holds themes");
    build->add_flag("--force", options.force, "Replace an output folder that gongkai did not create");

    CLI::App* check = app.add_subcommand("check", "Validate the content of a commit; write nothing");
    add_source_options(check, source);
    check->add_option("--theme-dir", themes_dir, "The folder that holds themes");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }

    if (!base_url.empty()) options.base_url = base_url;
    if (!themes_dir.empty()) options.themes_dir = themes_dir;
    options.out = out;
    options.write = build->parsed();

    try {
        std::unique_ptr<git::Repository> repo;
        auto content = open_source(source, repo);
        BuildResult result = build_site(*content, options);
        if (options.write)
            return report(result, ("wrote " + std::to_string(result.files) + " files to " + out).c_str());
        return report(result, "no errors found");
    } catch (const git::Error& e) {
        std::cerr << "gongkai: error: " << e.what() << '\n';
        return 2;
    } catch (const WriteError& e) {
        std::cerr << "gongkai: error: " << e.what() << "\ngongkai: the previous site was left as it was\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "gongkai: error: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace gongkai
