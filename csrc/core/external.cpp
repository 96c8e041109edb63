#include "core/external.h"

#include <cstdlib>

namespace ton {

bool g_v8_handles = false;

#if TON_V8_HANDLES
WeakSlot g_live_slots{{}, nullptr, nullptr, &g_live_slots, &g_live_slots};  // empty: points at itself

namespace {
// Frees what the env's handles still hold when the env goes (a worker exits, or the
// process): V8 runs no weak callbacks for a disposed isolate.
void FinalizeLive(void*) {
  while (g_live_slots.next != &g_live_slots) {
    WeakSlot* s = g_live_slots.next;
    s->weak.Reset();
    Unlink(s);
    s->finalize(s->owner);
  }
}
}  // namespace
#endif

void InitExternals(napi_env env) {
#if TON_V8_HANDLES
  // A second load of the addon in one process (jest loads it per test file) keeps the
  // first choice.
  static const bool chosen = [env] {
    const napi_node_version* version = nullptr;
    if (napi_get_node_version(env, &version) != napi_ok || version == nullptr) return false;
    const char* off = std::getenv("TORCHOPT_NODE_NAPI_HANDLES");
    if (off != nullptr && *off != '\0' && std::strcmp(off, "0") != 0) return false;
    // V8's ABI is fixed within a Node major (NODE_MODULE_VERSION).
    return version->major == NODE_MAJOR_VERSION;
  }();
  g_v8_handles = chosen;
  // Per napi_env (Node refuses the same hook and argument twice): jest's test files load
  // the addon into one Node environment several times; the first hook frees them all.
  if (g_v8_handles) napi_add_env_cleanup_hook(env, FinalizeLive, env);
#else
  (void)env;
#endif
}

}  // namespace ton
