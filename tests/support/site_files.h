#pragma once

#include <string>
#include <vector>

#include "fixture.h"
#include "writer.h"

namespace gongkai::test {

// True when the page at path (relative to the site folder dir) exists and contains text. On
// failure the test's message names the page and the text.
bool file_contains(const fs::path& dir, const std::string& path, const std::string& text);
// True when the page exists and does not contain text.
bool file_lacks(const fs::path& dir, const std::string& path, const std::string& text);
bool file_exists(const fs::path& dir, const std::string& path);

// The same, for a site rendered into memory.
bool page_contains(const SiteFiles& site, const std::string& path, const std::string& text);
bool page_lacks(const SiteFiles& site, const std::string& path, const std::string& text);

// Every file below dir, as sorted relative paths.
std::vector<std::string> list_files(const fs::path& dir);

// How two folders differ: files only in one, and files whose bytes differ; empty when identical.
std::vector<std::string> differences(const fs::path& a, const fs::path& b);

// Snapshot of a folder (path -> bytes), to compare a folder with itself later.
Files read_tree(const fs::path& dir);

// text with each run of white space made one space, and none at the ends.
std::string squeezed(const std::string& text);
// True when the page says text, white space aside; on failure the message names both.
bool says(const fs::path& site, const std::string& page, const std::string& text);
// True when the page exists and does not say text, white space aside.
bool never_says(const fs::path& site, const std::string& page, const std::string& text);

}  // namespace gongkai::test
