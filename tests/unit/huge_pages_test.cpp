// Huge pages held off for the whole of a program's run (generator/huge_pages.cpp).
#include <sys/prctl.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "content/source.h"
#include "fixture.h"
#include "huge_pages.h"
#include "site.h"

using namespace gongkai;
using namespace gongkai::test;

namespace {

// The kernel's word on whether this process may have transparent huge pages ("THP_enabled" in
// /proc/self/status, since Linux 5.0); none where it does not say.
std::optional<bool> huge_pages_enabled() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("THP_enabled:", 0) == 0) return line.find('1') != std::string::npos;
    return std::nullopt;
}

}  // namespace

TEST_CASE("huge pages: held off, and still held after a build", "[unit][huge_pages]") {
    if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled") || huge_pages_enabled() != true) {
        WARN("skipped: this kernel has no huge pages, does not say, or holds them off for this process");
        return;
    }
    if (!hold_huge_pages()) {
        WARN("skipped: the kernel did not let this process hold huge pages off");
        return;
    }
    CHECK(huge_pages_enabled() == false);
    Files files = basic_site();
    MemorySource source(files);
    BuildOptions options;
    options.write = false;
    options.themes_dir = source_themes_dir();
    REQUIRE(build_site(source, options).ok());
    CHECK(huge_pages_enabled() == false);
    // Held off already (by whoever started the process, here by the hold above): it stays so.
    CHECK_FALSE(hold_huge_pages());
    CHECK(huge_pages_enabled() == false);
    REQUIRE(::prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) == 0);  // as the test process was
    CHECK(huge_pages_enabled() == true);
}
