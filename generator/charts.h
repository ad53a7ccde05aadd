#pragma once

#include <string>

namespace gongkai {

// An inline SVG bar from 0 to 100 filled to percent, named for assistive technology by label
// ("完成率 90%"). The figure itself is also printed as text beside it by the templates, so the
// bar is never the only carrier of the number.
std::string completion_bar(double percent, const std::string& label);

}  // namespace gongkai
