#pragma once

#include <cstddef>
#include <functional>

namespace gongkai {

// The number of threads to use when asked for jobs (0: one per core).
unsigned worker_count(unsigned jobs);

// Calls fn(index, worker) for every index in [0, n) on up to `workers` threads, handing out
// indexes one at a time so uneven items balance out. worker is in [0, workers), so callers can
// keep per-thread state. The first exception thrown is rethrown once all threads have stopped.
void parallel_for(std::size_t n, unsigned workers, const std::function<void(std::size_t, unsigned)>& fn);

}  // namespace gongkai
