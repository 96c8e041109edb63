// CPU kernels of the fused optimizers (cpu_kernels_impl.h), built for the baseline ISA,
// and the run-time choice between them and the AVX2 build (cpu_kernels_avx2.cpp).
//
// Build flags (CMakeLists.txt, the two kernel files only): -fno-math-errno, without
// which GCC calls sqrt element by element in the baseline build (3x slower); OpenMP
// where found, because at::parallel_for is a header template whose OpenMP version runs
// in parallel only in a translation unit built with OpenMP; -mavx2 -mfma for the AVX2
// file. Without any of them the kernels are still correct.
#define CPU_CAPABILITY DEFAULT
#include "fused/cpu_kernels_impl.h"

#include <cstdlib>
#include <cstring>

namespace ton {
namespace fused {

namespace AVX2 {
// cpu_kernels_avx2.cpp: Built() is false where that file could not be built for AVX2.
bool Built();
void Apply(Kind kind, c10::ScalarType dtype, const std::vector<TensorSlots>& tab, const Hyper& h);
}  // namespace AVX2

namespace {
// The CPU's features, and ATen's switch: ATEN_CPU_CAPABILITY=default turns AVX2 off
// (ATen's own test, at::native::get_cpu_capability, is not exported).
bool UseAvx2() {
#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
  const char* env = std::getenv("ATEN_CPU_CAPABILITY");
  if (env != nullptr && std::strcmp(env, "default") == 0) return false;
  __builtin_cpu_init();  // we run as a static initializer, maybe before libgcc's
  return AVX2::Built() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

const bool kAvx2 = UseAvx2();
}  // namespace

void CpuApply(Kind kind, c10::ScalarType dtype, const std::vector<TensorSlots>& tab, const Hyper& h) {
  if (kAvx2) AVX2::Apply(kind, dtype, tab, h);
  else DEFAULT::Apply(kind, dtype, tab, h);
}

const char* CpuKernels() { return kAvx2 ? "avx2" : "default"; }

}  // namespace fused
}  // namespace ton
