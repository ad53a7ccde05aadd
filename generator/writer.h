#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

namespace gongkai {

class WriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The site being built: relative path -> bytes. Paths are checked so none escapes the site.
class SiteFiles {
public:
    // Adds a file; throws WriteError for an unsafe or duplicate path.
    void add(const std::string& path, std::string data);
    const std::map<std::string, std::string>& files() const { return files_; }

private:
    std::map<std::string, std::string> files_;
};

// The file gongkai leaves in every folder it writes, so it never replaces a folder it did not make.
inline constexpr const char* site_marker = ".gongkai-site";

struct WriteOptions {
    bool force = false;  // replace an output folder gongkai did not create
};

// Writes files into a new folder beside out and swaps it in for out in one rename, so readers
// and a failed build only ever see the old site or the whole new one.
void write_site(const std::filesystem::path& out, const SiteFiles& files, const WriteOptions& options = {});

}  // namespace gongkai
