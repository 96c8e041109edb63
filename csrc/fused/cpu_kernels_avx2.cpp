// The CPU kernels of the fused optimizers (cpu_kernels_impl.h) built for AVX2 + FMA:
// ATen's Vectorized<T> AVX2 specialisations keep vectors in ymm registers (about 5x
// faster than the baseline build here). cpu_kernels.cpp picks this build at run time
// when the CPU has AVX2 and FMA, unless ATEN_CPU_CAPABILITY=default (ATen's switch).
//
// CMakeLists.txt compiles this file alone with -mavx2 -mfma and links it last: inline
// functions from common headers that this file emits are then never the copies other
// files use, so no AVX2 instruction runs on a CPU without it. ATen's AVX2 headers
// include <sleef.h> (Debian: libsleef-dev); without it, or without -mavx2 (node-gyp),
// this file builds an empty stand-in and the baseline kernels run.
#if defined(__AVX2__) && defined(__FMA__) && defined(__has_include)
#if __has_include(<sleef.h>)
#define TON_FUSED_AVX2 1
#endif
#endif

#ifdef TON_FUSED_AVX2
#define CPU_CAPABILITY AVX2
#define CPU_CAPABILITY_AVX2
#include "fused/cpu_kernels_impl.h"

namespace ton {
namespace fused {
namespace AVX2 {
bool Built() { return true; }
}  // namespace AVX2
}  // namespace fused
}  // namespace ton

#else
#include <c10/util/Exception.h>

#include "fused/launch.h"

namespace ton {
namespace fused {
namespace AVX2 {
bool Built() { return false; }
void Apply(Kind, c10::ScalarType, const std::vector<TensorSlots>&, const Hyper&) {
  TORCH_CHECK(false, "fused optimizer: the AVX2 kernels were not built");
}
}  // namespace AVX2
}  // namespace fused
}  // namespace ton
#endif
