#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis.h"
#include "content/model.h"
#include "writer.h"

namespace gongkai {

// What add_open_data makes: every file, or one of two parts that a build makes at different times.
// data/reports.json lists each report's sections, which a report's page finds as it renders the
// body: made before the pages, it would render the bodies a second time. The other files need
// nothing from the pages.
enum class OpenDataPart { all, reports_json, others };

// Writes data/projects.json, data/reports.json, their JSON Schemas and CSV copies for spreadsheets
// (or the part of them asked for). workers: threads to write them with (the bytes are the same for
// any number).
void add_open_data(const Library& lib, const Analysis& analysis, const std::string& base_url, SiteFiles& files,
                   unsigned workers = 1, OpenDataPart part = OpenDataPart::all);
// The files add_open_data writes.
const std::vector<std::string>& open_data_paths();

}  // namespace gongkai
