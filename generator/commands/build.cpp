#include "commands/build.h"

#include "content/parse.h"
#include "utf8.h"

#include "commands/progress.h"
#include "parallel.h"
#include "theme.h"

namespace gongkai {

namespace {

// The files the diagnostics quote and the content's language, read a second time only when there
// is something to quote: builds without diagnostics never pay for it.
SourceTexts texts_for(ContentSource& content, const std::string& prefix, const Diagnostics& diagnostics,
                      const Console& console) {
    if (diagnostics.items().empty() || console.format() != DiagnosticFormat::human) return {};
    return SourceTexts::quoted(content, prefix, diagnostics);
}

}  // namespace

int run_build(const SourceOptions& source, BuildOptions options, Console& console) {
    if (options.base_url && !is_valid_base_url(*options.base_url)) {
        console.fatal("--base-url '" + printable(*options.base_url, 200) +
                      "' is not a web address: write it like https://example.org/progress/ or /progress/");
        return 2;
    }
    // Each stage runs on at most --jobs threads, those build_site is not given a count of
    // threads too (reading the commit, checking and removing folders, the cache). Two may run at
    // once: the published site is checked while the content is read.
    const ThreadBudget budget(options.jobs);
    try {
        OpenSource open = open_source(source);
        console.detail("reading " + std::string(source.worktree ? "the working tree of " : "") + source.ref + " in " +
                       source.repo + (source.dir().empty() ? "" : ", content folder " + source.dir()));
        console.detail("themes from " + find_themes_dir(options.themes_dir).string());
        Progress progress(console.verbosity(), console.err());
        options.progress = progress.callback();
        options.ending = true;  // gongkai exits once the result is reported
        BuildResult result = build_site(*open.content, options);
        progress.finish();
        console.diagnostics(result.diagnostics, texts_for(*open.content, source.dir(), result.diagnostics, console));
        if (!result.ok()) {
            console.error_summary(result.diagnostics, "nothing was written");
            return 1;
        }
        if (options.write && result.incremental)
            console.detail("incremental build: rendered " + std::to_string(result.pages_rendered) + " of " +
                           std::to_string(result.pages_total) + " pages; took " + std::to_string(result.entries_kept) +
                           " reports' entries of data/reports.json as published");
        else if (options.write)
            console.detail("full build: " + (result.full_reason.empty() ? "no cache" : result.full_reason));
        if (options.write)
            console.note("wrote " + std::to_string(result.files) + " files to " + options.out.string());
        else
            console.note("no errors found (" + std::to_string(result.files) + " files would be written)");
        return 0;
    } catch (const git::Error& e) {
        console.fatal(e.what());
        return 2;
    } catch (const WriteError& e) {
        const std::string what = e.what();
        console.fatal(e.site_moved() ? what : what + "; the previous site was left as it was");
        return 2;
    } catch (const std::exception& e) {
        console.fatal(e.what());
        return 2;
    }
}

}  // namespace gongkai
