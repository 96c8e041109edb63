// Entry points of the fused optimizer kernels: one call runs one op over a table of
// tensors of one device and dtype (see math.h for the ops and the slot layout).
#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <vector>

#include "fused/math.h"

namespace ton {
namespace fused {

// cpu_kernels.cpp: float32/float64 vectorised (at::vec::Vectorized), float16/bfloat16
// element by element in float; parallel over all tensors' elements (at::parallel_for).
void CpuApply(Kind kind, c10::ScalarType dtype, const std::vector<TensorSlots>& tab, const Hyper& h);
// Which CPU build CpuApply runs: "avx2" or "default".
const char* CpuKernels();

#ifdef TON_WITH_CUDA
// csrc/cuda/fused_kernels.cu: one multi-tensor kernel launch on the current stream.
void CudaApply(Kind kind, c10::ScalarType dtype, c10::Device device, std::vector<TensorSlots>& tab, const Hyper& h);
#endif

}  // namespace fused
}  // namespace ton
