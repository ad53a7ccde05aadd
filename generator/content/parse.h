#pragma once

#include <optional>
#include <string_view>

#include "content/model.h"
#include "content/source.h"
#include "diagnostics.h"

namespace gongkai {

// Each reads one file's text into the model, reporting every problem to diagnostics. A result is
// returned whenever the file could be read far enough for its references to be checked too, so
// one run reports as many mistakes as it can; it is only used when diagnostics hold no error.
std::optional<SiteConfig> parse_config(const SourceFile& file, Diagnostics& diagnostics);
std::optional<Department> parse_department(const SourceFile& file, Diagnostics& diagnostics);
std::optional<Project> parse_project(const SourceFile& file, Diagnostics& diagnostics);
std::optional<Report> parse_report(const SourceFile& file, Diagnostics& diagnostics);

// True for a base URL the site may be served at: http:// or https:// with a host, or a path from
// the root ("/progress/"), without spaces, controls, quotes or angle brackets. gongkai.toml's
// base_url is checked with it; so should --base-url be.
bool is_valid_base_url(std::string_view url);

}  // namespace gongkai
