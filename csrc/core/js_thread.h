// The JS thread: its env, and work that may only run there.
#pragma once

#include <node_api.h>

namespace ton {

void InitJsThread(napi_env env);
napi_env MainEnv();
bool OnJsThread();

// Deletes a napi_ref on the JS thread at the next safe point. Autograd nodes that hold
// JS callbacks die inside GC finalizers or on device threads, where Node-API calls
// that touch JS are not allowed.
void DeferDeleteRef(napi_ref ref);
// Runs the deferred deletions; called at entry points that already talk to JS.
void DrainDeferred(napi_env env);

}  // namespace ton
