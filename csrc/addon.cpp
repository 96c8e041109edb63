// Module entry: defines every registered function on the exports object.
#include <malloc.h>

#include <cstdlib>
#include <cstring>

#include "core/binding.h"
#include "core/cpu_allocator.h"
#include "core/js_thread.h"

namespace ton {
namespace {

// glibc returns free memory at the top of the heap to the system as soon as 128 KiB
// are free, and its mmap threshold starts at 128 KiB. Tensors freed by the GC go in
// bursts of megabytes, so the next step faulted every page back in (an Adam step over
// 100 x [100,100] measured 2.7-7.7 ms, 2.5-2.9 ms with these settings: page faults were
// a tenth of the time). Keep up to 256 MiB of free heap and serve blocks up to 32 MiB
// (glibc's own dynamic ceiling) from it. TORCHOPT_NODE_MALLOC=system leaves glibc's
// defaults.
void TuneMalloc() {
#ifdef __GLIBC__
  const char* env = std::getenv("TORCHOPT_NODE_MALLOC");
  if (env != nullptr && std::strcmp(env, "system") == 0) return;
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

napi_value Init(napi_env env, napi_value exports) {
  TuneMalloc();
  InstallCpuAllocator();
  InitJsThread(env);
  InitTensorHandles(env);
  auto& entries = Registry();
  std::vector<napi_property_descriptor> props;
  props.reserve(entries.size());
  for (const Entry& e : entries) {
    props.push_back({e.name, nullptr, e.cb, nullptr, nullptr, nullptr, napi_enumerable, nullptr});
  }
  napi_define_properties(env, exports, props.size(), props.data());
  InitErrors(env, exports);
  return exports;
}

}  // namespace
}  // namespace ton

NAPI_MODULE(NODE_GYP_MODULE_NAME, ton::Init)
