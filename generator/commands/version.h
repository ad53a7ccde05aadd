#pragma once

#include <string>

namespace gongkai {

// gongkai's version and, one per line, the versions of the libraries it was built with (and, for
// libgit2, cmark-gfm, xxHash and jemalloc, the ones it runs with): what a bug report or a
// security review needs. jemalloc is listed only by a program that uses it.
std::string version_text();

}  // namespace gongkai
