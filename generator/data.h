#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis.h"
#include "content/model.h"
#include "writer.h"

namespace gongkai {

// Writes data/projects.json, data/reports.json, their JSON Schemas and CSV copies for spreadsheets.
// workers: threads to write them with (the bytes are the same for any number).
void add_open_data(const Library& lib, const Analysis& analysis, const std::string& base_url, SiteFiles& files,
                   unsigned workers = 1);
// The files add_open_data writes.
const std::vector<std::string>& open_data_paths();

}  // namespace gongkai
