// Runs side by side (see run_pool.h).
#include "train/run_pool.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "util/threads.h"

namespace pw {

int autoParallelRuns(size_t runs) { return int(std::max<size_t>(1, std::min<size_t>(runs, size_t(configuredThreadCount())))); }

void runInParallel(size_t jobs, int workers, const std::function<void(size_t)>& job) {
  workers = std::max(1, std::min<int>(workers, int(jobs)));
  if (workers <= 1) {
    for (size_t i = 0; i < jobs; ++i) job(i);
    return;
  }
  const int threadsEach = std::max(1, configuredThreadCount() / workers);
  const int before = at::get_num_threads();
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w)
    pool.emplace_back([&] {
      setThreadsOfThisThread(threadsEach);  // this thread's OpenMP team size (a per-thread setting)
      for (size_t i = next++; i < jobs; i = next++) {
        try {
          job(i);
        } catch (...) {
          // the job reports its own failures
        }
      }
    });
  for (auto& t : pool) t.join();
  at::set_num_threads(before);  // the workers changed the default new threads start with
}

}  // namespace pw
