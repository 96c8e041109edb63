// The host side of a multi-tensor call: argument checks with clear errors, layouts,
// grouping by device and dtype, kernel dispatch (CPU, CUDA, meta), version counters.
#pragma once

#include <ATen/ATen.h>

#include <array>
#include <vector>

#include "core/binding.h"
#include "fused/math.h"

namespace ton {
namespace fused {

// One multi-tensor call. Fill `lists` (by slot of the op; null = absent) and run().
struct MultiCall {
  const char* op;                    // the JS name, for messages
  Kind kind;
  Hyper hyper;
  int ref;                           // the slot the others are checked against (grads)
  std::array<const char*, kMaxSlots> names{};
  std::array<const std::vector<at::Tensor>*, kMaxSlots> lists{};
  unsigned written = 0;              // slots the op writes
  std::vector<std::array<double, 2>> aux;  // per tensor, or empty
  std::vector<int32_t> flags;              // per tensor, or empty

  MultiCall(const char* op_, Kind kind_, const Hyper& h, int ref_) : op(op_), kind(kind_), hyper(h), ref(ref_) {}

  void Set(int slot, const char* name, const std::vector<at::Tensor>* list, bool writes) {
    names[slot] = name;
    lists[slot] = list;
    if (writes) written |= 1u << slot;
  }
  size_t size() const { return lists[ref]->size(); }

  // Lengths, dtypes, devices and shapes of every list against the reference list.
  // A list is required unless `optional` has its bit; an optional list may be empty.
  void Check(unsigned optional = 0) const;
  // Runs the op on every tensor (call Check() first and fill absent outputs).
  void Run();
};

// New tensors like `like` (same shapes, dtypes, devices and, when dense, strides).
std::vector<at::Tensor> EmptyLike(const std::vector<at::Tensor>& like);

// A step count: a number, a 0-dim integer tensor, or an array of those (one per tensor).
struct Counts {
  c10::SmallVector<int64_t, 4> v;
  bool per_tensor = false;
  int64_t at(size_t i) const { return per_tensor ? v[i] : v[0]; }
  // RangeError unless there is one count or one per tensor, each >= 1.
  void Check(const char* op, size_t n) const;
};

// Per tensor {1/(1 - b1^count), 1/(1 - b2^count)}, in double (spec 2.1: std::pow, then
// cast by the kernel).
std::vector<std::array<double, 2>> BiasFactors(const Counts& count, const Hyper& h, size_t n);

// "float32", "int64", ... (Python's names) for messages.
const char* DtypeName(at::ScalarType t);

}  // namespace fused

template <>
struct Arg<fused::Counts> {
  static fused::Counts Get(napi_env env, napi_value v, int i);
};

}  // namespace ton
