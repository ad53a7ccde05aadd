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
// Writes one of those files, open_data_paths()[index], as add_open_data does: a build makes each
// as a task of its own. data/reports.json lists each report's sections, which a report's page
// finds as it renders the body; the other files need nothing from the pages.
void add_open_data_file(const Library& lib, const Analysis& analysis, const std::string& base_url, SiteFiles& files,
                        std::size_t index, unsigned workers = 1);
// The files add_open_data writes.
const std::vector<std::string>& open_data_paths();

}  // namespace gongkai
