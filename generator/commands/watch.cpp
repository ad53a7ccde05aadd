#include "commands/watch.h"

namespace gongkai {

namespace fs = std::filesystem;

Watcher::Watcher(std::vector<fs::path> roots, std::function<std::string()> extra)
    : roots_(std::move(roots)), extra_(std::move(extra)), last_(fingerprint()) {}

bool Watcher::changed() {
    std::string now = fingerprint();
    if (now == last_) return false;
    last_ = std::move(now);
    return true;
}

std::string Watcher::fingerprint() const {
    std::string out = extra_ ? extra_() : std::string();
    for (const auto& root : roots_) {
        out += '\n' + root.string();
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (it->path().filename() == ".git") {
                it.disable_recursion_pending();
                continue;
            }
            std::error_code stat_ec;
            auto status = it->symlink_status(stat_ec);
            out += '\n' + it->path().string() + ' ' + std::to_string(static_cast<int>(status.type()));
            if (status.type() != fs::file_type::regular) continue;
            auto time = it->last_write_time(stat_ec);
            out += ' ' + std::to_string(time.time_since_epoch().count()) + ' ' +
                   std::to_string(it->file_size(stat_ec));
        }
    }
    return out;
}

}  // namespace gongkai
