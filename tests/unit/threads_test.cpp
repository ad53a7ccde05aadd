#include <catch2/catch.hpp>

#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "parallel.h"
#include "writer.h"

#include "fixture.h"

using namespace gongkai;

namespace {

// The process's address space in bytes (VmSize).
std::uint64_t address_space() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmSize:", 0) == 0) return std::stoull(line.substr(7)) * 1024;
    return 0;
}

}  // namespace

TEST_CASE("threads: --jobs, the budget and the most threads", "[threads]") {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    CHECK(worker_count(0) == cores);
    CHECK(worker_count(3) == 3);
    CHECK(worker_count(max_workers + 1) == max_workers);
    CHECK(worker_count(4'000'000'000u) == max_workers);
    {
        ThreadBudget budget(1);
        CHECK(worker_count(0) == 1);
        CHECK(worker_count(5) == 5);  // asked for in so many words
    }
    CHECK(worker_count(0) == cores);
}

TEST_CASE("threads: parallel_for calls each index once, on workers it numbers from 0", "[threads]") {
    constexpr std::size_t n = 5000;
    std::vector<std::atomic<int>> calls(n);
    std::vector<std::atomic<int>> by_worker(4);
    parallel_for(n, 4, [&](std::size_t i, unsigned worker) {
        calls[i]++;
        by_worker.at(worker)++;
    });
    for (std::size_t i = 0; i < n; ++i) REQUIRE(calls[i] == 1);
    int total = 0;
    for (auto& count : by_worker) total += count;
    CHECK(total == static_cast<int>(n));

    // The first exception is rethrown once every thread has stopped.
    std::atomic<int> done{0};
    CHECK_THROWS_WITH(parallel_for(n, 4,
                                   [&](std::size_t i, unsigned) {
                                       if (i == 10) throw std::runtime_error("item 10");
                                       done++;
                                   }),
                      "item 10");
    CHECK(done < static_cast<int>(n));
}

TEST_CASE("threads: where the system starts fewer threads than asked, those it starts do the work", "[threads]") {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    WARN("skipped: a sanitizer's allocator needs more address space than the test leaves");
#else
    // A child process whose address space has room for three threads' stacks and no more asks
    // for 64 threads. It used to end in std::terminate, the vector of threads destroyed with
    // threads still running. Each item takes long enough (2 ms) that every thread started
    // takes some: fewer workers than 64 means fewer threads started.
    constexpr std::size_t n = 400;
    std::vector<std::atomic<int>> calls(n);
    std::vector<std::atomic<int>> by_worker(64);
    pthread_attr_t defaults;
    std::size_t stack = 0;
    REQUIRE(::pthread_getattr_default_np(&defaults) == 0);
    REQUIRE(::pthread_attr_getstacksize(&defaults, &stack) == 0);
    ::pthread_attr_destroy(&defaults);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const rlim_t room = address_space() + 3 * (stack + (64u << 10)) + (4u << 20);
        const rlimit limit{room, room};
        if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(3);
        try {
            parallel_for(n, 64, [&](std::size_t i, unsigned worker) {
                calls[i]++;
                by_worker[worker]++;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            });
        } catch (...) {
            ::_exit(4);
        }
        int workers = 0;
        for (auto& count : by_worker) workers += count > 0 ? 1 : 0;
        for (auto& count : calls)
            if (count != 1) ::_exit(5);
        // 1: the work was done by more than one thread and fewer than were asked for.
        ::_exit(workers > 1 && workers < 64 ? 1 : 6);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("wait status " << status);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
#endif
}

TEST_CASE("threads: with a budget of one thread, checking a site's files stays on the calling thread", "[threads]") {
    test::TempDir dir;
    Manifest manifest;
    for (int i = 0; i < 50; ++i) {
        const std::string path = "p" + std::to_string(i) + "/index.html";
        test::write_file(dir / "site" / path, "page\n");
        manifest[path] = OutputEntry{};
    }
    auto threads_used = [&] {
        std::set<std::thread::id> seen;
        std::mutex lock;
        Manifest copy = manifest;
        verify_manifest(dir / "site", copy, nullptr, [&](const std::string&, const OutputEntry&) {
            {
                std::lock_guard guard(lock);
                seen.insert(std::this_thread::get_id());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));  // time for the others to start
            return true;
        });
        CHECK(copy.size() == manifest.size());
        return seen;
    };
    {
        ThreadBudget budget(1);
        CHECK(threads_used() == std::set{std::this_thread::get_id()});
    }
    if (std::thread::hardware_concurrency() > 1) {
        ThreadBudget budget(4);
        CHECK(threads_used().size() > 1);
    }
}
