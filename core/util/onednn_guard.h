// Runs side by side share one oneDNN (LibTorch's bf16 matmuls): its primitive creation is serialised here.
//
// Seen four times on 2026-12-01 with two runs in one process (--parallel 2, standard preset, bf16): a run
// starting or evaluating while the other trained failed with std::bad_alloc or std::bad_array_new_length
// inside LibTorch, and every later run of that process failed with "std::future_error: Broken promise", then
// the process crashed. oneDNN's primitive cache hands concurrent creators of one primitive a shared future;
// a creation that throws leaves it unfulfilled in the cache for good. The root cause of the first exception was
// not found (a 3-thread stress of random bf16 linear / matmul shapes did not reproduce it). The process defines
// oneDNN's C entry points that create primitives (the dynamic linker binds LibTorch's calls to them, as to any
// symbol the executable defines), takes one process-wide lock, and calls the library's own; a creation that
// throws also empties the primitive cache, so a broken entry cannot fail later runs. With it, 87 runs side by
// side finished and the "Broken promise" cascade is gone, but five adapter runs at diverging rates (lr >= 1e-2)
// still failed with std::bad_alloc (docs/TRAINING.md): serialised creation is not the whole story. Uncontended,
// the lock costs well under a microsecond per creation, and most creations are cache hits.
#pragma once

namespace pw {

// How many primitive creations went through the guard so far (0 where LibTorch has no oneDNN, or does not
// bind to this process's definitions); tests check the guard is in place.
long onednnGuardedCreations();

}  // namespace pw
