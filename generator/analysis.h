#pragma once

#include <map>
#include <string>

#include "content/model.h"
#include "history.h"
#include "schedule.h"

namespace gongkai {

// What a build knows beyond the content itself: the build's "now", the schedule judgements, and
// the record from git. Computed once, before any page is rendered.
struct Analysis {
    Date today;                                         // the commit's date
    std::int64_t now = 0;                               // the commit's time, seconds since the epoch
    std::map<std::string, ProjectSchedule> schedules;   // by project id
    History history;                                    // empty when not built from a commit
    bool has_history = false;

    const FileHistory* history_of(const std::string& content_path) const {
        auto it = history.files.find(content_path);
        return it == history.files.end() ? nullptr : &it->second;
    }
};

}  // namespace gongkai
