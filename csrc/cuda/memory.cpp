// torch.cuda's memory statistics, read from c10's CUDA caching allocator. Built only with
// CUDA (sources-cuda.txt); lib/torch/device.ts reports zeros without it.
#include <ATen/ATen.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>

#include "core/binding.h"

namespace ton {
namespace {

namespace alloc = c10::cuda::CUDACachingAllocator;

c10::DeviceIndex Index(int64_t device) {
  auto d = device < 0 ? c10::cuda::current_device() : static_cast<c10::DeviceIndex>(device);
  // The allocator is set up with the CUDA context, on the first CUDA tensor (as Python's
  // torch.cuda._lazy_init); before that its statistics would reject every device.
  static const bool ready = (at::empty({1}, at::TensorOptions().device(at::kCUDA, d)), true);
  (void)ready;
  return d;
}

// which: 0/1 allocated bytes now/peak, 2/3 reserved bytes now/peak. Index 0 of each
// StatArray is the aggregate of the small and large pools (in every release).
int64_t MemoryStat(int64_t device, int64_t which) {
  auto stats = alloc::getDeviceStats(Index(device));
  const auto& s = which < 2 ? stats.allocated_bytes[0] : stats.reserved_bytes[0];
  return which % 2 == 0 ? s.current : s.peak;
}

Register reg{
    TON_OP(cuda_memory_stat, [](int64_t device, int64_t which) { return MemoryStat(device, which); }),
    TON_OP(cuda_reset_peak_memory_stats, [](int64_t device) { alloc::resetPeakStats(Index(device)); }),
    TON_OP(cuda_empty_cache, []() { alloc::emptyCache(); }),
};

}  // namespace
}  // namespace ton
