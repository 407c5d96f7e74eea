// Memory allocator set-up for training. Each training step frees and re-allocates the same activation and
// gradient buffers (megabytes each); glibc's defaults hand the freed top of the heap back to the system and
// re-map large blocks every time, so every step pays for page faults on fresh zeroed pages (about 10-15% of a
// tiny-bert step). Keeping freed memory in the process makes those buffers reusable; the peak resident
// memory is unchanged (it is the same peak), only not returned between steps.
#pragma once

namespace pw {

// Call once, early in main (before large allocations). No-op where the allocator is not glibc's.
void setupAllocator();

}  // namespace pw
