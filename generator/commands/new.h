#pragma once

#include <optional>
#include <string>

#include "commands/console.h"
#include "commands/source.h"

namespace gongkai {

// What `gongkai new` is asked to write.
struct NewOptions {
    SourceOptions source;     // --repo and --content-dir: where the working tree's content is
    std::string kind;         // "site", "department", "project" or "report"
    std::string id;           // the department's or project's id; a report's project
    std::string period;       // a report's period id; "" for the current one
    std::string name;         // --name: a department's full name
    std::string title;        // --title: a project's or the site's title
    std::string department;   // --department: a project's lead department
    std::optional<int> year;  // --year: a project's year
    std::string language;     // --language: a new site's language
};

// Writes one new file into the working tree and prints its path on stdout. Returns 0 when it
// was written, 1 when it was refused (the file exists, a bad id, an unknown project), 2 when
// gongkai could not run (no repository, a bare one, an unwritable folder).
int run_new(const NewOptions& options, Console& console);

}  // namespace gongkai
