#include "core/gc_pacing.h"

#include <algorithm>
#include <chrono>

#include "core/binding.h"

namespace ton {

GcPacing g_gc_pacing;

namespace {

struct Pacer {
  napi_env env = nullptr;
  napi_ref collect = nullptr;  // a JS function running a minor GC (lib/torch/gc.ts)
  int64_t base_tensors = 0, base_bytes = 0;
  int64_t scale = 1;  // current thresholds = base * scale
  bool adaptive = true;
  bool busy = false;
  int64_t collections = 0;
  double seconds = 0;
  int64_t collected_after = 0;  // the addon's GC-freed count after the last paced collection
};
Pacer g_pacer;

// Past this, V8's own triggers (young space full, external memory) come first anyway.
constexpr int64_t kMaxScale = 64;

void Apply() {
  Pacer& p = g_pacer;
  bool on = p.collect != nullptr;
  g_gc_pacing.limit_tensors = on && p.base_tensors > 0 ? p.base_tensors * p.scale : INT64_MAX;
  g_gc_pacing.limit_bytes = on && p.base_bytes > 0 ? p.base_bytes * p.scale : INT64_MAX;
}

// Doubles the thresholds when a collection freed under a quarter of the tensors made
// since the last one (the program keeps them: a dataset, a recorded graph) or cost over
// twice what it freed is worth (many live young objects to copy); halves them when it
// freed half within that worth. Tensors V8's own collections freed meanwhile do not
// count against it, else thresholds grown past V8's cadence would never come down.
// Worth, measured here: a paced scavenge costs ~0.5 us per tensor freed in sample B, and
// writing a cold MiB ~100 us. The looser recovery test keeps thresholds from alternating.
void Adapt(int64_t made, int64_t freed_before, int64_t freed, int64_t freed_bytes, double ns) {
  Pacer& p = g_pacer;
  if (!p.adaptive) return;
  int64_t candidates = std::max<int64_t>(0, made - freed_before);
  double worth = 3000.0 * freed + 100.0 * (freed_bytes >> 10) + 50000.0;  // ns
  bool poor = freed * 4 < candidates || ns > 2 * worth;
  bool good = freed * 2 >= candidates && ns <= worth;
  if (poor && p.scale < kMaxScale) p.scale *= 2;
  else if (good && p.scale > 1) p.scale /= 2;
  Apply();
}

}  // namespace

void PacedCollect(napi_env env) {
  Pacer& p = g_pacer;
  int64_t made = g_gc_pacing.made;
  g_gc_pacing.made = 0;
  g_gc_pacing.made_bytes = 0;
  if (p.busy || p.collect == nullptr || env != p.env) return;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) != napi_ok || pending) return;
  napi_value fn, recv, result;
  if (napi_get_reference_value(env, p.collect, &fn) != napi_ok || fn == nullptr) return;
  napi_get_undefined(env, &recv);
  p.busy = true;
  MemoryStats before = GetMemoryStats();
  auto t0 = std::chrono::steady_clock::now();
  napi_status s = napi_call_function(env, recv, fn, 0, nullptr, &result);
  double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  p.busy = false;
  if (s != napi_ok) {
    // The collector threw (it should not): drop it rather than fail the op that made
    // the tensor.
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    napi_delete_reference(env, p.collect);
    p.collect = nullptr;
    Apply();
    return;
  }
  MemoryStats after = GetMemoryStats();
  ++p.collections;
  p.seconds += ns * 1e-9;
  Adapt(made, before.collected - p.collected_after, after.collected - before.collected,
        after.collected_bytes - before.collected_bytes, ns);
  p.collected_after = after.collected;
}

namespace {

// gc_pacing(collect, tensors, bytes, adaptive): collect is a function or null (off); a
// threshold of 0 turns that trigger off.
napi_value SetGcPacing(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  size_t argc = 4;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Pacer& p = g_pacer;
  if (p.collect != nullptr && p.env == env) napi_delete_reference(env, p.collect);
  p.collect = nullptr;
  napi_valuetype type = napi_undefined;
  if (argc == 4) napi_typeof(env, argv[0], &type);
  if (type == napi_function) {
    double tensors = 0, bytes = 0;
    napi_get_value_double(env, argv[1], &tensors);
    napi_get_value_double(env, argv[2], &bytes);
    napi_get_value_bool(env, argv[3], &p.adaptive);
    p.env = env;
    p.base_tensors = static_cast<int64_t>(std::max(0.0, std::min(tensors, 1e15)));
    p.base_bytes = static_cast<int64_t>(std::max(0.0, std::min(bytes, 1e15)));
    p.scale = 1;
    p.collected_after = GetMemoryStats().collected;
    napi_create_reference(env, argv[0], 1, &p.collect);
  }
  g_gc_pacing.made = 0;
  g_gc_pacing.made_bytes = 0;
  Apply();
  napi_value undef;
  napi_get_undefined(env, &undef);
  return undef;
}

Register reg{
    TON_FN(gc_pacing, SetGcPacing),
    // [collections, seconds, tensor threshold now, byte threshold now (0: trigger off),
    //  how handles are made (core/external.h): 1 on V8, 2 through Node-API though the V8
    //  path is built in, 0 through Node-API in a build without V8's headers].
    TON_OP(gc_stats, []() {
      auto now = [](int64_t v) { return v == INT64_MAX ? 0.0 : double(v); };
      return std::make_tuple(double(g_pacer.collections), g_pacer.seconds, now(g_gc_pacing.limit_tensors),
                             now(g_gc_pacing.limit_bytes), g_v8_handles ? 1.0 : TON_V8_HANDLES ? 2.0 : 0.0);
    }),
};

}  // namespace
}  // namespace ton
