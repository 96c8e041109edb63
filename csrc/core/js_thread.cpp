#include "core/js_thread.h"

#include <mutex>
#include <thread>
#include <vector>

namespace ton {
namespace {
napi_env g_env = nullptr;
std::thread::id g_js_thread;
std::mutex g_mu;
std::vector<napi_ref> g_deferred;
}  // namespace

void InitJsThread(napi_env env) {
  g_env = env;
  g_js_thread = std::this_thread::get_id();
}

napi_env MainEnv() { return g_env; }
bool OnJsThread() { return std::this_thread::get_id() == g_js_thread; }

void DeferDeleteRef(napi_ref ref) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_deferred.push_back(ref);
}

void DrainDeferred(napi_env env) {
  std::vector<napi_ref> refs;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_deferred.empty()) return;
    refs.swap(g_deferred);
  }
  for (napi_ref r : refs) napi_delete_reference(env, r);
}

}  // namespace ton
