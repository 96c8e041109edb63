// The JS thread: its env, and work that may only run there.
#pragma once

#include <node_api.h>

#include <exception>
#include <string>

namespace ton {

// Makes the calling thread the JS thread, or returns false while another thread's env
// (the main thread's or a worker's) is alive: the addon's handles, pools and counters
// belong to one JS thread per process.
bool InitJsThread(napi_env env);
napi_env MainEnv();
bool OnJsThread();

// Deletes a napi_ref on the JS thread at the next safe point. Autograd nodes that hold
// JS callbacks die inside GC finalizers or on device threads, where Node-API calls
// that touch JS are not allowed.
void DeferDeleteRef(napi_ref ref);
// Runs the deferred deletions; called at entry points that already talk to JS.
void DrainDeferred(napi_env env);

// A C++ exception standing for a JS error thrown inside a callback that libtorch
// called (a custom Function's backward, a hook). The JS error object itself is kept
// so that the caller of backward()/grad() receives the original error.
struct JsCallbackError : std::exception {
  explicit JsCallbackError(std::string msg) : msg_(std::move(msg)) {}
  const char* what() const noexcept override { return msg_.c_str(); }
  std::string msg_;
};

// Keeps `error` (replacing an older one) and returns its message.
std::string StoreJsError(napi_env env, napi_value error);
// The kept JS error (null if none), forgotten.
napi_value TakeStoredJsError(napi_env env);

}  // namespace ton
