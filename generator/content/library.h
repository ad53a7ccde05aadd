#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "content/model.h"
#include "content/source.h"
#include "diagnostics.h"

namespace gongkai {

// Departments, projects and reports parsed by an earlier build, by content path, each with the
// git blob id it was parsed from. Only files that parsed without any diagnostic are kept, so
// reusing one reports nothing that parsing it again would have reported.
struct ParsedFile {
    std::string oid;
    std::variant<Department, Project, Report> value;
};
// Looked up by the ten thousand: hashed, as paths share long prefixes.
using ParsedFiles = std::unordered_map<std::string, ParsedFile>;
// Content paths (of the files a build may reuse).
using PathSet = std::unordered_set<std::string>;

// Sorts a snapshot's files by what they are, parses each, and checks what spans files:
// references between them, duplicate periods, the site settings' presence. Returns the library
// only when no error was found; every problem is in diagnostics either way.
// A snapshot file marked reused is moved out of reuse (which must hold it with the same blob id);
// with clean, the content path of every file with a blob id that drew no diagnostic is added to it.
// workers: threads to parse with (0: one per core).
std::optional<Library> load_library(const Snapshot& snapshot, Diagnostics& diagnostics, ParsedFiles* reuse = nullptr,
                                    PathSet* clean = nullptr, unsigned workers = 0);
// As load_library, releasing each department, project and report file's text from snapshot once
// it is parsed, so a site's texts and its parsed library are never held whole at the same time.
std::optional<Library> load_library_releasing(Snapshot& snapshot, Diagnostics& diagnostics,
                                              ParsedFiles* reuse = nullptr, PathSet* clean = nullptr,
                                              unsigned workers = 0);

}  // namespace gongkai
