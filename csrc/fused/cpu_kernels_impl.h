// The CPU kernels of the fused optimizers, included once per CPU capability: by
// cpu_kernels.cpp (baseline ISA, CPU_CAPABILITY=DEFAULT) and cpu_kernels_avx2.cpp (AVX2 +
// FMA, CPU_CAPABILITY=AVX2). As in ATen's own kernels, everything here lives in a
// namespace named after the capability (ATen's Vectorized<T> too), so the two builds
// never share a symbol.
//
// float32/float64 run on at::vec::Vectorized<T> (loads, maths and stores a vector at a
// time; the tail element by element); float16/bfloat16 element by element in float.
// The elements of all tensors form one index space that at::parallel_for splits (grain
// kGrain), so 100 tiny tensors cost one loop and one huge tensor uses every thread.
//
// No #pragma once: meant to be included once per translation unit, after CPU_CAPABILITY.
#include <ATen/OpMathType.h>
#include <ATen/Parallel.h>
#include <ATen/cpu/vec/vec.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Exception.h>
#include <c10/util/Half.h>
#include <c10/util/SmallVector.h>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "fused/launch.h"

namespace ton {
namespace fused {

template <typename T>
struct VOps<at::vec::Vectorized<T>> {
  using V = at::vec::Vectorized<T>;
  static V Sqrt(const V& x) { return x.sqrt(); }
  static V Fma(const V& a, const V& b, const V& c) {
#ifdef CPU_CAPABILITY_AVX2
    return at::vec::fmadd(a, b, c);
#else
    // The baseline Vectorized<T>::fmadd rounds twice; AdamExact needs one rounding.
    T A[V::size()], B[V::size()], C[V::size()];
    a.store(A), b.store(B), c.store(C);
    for (int i = 0; i < V::size(); ++i) A[i] = std::fma(A[i], B[i], C[i]);
    return V::loadu(A);
#endif
  }
  static V Neg(const V& x) { return x.neg(); }
  static V Max(const V& a, const V& b) { return at::vec::maximum(a, b); }
  static V IfZero(const V& c, const V& if_zero, const V& otherwise) {
    return V::blendv(otherwise, if_zero, c == V(T(0)));
  }
};

#if defined(__GNUC__)
#define TON_FLATTEN __attribute__((flatten))
#else
#define TON_FLATTEN
#endif

namespace CPU_CAPABILITY {
namespace {

// Elements per parallel task; a call with fewer elements in all runs on the calling thread.
constexpr int64_t kGrain = 32768;

// Calls f(integral_constant<int, k>) for k = 0..K-1: slot loops unrolled at compile time.
template <typename F, int... I>
C10_ALWAYS_INLINE void ForSlots(F&& f, std::integer_sequence<int, I...>) {
  (f(std::integral_constant<int, I>{}), ...);
}

// Elements [lo, hi) of one tensor. Flattened (everything called is inlined): the generic
// Vectorized<T> operators are small loops that GCC otherwise leaves as calls here (3x slower).
template <typename S, typename Op, typename M>
TON_FLATTEN void RunRange(const TensorSlots& ts, const Op& op_, const PerTensor<M>& pt_, int64_t lo, int64_t hi) {
  constexpr int K = Op::kSlots;
  using Slots = std::make_integer_sequence<int, K>;
  // Local copies: stores through S* could alias the op's fields otherwise, forcing reloads.
  const Op op = op_;
  const PerTensor<M> pt = pt_;
  S* p[K];
  for (int k = 0; k < K; ++k) p[k] = static_cast<S*>(ts.ptr[k]);
  if constexpr (std::is_same<S, M>::value) {
    using Vec = at::vec::Vectorized<S>;
    constexpr int64_t W = Vec::size();
    Vec x[K];
    for (; lo + W <= hi; lo += W) {
      ForSlots([&](auto k) {
        if constexpr (((Op::kLoads >> k) & 1u) != 0) x[k] = p[k] == nullptr ? Vec(S(0)) : Vec::loadu(p[k] + lo);
      }, Slots{});
      op(x, pt);
      ForSlots([&](auto k) {
        if constexpr (((Op::kStores >> k) & 1u) != 0)
          if (p[k] != nullptr) x[k].store(p[k] + lo);
      }, Slots{});
    }
  }
  // Reduced precision types, and the tail of a vector loop (cheaper than partial vector
  // loads and stores, which go through memcpy).
  M x[K];
  for (; lo < hi; ++lo) {
    ForSlots([&](auto k) {
      if constexpr (((Op::kLoads >> k) & 1u) != 0) x[k] = p[k] == nullptr ? M(0) : static_cast<M>(p[k][lo]);
    }, Slots{});
    op(x, pt);
    ForSlots([&](auto k) {
      if constexpr (((Op::kStores >> k) & 1u) != 0)
        if (p[k] != nullptr) p[k][lo] = static_cast<S>(x[k]);
    }, Slots{});
  }
}

template <typename S, typename Op>
void Run(const std::vector<TensorSlots>& tab, const Op& op) {
  using M = at::opmath_type<S>;
  const size_t n = tab.size();
  c10::SmallVector<int64_t, 128> start(n + 1);
  start[0] = 0;
  for (size_t i = 0; i < n; ++i) start[i + 1] = start[i] + tab[i].numel;
  const int64_t total = start[n];
  auto body = [&](int64_t b, int64_t e) {
    size_t i = static_cast<size_t>(std::upper_bound(start.begin(), start.end(), b) - start.begin()) - 1;
    for (; i < n && start[i] < e; ++i) {
      const TensorSlots& ts = tab[i];
      const int64_t lo = std::max(b, start[i]) - start[i];
      const int64_t hi = std::min(e, start[i + 1]) - start[i];
      if (lo >= hi) continue;
      const PerTensor<M> pt{static_cast<M>(ts.aux[0]), static_cast<M>(ts.aux[1]), ts.flags};
      RunRange<S>(ts, op, pt, lo, hi);
    }
  };
  if (total <= kGrain) {
    body(0, total);
    return;
  }
#ifdef _OPENMP
  // Where our OpenMP runtime is not libtorch's (pip wheels bundle their own libgomp),
  // torch.set_num_threads() did not reach it.
  omp_set_num_threads(at::get_num_threads());
#endif
  at::parallel_for(0, total, kGrain, body);
}

template <typename S>
void RunAll(Kind kind, const std::vector<TensorSlots>& tab, const Hyper& h) {
  WithOp<at::opmath_type<S>>(kind, h, [&](const auto& op) { Run<S>(tab, op); });
}

}  // namespace

void Apply(Kind kind, c10::ScalarType dtype, const std::vector<TensorSlots>& tab, const Hyper& h) {
  switch (dtype) {
    case c10::ScalarType::Float: return RunAll<float>(kind, tab, h);
    case c10::ScalarType::Double: return RunAll<double>(kind, tab, h);
    case c10::ScalarType::Half: return RunAll<c10::Half>(kind, tab, h);
    case c10::ScalarType::BFloat16: return RunAll<c10::BFloat16>(kind, tab, h);
    default: TORCH_CHECK(false, "fused optimizer: unsupported dtype ", dtype);
  }
}

}  // namespace CPU_CAPABILITY
}  // namespace fused
}  // namespace ton
