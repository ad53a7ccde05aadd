// What each fuzz target does with one input, shared by the libFuzzer targets in this folder and
// by the test that replays fuzz/regressions/ in every build (tests/integration/bad_input_test.cpp).
// Each function must return normally for any bytes: a crash, a hang or a sanitizer report is a bug.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "content/frontmatter.h"
#include "content/parse.h"
#include "content/source.h"
#include "markdown.h"
#include "site.h"
#include "utf8.h"

namespace gongkai::fuzz {

// The front-matter split, and the TOML parse of what it found.
inline void front_matter(std::string_view data) {
    Diagnostics diagnostics;
    auto fm = split_front_matter(data, "reports/2020-001/2020-10.md", diagnostics);
    if (fm) (void)fm->toml.size();
}

// The input as each kind of file gongkai reads: settings, a department, a project, a report.
inline void toml_model(std::string_view data) {
    std::string text(data);
    Diagnostics diagnostics;
    (void)parse_config({"gongkai.toml", "gongkai.toml", text}, diagnostics);
    (void)parse_department({"departments/education.toml", "departments/education.toml", text}, diagnostics);
    (void)parse_project({"projects/2020-001.md", "projects/2020-001.md", text}, diagnostics);
    (void)parse_report({"reports/2020-001/2020-10.md", "reports/2020-001/2020-10.md", text}, diagnostics);
    for (const auto& d : diagnostics.items()) (void)format(d);
}

// The checks a build makes of every Markdown text, and rendering of what they let through (as a
// build renders only what they let through: a text file is valid UTF-8 without a NUL byte).
inline void markdown(std::string_view data) {
    if (looks_binary(data) || first_invalid_utf8(data)) return;
    if (find_render_limit(data) || find_deep_nesting(data)) return;
    RenderedMarkdown out = render_markdown(data);
    (void)out.html.size();
}

// Files written as "-- path --" sections, like the bad-input corpus: an in-memory content set.
inline std::map<std::string, std::string> sections(std::string_view text) {
    std::map<std::string, std::string> files;
    std::string* current = nullptr;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.size() > 6 && line.starts_with("-- ") && line.ends_with(" --")) {
            current = &files[std::string(line.substr(3, line.size() - 6))];
            continue;
        }
        if (current) {
            current->append(line);
            current->push_back('\n');
        }
    }
    return files;
}

// A whole build in memory: base content with the input's sections laid over it, read, validated
// and rendered with the theme in themes_dir. Nothing is written.
inline void site(std::string_view data, const std::map<std::string, std::string>& base, const std::string& themes_dir) {
    auto files = base;
    for (auto& [path, text] : sections(data)) files[path] = std::move(text);
    MemorySource source(std::move(files), 1603252800);
    BuildOptions options;
    options.write = false;
    options.themes_dir = themes_dir;
    options.jobs = 1;
    BuildResult result = build_site(source, options);
    (void)result.ok();
}

}  // namespace gongkai::fuzz
