// Calling JS from autograd (custom Function backwards, tensor hooks).
//
// libtorch runs CPU backward work on the thread that called backward()/grad() (the JS
// thread), but CUDA work on its own device threads while the calling thread waits in
// the engine. JS may only run on the JS thread, so:
//   - RunEngine() runs an engine call. When callbacks may come from other threads it
//     runs the call on a helper thread and the JS thread serves callbacks ("pumps")
//     until it finishes; otherwise it runs it directly.
//   - CallJs() runs a callback on the JS thread: directly there, else by posting it
//     to the pumping JS thread and waiting. While it waits, the waiting thread serves
//     engine calls made by that callback (a JS backward calling autograd.grad), so
//     they run re-entrantly on the thread libtorch expects, without deadlock.
// Errors thrown by JS callbacks reach the caller of backward()/grad() as the original
// JS error object.
#pragma once

#include <node_api.h>

#include <functional>

namespace ton {

// Runs fn on the JS thread (with the caller's autograd thread-local state) and waits.
void CallJs(const std::function<void(napi_env)>& fn);

// Runs an autograd engine call so that JS callbacks inside it can run.
void RunEngine(napi_env env, const std::function<void()>& work);

// Number of live JS callbacks held by autograd (nodes, hooks): marshalling is only
// needed while some exist and a device may run backward on its own threads.
void AddLiveCallbacks(int delta);

// Calls a JS function on the current (JS) thread; a JS exception is stored and raised
// as JsCallbackError (core/js_thread.h).
napi_value CallFunction(napi_env env, napi_value fn, size_t argc, const napi_value* argv);

}  // namespace ton
