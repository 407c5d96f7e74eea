// Thread set-up for LibTorch (see threads.h).
#include "util/threads.h"

#include "util/onednn_guard.h"

#include <cstdlib>
#include <thread>

namespace pw {

int configuredThreadCount() {
  int n = static_cast<int>(std::thread::hardware_concurrency());
  if (const char* env = std::getenv("PW_THREADS")) {
    int requested = std::atoi(env);
    if (requested > 0) n = requested;
  }
  return n < 1 ? 1 : n;
}

void setThreadsOfThisThread(int threads) {
  at::set_num_threads(threads < 1 ? 1 : threads);
  // Threads that train side by side need oneDNN's primitive creation serialised; the call also makes sure
  // the linker keeps the guard (util/onednn_guard.h) in every program that can run side by side.
  (void)onednnGuardedCreations();
}

int setupThreads() {
  const int n = configuredThreadCount();
  at::set_num_threads(n);
  return n;
}

}  // namespace pw
