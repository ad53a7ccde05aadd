#pragma once

#include <string_view>

#include "diagnostics.h"

namespace gongkai {

// What a diagnostic means and what to write instead, in the site's language: "zh-CN" gives
// Chinese for the messages editors meet most; other languages, and messages without a
// translation, give the English message split by split_advice.
Advice explain(const Diagnostic& d, std::string_view language);

}  // namespace gongkai
