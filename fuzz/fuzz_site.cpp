// libFuzzer target: a whole build from an in-memory content set; see inputs.h and README.md.
#include <fstream>
#include <sstream>

#include "inputs.h"

namespace {

std::map<std::string, std::string> base;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::ifstream in(GONGKAI_FUZZ_BASE, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    base = gongkai::fuzz::sections(text.str());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    gongkai::fuzz::site(std::string_view(reinterpret_cast<const char*>(data), size), base, GONGKAI_FUZZ_THEMES);
    return 0;
}
