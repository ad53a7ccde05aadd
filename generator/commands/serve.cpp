#include "commands/serve.h"

#include <signal.h>
#include <stdlib.h>

#include <chrono>

#include "commands/preview.h"
#include "commands/preview_server.h"
#include "commands/watch.h"
#include "site.h"
#include "theme.h"

namespace gongkai {

namespace fs = std::filesystem;

namespace {

// A temporary folder, removed with its contents when the preview ends.
class TempFolder {
public:
    TempFolder() {
        std::string pattern = (fs::temp_directory_path() / "gongkai-serve-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
        path_ = pattern;
    }
    ~TempFolder() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// Builds the working tree into out; returns the error page, or "" when the build succeeded.
std::string build_preview(const OpenSource& source, const ServeOptions& o, const std::string& base_url,
                          const fs::path& out, Console& console, std::uint64_t generation) {
    BuildOptions options;
    options.themes_dir = o.themes_dir;
    options.base_url = base_url;
    options.out = out;
    auto started = std::chrono::steady_clock::now();
    Diagnostics diagnostics;
    SourceTexts texts;
    try {
        BuildResult result = build_site(*source.content, options);
        diagnostics = result.diagnostics;
        if (!diagnostics.items().empty()) texts = SourceTexts::quoted(*source.content, o.source.dir(), diagnostics);
        console.diagnostics(diagnostics, texts);
        if (result.ok()) {
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
            console.note("built " + std::to_string(result.files) + " files in " + std::to_string(ms.count()) + " ms");
            return "";
        }
        console.error_summary(diagnostics, "the browser shows them until they are fixed");
    } catch (const std::exception& e) {
        console.fatal(e.what());
        diagnostics.error("", 0, 0, "", e.what());
    }
    std::string text;
    for (const auto& d : diagnostics.items()) text += format_human(d, texts) + "\n";
    return error_page(text, texts.language(), generation);
}

// The commit the preview's dates and history come from; a new commit is a change too.
std::string head_of(const git::Repository& repo, const std::string& ref) {
    try {
        git::CommitPtr c = repo.resolve(ref);
        return git::oid_string(git_commit_id(c.get()));
    } catch (const git::Error&) {
        return "";
    }
}

}  // namespace

int run_serve(const ServeOptions& o, Console& console) {
    // Ctrl-C is awaited by this thread alone: blocked here, before any thread starts, so the
    // server's threads inherit the mask and sigtimedwait below receives it.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);  // a closed tab is a failed write, not the end of gongkai

    SourceOptions source = o.source;
    source.worktree = true;
    OpenSource open;
    fs::path root;
    std::optional<TempFolder> temp;
    try {
        open = open_source(source);
        root = content_root(*open.repo, source);
        temp.emplace();
    } catch (const std::exception& e) {
        console.fatal(e.what());
        return 2;
    }
    const fs::path themes = find_themes_dir(o.themes_dir);
    console.detail("themes from " + themes.string());

    fs::path site = temp->path() / "site";
    PreviewServer server(site);
    int port = server.bind(o.bind, o.port);
    if (port == 0) {
        console.fatal("cannot listen on " + o.bind + ":" + std::to_string(o.port) +
                      " (is another gongkai serve running? choose another --port)");
        return 2;
    }
    std::string host = o.bind == "0.0.0.0" ? "127.0.0.1" : o.bind.find(':') != std::string::npos ? "[" + o.bind + "]" : o.bind;
    std::string url = "http://" + host + ":" + std::to_string(port) + "/";
    auto rebuild = [&] { server.publish(build_preview(open, o, url, site, console, server.next_generation())); };
    rebuild();  // before the first request, so it sees a site
    server.start();

    Watcher watcher({root, themes}, [&] { return head_of(*open.repo, source.ref); });
    console.note("serving the working tree of " + root.string() + " at " + url + " (press Ctrl-C to stop)");
    for (;;) {
        timespec poll{0, 300'000'000};
        int received = sigtimedwait(&stop_signals, nullptr, &poll);
        if (received == SIGINT || received == SIGTERM) break;
        if (watcher.changed()) {
            console.detail("a file changed; rebuilding");
            rebuild();
        }
    }
    server.stop();
    console.note("stopped");
    return 0;
}

}  // namespace gongkai
