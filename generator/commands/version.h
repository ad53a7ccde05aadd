#pragma once

#include <string>

namespace gongkai {

// gongkai's version and, one per line, the versions of the libraries it was built with (and, for
// libgit2 and cmark-gfm, the ones it runs with): what a bug report needs.
std::string version_text();

}  // namespace gongkai
