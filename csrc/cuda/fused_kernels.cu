// CUDA kernels of the fused optimizers: one launch for all tensors of a (device, dtype)
// group, multi-tensor-apply style.
//
// The host packs one TensorSlots per tensor (slot pointers, element count, per-tensor
// scalars; fused/math.h) into a table, copies it to the device (pinned memory, async on
// the current stream) and launches one block per chunk of kChunk elements of any tensor.
// A block finds its tensor by binary search on the tensors' first-chunk indices, so the
// table has one entry per tensor however large the tensors are. The element maths is
// the same code as the CPU kernels' (the ops of fused/math.h), in float for
// float16/bfloat16/float32 and double for float64.
//
// Building: with a CUDA libtorch (TON_WITH_CUDA, set by CMakeLists.txt) the launch runs
// on at::cuda::getCurrentCUDAStream() and is checked with C10_CUDA_KERNEL_LAUNCH_CHECK().
// Without TON_WITH_CUDA (nvcc against a CPU-only libtorch, whose headers lack ATen/cuda
// and c10/cuda) the same file compiles with the default stream and cudaGetLastError, so
// the kernels and their instantiations can still be checked.
#include <ATen/ATen.h>
#include <ATen/Dispatch.h>
#include <ATen/OpMathType.h>
#include <c10/core/DeviceGuard.h>
#include <cuda_runtime.h>

#include <climits>
#include <cstring>
#include <vector>

#include "fused/launch.h"

#if defined(TON_WITH_CUDA)
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>
#define TON_CURRENT_STREAM() (at::cuda::getCurrentCUDAStream().stream())
#define TON_LAUNCH_CHECK() C10_CUDA_KERNEL_LAUNCH_CHECK()
#else
#define TON_CURRENT_STREAM() (static_cast<cudaStream_t>(nullptr))
#define TON_LAUNCH_CHECK() \
  TORCH_CHECK(cudaGetLastError() == cudaSuccess, "fused optimizer kernel launch failed")
#endif

namespace ton {
namespace fused {
namespace {

constexpr int kThreads = 256;
// Elements per block: 64 per thread keeps launches small for big models while a
// 10-element tensor still costs one block.
constexpr int64_t kChunk = kThreads * 64;

template <typename S, typename Op>
__global__ void __launch_bounds__(kThreads)
    MultiTensorKernel(const TensorSlots* __restrict__ tab, int n_tensors, Op op) {
  using M = at::opmath_type<S>;
  constexpr int K = Op::kSlots;
  // This block's tensor: the last one whose first chunk is <= blockIdx.x.
  const int64_t block = blockIdx.x;
  int lo = 0, hi = n_tensors - 1;
  while (lo < hi) {
    const int mid = (lo + hi + 1) >> 1;
    if (tab[mid].chunk_begin <= block) lo = mid;
    else hi = mid - 1;
  }
  const TensorSlots& t = tab[lo];
  const int64_t begin = (block - t.chunk_begin) * kChunk;
  const int64_t end = begin + kChunk < t.numel ? begin + kChunk : t.numel;
  const PerTensor<M> pt{static_cast<M>(t.aux[0]), static_cast<M>(t.aux[1]), t.flags};
  S* p[K];
#pragma unroll
  for (int k = 0; k < K; ++k) p[k] = static_cast<S*>(t.ptr[k]);

  for (int64_t i = begin + threadIdx.x; i < end; i += kThreads) {
    M x[K];
#pragma unroll
    for (int k = 0; k < K; ++k)
      if ((Op::kLoads >> k) & 1u) x[k] = p[k] != nullptr ? static_cast<M>(p[k][i]) : M(0);
    op(x, pt);
#pragma unroll
    for (int k = 0; k < K; ++k)
      if (((Op::kStores >> k) & 1u) && p[k] != nullptr) p[k][i] = static_cast<S>(x[k]);
  }
}

template <typename S, typename Op>
void Launch(std::vector<TensorSlots>& tab, const Op& op, c10::Device device) {
  int64_t chunks = 0;
  for (auto& t : tab) {
    t.chunk_begin = chunks;
    chunks += (t.numel + kChunk - 1) / kChunk;
  }
  if (chunks == 0) return;
  TORCH_CHECK(chunks <= INT_MAX, "fused optimizer: too many elements for one launch (", chunks, " chunks)");
  // The table travels through pinned memory, asynchronously on the current stream; the
  // caching host allocator keeps the pinned block until the copy is done.
  const int64_t bytes = static_cast<int64_t>(tab.size() * sizeof(TensorSlots));
  at::Tensor host = at::empty({bytes}, at::TensorOptions(at::kByte).pinned_memory(true));
  std::memcpy(host.data_ptr(), tab.data(), static_cast<size_t>(bytes));
  at::Tensor dev = host.to(at::TensorOptions().device(device), /*non_blocking=*/true);
  MultiTensorKernel<S, Op><<<static_cast<unsigned>(chunks), kThreads, 0, TON_CURRENT_STREAM()>>>(
      static_cast<const TensorSlots*>(dev.data_ptr()), static_cast<int>(tab.size()), op);
  TON_LAUNCH_CHECK();
}

}  // namespace

void CudaApply(Kind kind, c10::ScalarType dtype, c10::Device device, std::vector<TensorSlots>& tab, const Hyper& h) {
  c10::DeviceGuard guard(device);
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, dtype, "fused optimizer (CUDA)", [&] {
    using M = at::opmath_type<scalar_t>;
    WithOp<M>(kind, h, [&](const auto& op) { Launch<scalar_t>(tab, op, device); });
  });
}

}  // namespace fused
}  // namespace ton
