// The JS handles of the addon's boxes (tensors, autograd nodes, generators): externals
// whose finalizer runs inside GC. One place makes and reads them, in one of two ways:
//
// - Straight on V8 (one weak handle per box, held in the box) when the running Node is
//   the major version whose V8 headers this addon was compiled against. Node-API's
//   napi_create_external makes two weak handles and two heap blocks per external (an
//   ExternalWrapper and a finalizer reference) and enters the context for each finalizer:
//   ~100 ns per tensor result, made and collected, that Python does not pay.
// - Through Node-API otherwise (another Node major, headers without v8.h, or
//   TORCHOPT_NODE_NAPI_HANDLES=1), which keeps a prebuilt binary working on any Node.
//
// The mode is chosen once per process, before the first handle; every box of the addon
// is made the same way, so a handle is always read the way it was made.
#pragma once

#include <node_api.h>

#include <cstring>

#if !defined(TON_NO_V8_HANDLES) && __has_include(<v8.h>) && __has_include(<node_version.h>)
#define TON_V8_HANDLES 1
// node_version.h redefines NAPI_VERSION (to the runtime's), which would turn the module's
// declared experimental Node-API version, and with it GC-time finalizers, off.
#pragma push_macro("NAPI_VERSION")
#undef NAPI_VERSION
#include <node_version.h>
#pragma pop_macro("NAPI_VERSION")
#include <v8.h>
#else
#define TON_V8_HANDLES 0
#endif

namespace ton {

extern bool g_v8_handles;

// Picks the mode (first call only).
void InitExternals(napi_env env);

// A box's weak handle, and its place in the list of live V8-made boxes (freed at the
// env's teardown, as Node-API finalizes its externals then: a worker's exit).
struct WeakSlot {
#if TON_V8_HANDLES
  v8::Global<v8::External> weak;
  void* owner = nullptr;
  void (*finalize)(void*) = nullptr;
  WeakSlot* prev = nullptr;
  WeakSlot* next = nullptr;
#endif
};

#if TON_V8_HANDLES
extern WeakSlot g_live_slots;  // the list's sentinel
inline void Unlink(WeakSlot* s) {
  s->prev->next = s->next;
  s->next->prev = s->prev;
  s->prev = s->next = nullptr;
}
#endif

#if TON_V8_HANDLES
// Node's napi_value is a v8::Local's slot pointer (node's JsValueFromV8LocalValue).
static_assert(sizeof(v8::Local<v8::Value>) == sizeof(napi_value), "napi_value is not a v8::Local");
inline v8::Local<v8::Value> ToV8(napi_value v) {
  v8::Local<v8::Value> l;
  std::memcpy(static_cast<void*>(&l), &v, sizeof v);
  return l;
}
inline napi_value FromV8(v8::Local<v8::Value> l) {
  napi_value v;
  std::memcpy(&v, static_cast<void*>(&l), sizeof v);
  return v;
}
#endif

// A new external for `box` (a struct with a `WeakSlot slot` member); Finalize(box) runs
// inside GC once the external is unreachable, and must not touch JS. nullptr on failure
// (the caller still owns the box).
template <typename Box, void (*Finalize)(Box*)>
napi_value MakeExternal(napi_env env, Box* box) {
#if TON_V8_HANDLES
  if (g_v8_handles) {
    v8::Isolate* isolate = v8::Isolate::GetCurrent();
    v8::Local<v8::External> ext = v8::External::New(isolate, box);
    WeakSlot& s = box->slot;
    s.weak.Reset(isolate, ext);
    s.weak.SetWeak(
        box,
        [](const v8::WeakCallbackInfo<Box>& info) {
          Box* b = info.GetParameter();
          b->slot.weak.Reset();  // a first-pass callback must reset its handle
          Unlink(&b->slot);
          Finalize(b);
        },
        v8::WeakCallbackType::kParameter);
    s.owner = box;
    s.finalize = [](void* b) { Finalize(static_cast<Box*>(b)); };
    s.next = g_live_slots.next;
    s.prev = &g_live_slots;
    s.next->prev = &s;
    g_live_slots.next = &s;
    return FromV8(ext);
  }
#endif
  napi_value out;
  auto fin = [](node_api_basic_env, void* data, void*) { Finalize(static_cast<Box*>(data)); };
  return napi_create_external(env, box, fin, nullptr, &out) == napi_ok ? out : nullptr;
}

// The pointer behind an external made by MakeExternal, or nullptr when `v` is no
// external. (A foreign external gives some pointer: boxes start with a magic number.)
inline void* ExternalPointer(napi_env env, napi_value v) {
#if TON_V8_HANDLES
  if (g_v8_handles) {
    v8::Local<v8::Value> l = ToV8(v);
    return !l.IsEmpty() && l->IsExternal() ? l.As<v8::External>()->Value() : nullptr;
  }
#endif
  void* p = nullptr;
  return napi_get_value_external(env, v, &p) == napi_ok ? p : nullptr;
}

}  // namespace ton
