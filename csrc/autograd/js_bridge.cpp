#include "autograd/js_bridge.h"

#include <ATen/ThreadLocalState.h>
#include <torch/cuda.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include "core/binding.h"
#include "core/js_thread.h"

namespace ton {
namespace {

// A thread (not the JS thread) blocked until the JS thread has run its callback.
// While blocked it runs engine calls that the callback makes.
struct Waiter {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>*> engine_calls;
};

struct JsTask {
  const std::function<void(napi_env)>* fn;
  at::ThreadLocalState tls;
  Waiter* origin;
  bool done = false;
  std::exception_ptr error;
};

std::mutex g_mu;  // guards g_queue, g_pumping and the pumps' `finished` flags
std::condition_variable g_cv;
std::deque<JsTask*> g_queue;
int g_pumping = 0;
std::atomic<int> g_live{0};

// On the JS thread, while it runs a task posted by another thread: that thread.
thread_local Waiter* tl_origin = nullptr;

bool ForcePump() {
  static const bool force = std::getenv("TORCHOPT_NODE_FORCE_PUMP") != nullptr;
  return force;
}

bool NeedPump() {
  if (g_live.load() == 0) return false;
  if (ForcePump()) return true;
  static const bool cuda = torch::cuda::is_available();
  return cuda;
}

void RunTask(napi_env env, JsTask* task) {
  Waiter* saved = tl_origin;
  tl_origin = task->origin;
  try {
    at::ThreadLocalStateGuard guard(task->tls);
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    try {
      (*task->fn)(env);
    } catch (...) {
      napi_close_handle_scope(env, scope);
      throw;
    }
    napi_close_handle_scope(env, scope);
  } catch (...) {
    task->error = std::current_exception();
  }
  tl_origin = saved;
  {
    std::lock_guard<std::mutex> lock(task->origin->mu);
    task->done = true;
  }
  task->origin->cv.notify_all();
}

// Counts the JS thread as waiting for tasks. It is made before the engine work starts:
// that work may post a task at once, and CallJs refuses tasks when nobody waits.
struct PumpRegistration {
  PumpRegistration() {
    std::lock_guard<std::mutex> lock(g_mu);
    ++g_pumping;
  }
  ~PumpRegistration() {
    std::lock_guard<std::mutex> lock(g_mu);
    --g_pumping;
  }
};

// Serves JS tasks on the JS thread until *finished (inside a PumpRegistration).
void Pump(napi_env env, bool* finished) {
  std::unique_lock<std::mutex> lock(g_mu);
  while (!*finished) {
    g_cv.wait(lock, [&] { return *finished || !g_queue.empty(); });
    while (!g_queue.empty()) {
      JsTask* t = g_queue.front();
      g_queue.pop_front();
      lock.unlock();
      RunTask(env, t);
      lock.lock();
    }
  }
}

}  // namespace

void AddLiveCallbacks(int delta) { g_live += delta; }

void CallJs(const std::function<void(napi_env)>& fn) {
  if (OnJsThread()) {
    fn(MainEnv());
    return;
  }
  Waiter w;
  JsTask task{&fn, at::ThreadLocalState(), &w};
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_pumping == 0) {
      throw std::runtime_error(
          "torchopt-node: a JS autograd callback was called from a libtorch thread while the JS thread "
          "was not waiting in backward()/grad()");
    }
    g_queue.push_back(&task);
  }
  g_cv.notify_all();
  std::unique_lock<std::mutex> lock(w.mu);
  for (;;) {
    w.cv.wait(lock, [&] { return task.done || !w.engine_calls.empty(); });
    if (!w.engine_calls.empty()) {
      std::function<void()>* call = w.engine_calls.front();
      w.engine_calls.pop_front();
      lock.unlock();
      (*call)();
      lock.lock();
      continue;
    }
    break;
  }
  if (task.error) std::rethrow_exception(task.error);
}

void RunEngine(napi_env env, const std::function<void()>& work) {
  DrainDeferred(env);
  if (!NeedPump()) {
    work();
    return;
  }
  bool finished = false;
  std::exception_ptr error;
  at::ThreadLocalState tls;
  std::function<void()> call = [&] {
    try {
      at::ThreadLocalStateGuard guard(tls);
      work();
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(g_mu);
      finished = true;
    }
    g_cv.notify_all();
  };
  PumpRegistration registration;
  if (tl_origin != nullptr) {
    // Inside a callback posted by a waiting libtorch thread: run the engine call there
    // (re-entrant backward on the thread that owns the graph task).
    {
      std::lock_guard<std::mutex> lock(tl_origin->mu);
      tl_origin->engine_calls.push_back(&call);
    }
    tl_origin->cv.notify_all();
    Pump(env, &finished);
  } else {
    std::thread helper(call);
    Pump(env, &finished);
    helper.join();
  }
  if (error) std::rethrow_exception(error);
}

napi_value CallFunction(napi_env env, napi_value fn, size_t argc, const napi_value* argv) {
  napi_value global, result;
  napi_get_global(env, &global);
  napi_status s = napi_call_function(env, global, fn, argc, argv, &result);
  if (s != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value err;
      napi_get_and_clear_last_exception(env, &err);
      throw JsCallbackError(StoreJsError(env, err));
    }
    throw JsCallbackError("calling a JS autograd callback failed");
  }
  return result;
}

}  // namespace ton
