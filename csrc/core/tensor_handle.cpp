#include "core/tensor_handle.h"

#include "core/gc_pacing.h"

#include <vector>

namespace ton {
namespace {

// Boxes come from a free list: a handle is made per op result, and malloc/free of
// 32-byte blocks showed up in profiles of tiny ops. Only the JS thread touches it
// (ops and GC finalizers both run there).
struct BoxPool {
  std::vector<TensorBox*> free;
  TensorBox* Get() {
    if (!free.empty()) {
      TensorBox* b = free.back();
      free.pop_back();
      // The next box out was freed by the last GC burst and is likely out of cache:
      // fetch it now, while this op finishes (its stores were 9% of a GC-path op).
      if (!free.empty()) __builtin_prefetch(free.back(), 1);
      return new (b) TensorBox();
    }
    return new TensorBox();
  }
  void Put(TensorBox* b) {
    b->~TensorBox();
    if (free.size() < 65536) free.push_back(b);
    else ::operator delete(b);
  }
};
BoxPool g_pool;

// Bytes V8 is told about, batched: one napi_adjust_external_memory per MiB of change.
int64_t g_live_tensors = 0;
int64_t g_collected = 0;
int64_t g_collected_bytes = 0;
int64_t g_live_bytes = 0;
int64_t g_pending = 0;
constexpr int64_t kFlushBytes = 1 << 20;
// TensorImpl + StorageImpl + allocator headers: counted so that many tiny tensors
// also create GC pressure.
constexpr int64_t kHandleOverhead = 384;

// `in_gc` is true in finalizers: V8 must not be told about memory while it collects
// (adjusting external memory can start incremental marking, and V8 aborts with
// "Check failed: marking_done_" when that happens inside a GC). Frees made there are
// folded into the next adjustment made from the JS thread.
inline void Account(node_api_basic_env env, int64_t delta, bool in_gc = false) {
  g_live_bytes += delta;
  g_pending += delta;
  if (!in_gc && (g_pending >= kFlushBytes || g_pending <= -kFlushBytes)) {
    int64_t unused;
    napi_adjust_external_memory(env, g_pending, &unused);
    g_pending = 0;
  }
}

inline int64_t BytesOf(const at::Tensor& t) {
  return kHandleOverhead + static_cast<int64_t>(t.numel()) * static_cast<int64_t>(t.element_size());
}

void Release(node_api_basic_env env, TensorBox* box, bool in_gc) {
  if (box->t.defined()) {
    Account(env, -box->bytes, in_gc);
    --g_live_tensors;
    box->bytes = 0;
    box->t.reset();
  }
}

// A basic finalizer: with NAPI_EXPERIMENTAL Node runs it inside GC, so a synchronous
// loop that never yields still frees its tensors. It must not touch JS.
// (Errors are returned to lib/ rather than thrown for the same reason: see binding.cpp.)
void FinalizeBox(TensorBox* box) {
  if (box->t.defined()) {
    ++g_collected;
    g_collected_bytes += box->bytes;
  }
  Release(nullptr, box, /*in_gc=*/true);
  box->magic = 0;
  g_pool.Put(box);
}

// Handles freed by dispose() are reused for new results: a GC-tracked external
// costs ~300 ns to make and collect, more than a small op. lib/ drops its reference
// to a handle when it disposes it, so a recycled handle is owned by one Tensor only.
// The handles sit in a JS array (kept alive by a reference), their boxes beside them.
napi_ref g_recycled_ref = nullptr;
std::vector<TensorBox*> g_recycled_boxes;
constexpr size_t kMaxRecycled = 4096;

}  // namespace

void InitTensorHandles(napi_env env) {
  InitExternals(env);
  // A second load of the addon in one process (jest loads it per test file) gets a new
  // env and array: the boxes recycled under the old one stay with its handles.
  g_recycled_boxes.clear();
  napi_value arr;
  napi_create_array(env, &arr);
  napi_create_reference(env, arr, 1, &g_recycled_ref);
}

napi_value WrapTensor(napi_env env, at::Tensor&& t) {
  napi_value out;
  if (!t.defined()) {
    napi_get_null(env, &out);
    return out;
  }
  int64_t bytes = BytesOf(t);
  ++g_live_tensors;
  Account(env, bytes);
  if (!g_recycled_boxes.empty()) {
    TensorBox* box = g_recycled_boxes.back();
    g_recycled_boxes.pop_back();
    box->bytes = bytes;
    box->t = std::move(t);
    napi_value arr;
    napi_get_reference_value(env, g_recycled_ref, &arr);
    napi_get_element(env, arr, static_cast<uint32_t>(g_recycled_boxes.size()), &out);
    CountMade(env, bytes);  // the handle is GC-tracked again: dropped, the GC frees it
    return out;
  }
  TensorBox* box = g_pool.Get();
  box->magic = kBoxMagic;
  box->bytes = bytes;
  box->t = std::move(t);
  out = MakeExternal<TensorBox, FinalizeBox>(env, box);
  if (out == nullptr) {
    FinalizeBox(box);
    napi_get_null(env, &out);
    return out;
  }
  CountMade(env, bytes);  // after `out` exists: a collection here keeps it (a local)
  return out;
}

TensorBox* BoxOf(napi_env env, napi_value v) {
  auto* box = static_cast<TensorBox*>(ExternalPointer(env, v));
  if (box == nullptr) return nullptr;
  return box->magic == kBoxMagic ? box : nullptr;
}

void DisposeBox(napi_env env, TensorBox* box, napi_value handle, bool recycle) {
  Release(env, box, /*in_gc=*/false);
  if (recycle && g_recycled_boxes.size() < kMaxRecycled) {
    napi_value arr;
    napi_get_reference_value(env, g_recycled_ref, &arr);
    napi_set_element(env, arr, static_cast<uint32_t>(g_recycled_boxes.size()), handle);
    g_recycled_boxes.push_back(box);
  }
}

MemoryStats GetMemoryStats() { return {g_live_tensors, g_live_bytes, g_collected, g_collected_bytes}; }

}  // namespace ton
