#include "cli.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "commands/build.h"
#include "commands/new.h"
#include "commands/version.h"
#include "parallel.h"

namespace gongkai {

namespace {

// --jobs: a whole number of threads, 0 for one per core, up to max_workers.
CLI::Validator thread_count() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            const bool digits = !value.empty() && value.size() <= 4 &&
                                value.find_first_not_of("0123456789") == std::string::npos;
            if (digits && std::stoul(value) <= max_workers) return "";
            return "takes a whole number of threads from 0 (one per core) to " + std::to_string(max_workers) +
                   (value.empty() ? ", and was given none" : ", not '" + value + "'");
        },
        "0-" + std::to_string(max_workers));
}

// --quiet and --verbose, which every command takes.
struct Noise {
    bool quiet = false;
    bool verbose = false;
    Verbosity level() const { return quiet ? Verbosity::quiet : verbose ? Verbosity::verbose : Verbosity::normal; }
};

void add_noise_options(CLI::App* command, Noise& noise) {
    auto* q = command->add_flag("--quiet,-q", noise.quiet, "Print errors only");
    command->add_flag("--verbose,-v", noise.verbose, "Also print what is read from where, and each stage's time")
        ->excludes(q);
}

CLI::Option* add_format_option(CLI::App* command, std::string& format) {
    return command
        ->add_option("--format", format,
                     "How to print problems: human (with the line and what to write instead), github (annotations "
                     "for GitHub Actions) or json")
        ->check(CLI::IsMember({"human", "github", "json"}))
        ->capture_default_str();
}

// The long names ("--out") of the options that take a value, in the app and all its commands.
std::set<std::string> options_with_values(const CLI::App& app) {
    std::set<std::string> names;
    for (const CLI::Option* option : app.get_options())
        if (option->get_items_expected_max() > 0)
            for (const auto& name : option->get_lnames()) names.insert("--" + name);
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
        names.merge(options_with_values(*command));
    return names;
}

// The command line with each "--name=" (a long option, nothing after the '=') that takes a value
// given as "--name" and an empty value. CLI11 2.1 reads "--name=" as "--name" taking the next
// argument for its value: `gongkai build --out= --no-cache` wrote the site into a folder named
// "--no-cache". A switch ("--force=") and an argument after "--" stay as they are.
std::vector<std::string> with_empty_values(const CLI::App& app, int argc, char** argv) {
    const std::set<std::string> valued = options_with_values(app);
    std::vector<std::string> args;
    bool options = true;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") options = false;
        if (i > 0 && options && arg.ends_with('=') && valued.contains(arg.substr(0, arg.size() - 1))) {
            args.push_back(arg.substr(0, arg.size() - 1));
            args.emplace_back();
        } else {
            args.push_back(arg);
        }
    }
    return args;
}

}  // namespace

int run_cli(int argc, char** argv, const ServeCommand& serve_command) {
    CLI::App app{"gongkai: public progress disclosure, from a git commit to a static site"};
    app.set_version_flag("--version", [] { return version_text(); }, "Print gongkai's and its libraries' versions");
    app.require_subcommand(1);

    SourceOptions source;
    BuildOptions options;
    Noise noise;
    std::string format = "human";
    std::string out = "site";
    std::string base_url;
    std::string themes_dir;

    CLI::App* build = app.add_subcommand("build", "Validate the content of a commit and write the site");
    add_source_options(build, source);
    build->add_option("--out,-o", out, "The folder to write the site into")->capture_default_str();
    build->add_option("--base-url", base_url, "Where the site is served, e.g. https://example.org/progress/");
    build->add_option("--theme-dir", themes_dir, "The folder that holds themes");
    build->add_flag("--force", options.force, "Replace an output folder that gongkai did not create");
    bool no_cache = false;
    build->add_flag("--no-cache", no_cache,
                    "Neither read nor keep the build cache beside the output folder (every page is rendered)");
    build->add_option("--jobs,-j", options.jobs, "Threads to build with; 0: one per core (the output is the same)")
        ->capture_default_str()
        ->check(thread_count());
    add_format_option(build, format);
    add_noise_options(build, noise);

    CLI::App* check = app.add_subcommand("check", "Validate the content of a commit; write nothing");
    add_source_options(check, source);
    check->add_option("--theme-dir", themes_dir, "The folder that holds themes");
    check->add_option("--jobs,-j", options.jobs, "Threads to use; 0: one per core")
        ->capture_default_str()
        ->check(thread_count());
    add_format_option(check, format);
    add_noise_options(check, noise);

    ServeOptions serve_options;
    CLI::App* serve = app.add_subcommand("serve", "Preview the working tree in a browser; rebuild and reload on change");
    add_source_options(serve, serve_options.source, false);
    serve->add_option("--ref", serve_options.source.ref, "The commit whose date and history the preview uses")
        ->capture_default_str();
    serve->add_option("--port,-p", serve_options.port, "The port to listen on; 0 for any free one")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serve->add_option("--bind", serve_options.bind, "The address to listen on")->capture_default_str();
    serve->add_option("--theme-dir", themes_dir, "The folder that holds themes");
    add_noise_options(serve, noise);

    NewOptions new_options;
    CLI::App* create = app.add_subcommand("new", "Start a new content file in the working tree");
    create->require_subcommand(1);
    add_noise_options(create, noise);
    CLI::App* new_site = create->add_subcommand("site", "Write gongkai.toml, the site settings");
    add_source_options(new_site, new_options.source, false);
    new_site->add_option("--title", new_options.title, "The site's name");
    new_site->add_option("--language", new_options.language, "zh-CN or en")->check(CLI::IsMember({"zh-CN", "en"}));
    CLI::App* new_department = create->add_subcommand("department", "Write departments/<id>.toml");
    add_source_options(new_department, new_options.source, false);
    new_department->add_option("id", new_options.id, "The department's id, e.g. education")->required();
    new_department->add_option("--name", new_options.name, "The department's full name");
    CLI::App* new_project = create->add_subcommand("project", "Write projects/<id>.md");
    add_source_options(new_project, new_options.source, false);
    new_project->add_option("id", new_options.id, "The project's id, e.g. 2020-043")->required();
    new_project->add_option("--title", new_options.title, "The item's title");
    new_project->add_option("--department", new_options.department, "The lead department's id");
    new_project->add_option("--year", new_options.year, "The year the item belongs to; default: this year")
        ->check(CLI::Range(1900, 2999));
    CLI::App* new_report = create->add_subcommand(
        "report", "Write reports/<project>/<period>.md, following the project's previous report");
    add_source_options(new_report, new_options.source, false);
    new_report->add_option("project", new_options.id, "The project's id")->required();
    new_report->add_option("period", new_options.period,
                           "The period: 2020-10, 2020-q3, 2020-h1 or 2020; default: the current one");
    for (auto* kind : {new_site, new_department, new_project, new_report}) add_noise_options(kind, noise);

    try {
        std::vector<std::string> args = with_empty_values(app, argc, argv);
        std::vector<char*> pointers;
        for (auto& arg : args) pointers.push_back(arg.data());
        app.parse(static_cast<int>(pointers.size()), pointers.data());
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }

    Console console(*parse_diagnostic_format(format), noise.level(), std::cout, std::cerr);
    if (!themes_dir.empty()) options.themes_dir = themes_dir;
    if (serve->parsed()) {
        if (serve_options.bind.empty()) {
            // cpp-httplib would take it for every address, not this machine's alone.
            console.fatal("--bind is empty: name the address to listen on, such as 127.0.0.1");
            return 2;
        }
        serve_options.themes_dir = options.themes_dir;
        return serve_command(serve_options, console);
    }
    if (create->parsed()) {
        for (auto* kind : create->get_subcommands())
            if (kind->parsed()) new_options.kind = kind->get_name();
        return run_new(new_options, console);
    }
    if (!base_url.empty()) options.base_url = base_url;
    if (build->parsed() && out.empty()) {
        console.fatal("--out is empty: name the folder to write the site into");
        return 2;
    }
    options.out = out;
    options.write = build->parsed();
    options.cache = !no_cache;
    return run_build(source, options, console);
}

}  // namespace gongkai
