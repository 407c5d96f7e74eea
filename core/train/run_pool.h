// Runs side by side: small models do not scale to two threads (tiny-bert's step is far from twice as fast
// on two), so a comparison can run N runs at once, each on its own share of the cores. Torch-free header.
#pragma once
#include <cstddef>
#include <functional>

namespace pw {

// Calls job(i) for i in [0, jobs) on `workers` threads (1: in order on this thread), each worker's LibTorch
// intra-op threads set to max(1, cores / workers). Jobs start in index order; a job's exception ends only
// that job (it is the job's business to report it). Returns when every job has finished.
void runInParallel(size_t jobs, int workers, const std::function<void(size_t)>& job);

// The number of runs to run at once for "auto": the machine's cores (PW_THREADS or hardware), capped at
// the number of runs. Measured on 2 cores (docs/BENCHMARKS.md): two one-thread runs finish a comparison
// sooner than one two-thread run at a time.
int autoParallelRuns(size_t runs);

}  // namespace pw
