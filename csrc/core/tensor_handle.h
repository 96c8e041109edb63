// The JS handle of a tensor: an external (core/external.h) pointing to a small box that
// owns one at::Tensor reference. lib/ wraps the external in a plain JS class (cheaper than
// ObjectWrap: see spec/native-notes.md "Handle designs").
#pragma once

#include <ATen/ATen.h>
#include <node_api.h>

#include "core/external.h"

namespace ton {

struct TensorBox {
  uint32_t magic;   // kBoxMagic while the box is live; guards against foreign externals
  int64_t bytes;    // what this handle reported to V8 (returned on dispose/finalize)
  at::Tensor t;     // undefined after dispose()
  WeakSlot slot;
};
constexpr uint32_t kBoxMagic = 0x7043e11du;

// Wraps a tensor in a new handle (an external). An undefined tensor becomes null.
napi_value WrapTensor(napi_env env, at::Tensor&& t);
inline napi_value WrapTensor(napi_env env, const at::Tensor& t) { return WrapTensor(env, at::Tensor(t)); }

// The box behind a handle, or nullptr when `v` is not one of ours.
TensorBox* BoxOf(napi_env env, napi_value v);

void InitTensorHandles(napi_env env);

// Frees the tensor of a handle now (dispose()). With `recycle` the caller promises
// that no JS object keeps `handle`: it is reused for a later result. Otherwise the
// handle stays and reports the disposal when used.
void DisposeBox(napi_env env, TensorBox* box, napi_value handle, bool recycle);

struct MemoryStats {
  int64_t live_tensors;
  int64_t live_bytes;
  int64_t collected;  // tensors the GC has freed so far (not disposed ones)
  int64_t collected_bytes;  // and their bytes
};
MemoryStats GetMemoryStats();

}  // namespace ton
