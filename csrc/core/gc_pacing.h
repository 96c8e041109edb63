// Young-generation collections paced by the tensors made (see docs/performance.md,
// "GC pacing"). V8 collects a loop's dead tensors only when its young space fills
// (~100k wrappers) or external memory grows by ~64 MiB: by then their memory has left the
// caches, and each new result is written to cold memory where Python reuses the block
// it just freed. A minor GC every ~1,000 tensors or 4 MiB frees them while still hot;
// it adapts, backing off where collections find little garbage or cost too much.
#pragma once

#include <node_api.h>

#include <cstdint>

namespace ton {

struct GcPacing {
  int64_t made = 0;        // tensors wrapped since the last paced collection
  int64_t made_bytes = 0;  // and their bytes
  int64_t limit_tensors = INT64_MAX;  // current (adapted) thresholds; INT64_MAX: off
  int64_t limit_bytes = INT64_MAX;
};
extern GcPacing g_gc_pacing;

// Runs the collector when a threshold is crossed (the slow path of CountMade).
void PacedCollect(napi_env env);

// Called for every new GC-tracked handle; two compares on the hot path.
inline void CountMade(napi_env env, int64_t bytes) {
  GcPacing& p = g_gc_pacing;
  p.made_bytes += bytes;
  if (++p.made >= p.limit_tensors || p.made_bytes >= p.limit_bytes) PacedCollect(env);
}

}  // namespace ton
