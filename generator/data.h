#pragma once

#include <cstdint>
#include <string>
#include <string_view>
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

// Appends s as a JSON string, quoted. Escapes < > & too, and U+2028/U+2029, so the text stays
// inert if pasted into HTML or a script.
void append_json_string(std::string& out, std::string_view s);

}  // namespace gongkai
