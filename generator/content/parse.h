#pragma once

#include <optional>

#include "content/model.h"
#include "content/source.h"
#include "diagnostics.h"

namespace gongkai {

// Each reads one file's text into the model, reporting every problem to diagnostics; a result
// is returned only when the file is usable. Cross-file checks are the library's.
std::optional<SiteConfig> parse_config(const SourceFile& file, Diagnostics& diagnostics);
std::optional<Department> parse_department(const SourceFile& file, Diagnostics& diagnostics);
std::optional<Project> parse_project(const SourceFile& file, Diagnostics& diagnostics);
std::optional<Report> parse_report(const SourceFile& file, Diagnostics& diagnostics);

}  // namespace gongkai
