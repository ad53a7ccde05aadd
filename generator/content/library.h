#pragma once

#include <optional>

#include "content/model.h"
#include "content/source.h"
#include "diagnostics.h"

namespace gongkai {

// Sorts a snapshot's files by what they are, parses each, and checks what spans files:
// references between them, duplicate periods, the site settings' presence. Returns the library
// only when no error was found; every problem is in diagnostics either way.
std::optional<Library> load_library(const Snapshot& snapshot, Diagnostics& diagnostics);

}  // namespace gongkai
