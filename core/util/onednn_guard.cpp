// oneDNN primitive creation, one at a time (see onednn_guard.h). No oneDNN header: the two entry points LibTorch creates primitives with are
// declared here with pointer-sized arguments, which is their C ABI on every platform LibTorch supports.
#include "util/onednn_guard.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {

std::recursive_mutex creationMutex;  // recursive: oneDNN may call its own public entry points
std::atomic<long> creations{0};

template <typename Fn>
Fn realFunction(const char* name) {
  Fn f = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
  if (!f) {
    std::fprintf(stderr, "peft-workbench: %s called but not found in oneDNN\n", name);
    std::abort();
  }
  return f;
}

// After a creation threw: capacity 0 and back drops every entry, the unfulfilled one with them.
void flushPrimitiveCache() {
  using GetFn = int (*)(int*);
  using SetFn = int (*)(int);
  static const auto get = reinterpret_cast<GetFn>(dlsym(RTLD_NEXT, "dnnl_get_primitive_cache_capacity"));
  static const auto set = reinterpret_cast<SetFn>(dlsym(RTLD_NEXT, "dnnl_set_primitive_cache_capacity"));
  int capacity = 0;
  if (get && set && get(&capacity) == 0) {
    set(0);
    set(capacity);
  }
}

template <typename Call>
int guarded(Call call) {
  std::lock_guard<std::recursive_mutex> lock(creationMutex);
  ++creations;
  try {
    return call();
  } catch (...) {
    flushPrimitiveCache();
    throw;
  }
}

}  // namespace

extern "C" {

int dnnl_primitive_create(void** primitive, const void* descriptor) {
  using Fn = int (*)(void**, const void*);
  static const Fn real = realFunction<Fn>("dnnl_primitive_create");
  return guarded([&] { return real(primitive, descriptor); });
}

int dnnl_primitive_desc_iterator_create(void** iterator, const void* op, const void* attr, void* engine,
                                        const void* hint) {
  using Fn = int (*)(void**, const void*, const void*, void*, const void*);
  static const Fn real = realFunction<Fn>("dnnl_primitive_desc_iterator_create");
  return guarded([&] { return real(iterator, op, attr, engine, hint); });
}

}  // extern "C"

namespace pw {

long onednnGuardedCreations() { return creations.load(); }

}  // namespace pw
