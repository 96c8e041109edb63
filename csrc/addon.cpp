// Module entry: defines every registered function on the exports object.
#include "core/binding.h"
#include "core/cpu_allocator.h"
#include "core/js_thread.h"

namespace ton {
namespace {

napi_value Init(napi_env env, napi_value exports) {
  if (!InitJsThread(env)) {
    napi_throw_error(env, nullptr,
                     "torchopt-node is already in use by another thread of this process: its tensors "
                     "live on one JS thread (the main thread or one worker_threads Worker) at a time");
    return nullptr;
  }
  TuneMemory();
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
