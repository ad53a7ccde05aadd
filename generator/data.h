#pragma once

#include <cstdint>
#include <string>

#include "analysis.h"
#include "content/model.h"
#include "writer.h"

namespace gongkai {

// Writes data/projects.json, data/reports.json, their JSON Schemas and CSV copies for spreadsheets.
void add_open_data(const Library& lib, const Analysis& analysis, const std::string& base_url, SiteFiles& files);

}  // namespace gongkai
