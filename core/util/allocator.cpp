// Allocator set-up (see allocator.h).
#include "util/allocator.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace pw {

void setupAllocator() {
#if defined(__GLIBC__)
  // Blocks up to 32 MiB (glibc's largest dynamic threshold) come from the heap rather than fresh mappings,
  // and up to 1 GiB of freed heap top stays mapped instead of being trimmed after every step.
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
}

}  // namespace pw
