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
napi_ref g_stored_error = nullptr;
}  // namespace

namespace {
int g_live_envs = 0;  // envs of the owning thread not yet torn down (under g_mu)
}  // namespace

bool InitJsThread(napi_env env) {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_live_envs > 0 && g_js_thread != std::this_thread::get_id()) return false;
    ++g_live_envs;
  }
  napi_add_env_cleanup_hook(
      env,
      [](void*) {
        std::lock_guard<std::mutex> lock(g_mu);
        --g_live_envs;
      },
      nullptr);
  g_env = env;
  g_js_thread = std::this_thread::get_id();
  return true;
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

std::string StoreJsError(napi_env env, napi_value error) {
  if (g_stored_error != nullptr) napi_delete_reference(env, g_stored_error);
  napi_create_reference(env, error, 1, &g_stored_error);
  std::string msg = "error in a JS autograd callback";
  napi_value str;
  if (napi_coerce_to_string(env, error, &str) == napi_ok) {
    size_t len = 0;
    napi_get_value_string_utf8(env, str, nullptr, 0, &len);
    msg.assign(len, '\0');
    napi_get_value_string_utf8(env, str, &msg[0], len + 1, &len);
  } else {
    bool pending;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);
    }
  }
  return msg;
}

napi_value TakeStoredJsError(napi_env env) {
  if (g_stored_error == nullptr) return nullptr;
  napi_value err;
  napi_get_reference_value(env, g_stored_error, &err);
  napi_delete_reference(env, g_stored_error);
  g_stored_error = nullptr;
  return err;
}

}  // namespace ton
