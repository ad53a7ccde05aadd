#pragma once

#include <cstddef>
#include <functional>
#include <future>
#include <utility>

namespace gongkai {

// The most threads a stage of a build runs, whatever it is asked for (`--jobs` above it is an
// error). Two stages may run at once.
inline constexpr unsigned max_workers = 1024;

// The threads a command uses where it is not told otherwise (`--jobs`; 0: one per core), for as
// long as this lives; the budget before it afterwards. Made before any work starts.
class ThreadBudget {
public:
    explicit ThreadBudget(unsigned jobs);
    ~ThreadBudget();
    ThreadBudget(const ThreadBudget&) = delete;
    ThreadBudget& operator=(const ThreadBudget&) = delete;

private:
    unsigned before_;
};

// The number of threads to use when asked for jobs: jobs itself, or, for 0, the budget; never
// more than max_workers.
unsigned worker_count(unsigned jobs);

// Calls fn(index, worker) for every index in [0, n) on up to `workers` threads, handing out
// indexes one at a time so uneven items balance out. worker is in [0, workers), so callers can
// keep per-thread state. The first exception thrown is rethrown once all threads have stopped.
// Where the system starts fewer threads than asked for, those it started (and at least the
// calling thread) do all the work.
void parallel_for(std::size_t n, unsigned workers, const std::function<void(std::size_t, unsigned)>& fn);

// Runs fn on a thread of its own; where the system starts no more threads, fn runs instead when
// its result is first waited for.
template <class Fn, class... Args>
auto in_background(Fn&& fn, Args&&... args) {
    return std::async(std::launch::async | std::launch::deferred, std::forward<Fn>(fn), std::forward<Args>(args)...);
}

}  // namespace gongkai
