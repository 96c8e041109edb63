// Shared helpers for the op tables.
#pragma once

#include "core/binding.h"
#include "core/js_thread.h"

namespace ton {

using at::Scalar;
using at::Tensor;
using Dtype = ton::optional<at::ScalarType>;
using Dev = ton::optional<at::Device>;

inline at::TensorOptions Options(Dtype dtype, Dev device, bool requires_grad = false) {
  at::TensorOptions o;
  if (dtype) o = o.dtype(*dtype);
  if (device) o = o.device(*device);
  if (requires_grad) o = o.requires_grad(true);
  return o;
}

// An optional dim list as the reductions take it (none: all dims).
inline at::OptionalIntArrayRef Dims(const OptInts& d) {
  return d ? at::OptionalIntArrayRef(at::IntArrayRef(*d)) : at::OptionalIntArrayRef(ton::nullopt);
}

// Factories run under no-grad and set requires_grad afterwards (as Python does).
inline Tensor Finish(Tensor t, bool requires_grad) {
  if (requires_grad) t.set_requires_grad(true);
  return t;
}

}  // namespace ton
