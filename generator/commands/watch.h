#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gongkai {

// Notices changes below some folders by comparing, at each call, every file's path, size and
// modification time with the last call's: polling, which works on every file system and
// editor (those that save by renaming included) without inotify's limits.
class Watcher {
public:
    // extra adds to what is compared (the commit HEAD names, say); folders named .git are skipped.
    explicit Watcher(std::vector<std::filesystem::path> roots, std::function<std::string()> extra = {});

    // True when something changed since the last call (or since the watcher was made).
    bool changed();

private:
    std::string fingerprint() const;

    std::vector<std::filesystem::path> roots_;
    std::function<std::string()> extra_;
    std::string last_;
};

}  // namespace gongkai
