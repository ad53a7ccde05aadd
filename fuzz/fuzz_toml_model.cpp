// libFuzzer target: see inputs.h and README.md.
#include "inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    gongkai::fuzz::toml_model(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
