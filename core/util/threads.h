// Thread set-up: Debian's LibTorch starts with one intra-op thread; use every core instead.
#pragma once

namespace pw {

// The cores to use: PW_THREADS if set to a positive number, else the hardware's core count (at least 1).
int configuredThreadCount();

// Sets LibTorch's intra-op threads to the number of cores (or PW_THREADS if set). Returns the count.
int setupThreads();

// Sets the LibTorch intra-op threads of the calling thread's parallel regions (an OpenMP per-thread setting):
// a worker that trains one of several runs side by side takes its share of the cores.
void setThreadsOfThisThread(int threads);

}  // namespace pw
