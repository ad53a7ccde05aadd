#include "parallel.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace gongkai {

unsigned worker_count(unsigned jobs) {
    if (jobs > 0) return jobs;
    unsigned cores = std::thread::hardware_concurrency();
    return cores > 0 ? cores : 1;
}

void parallel_for(std::size_t n, unsigned workers, const std::function<void(std::size_t, unsigned)>& fn) {
    if (workers <= 1 || n <= 1) {
        for (std::size_t i = 0; i < n; ++i) fn(i, 0);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto run = [&](unsigned worker) {
        for (std::size_t i = next++; i < n && !failed; i = next++) {
            try {
                fn(i, worker);
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> threads;
    unsigned count = static_cast<unsigned>(std::min<std::size_t>(workers, n));
    for (unsigned w = 1; w < count; ++w) threads.emplace_back(run, w);
    run(0);
    for (auto& t : threads) t.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace gongkai
