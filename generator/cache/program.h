#pragma once

#include <string>

namespace gongkai {

// What names this build of gongkai and the libraries it runs with: a digest of the GNU build id
// of the program and of every shared library loaded with it (the kernel's vDSO aside; for one
// without a build id, its path, size and modification time). The build cache holds pages
// rendered by this code; a cache written by other code (gongkai rebuilt from changed sources
// under the same version number, cmark-gfm or libgit2 upgraded by the system) is not trusted, and
// the build is a full one.
//
// Worked out on the first call and the same for the rest of the process. The program (and the
// test program) asks at its start, so that only the libraries it starts with count, not any a
// library loads later.
const std::string& program_fingerprint();

}  // namespace gongkai
