// The one mechanism that binds a C++ function to JS.
//
// An op is a single table line:
//     TON_OP(add, [](const at::Tensor& self, TensorOrScalar other, const at::Scalar& alpha) { ... })
// Invoke() reads the JS arguments, converts each by the lambda's parameter type
// (Arg<T>), calls it, converts the result (ToJS), and turns C++ exceptions into JS
// errors. Parameter names for error messages are read from the stringified lambda,
// only when an error is raised, so the hot path pays nothing for them.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#if __has_include(<c10/util/Optional.h>)
#include <c10/util/Optional.h>
#endif
#include <c10/util/SmallVector.h>
#include <node_api.h>

#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/tensor_handle.h"
#include <optional>
#include <torch/version.h>

namespace ton {
// libtorch's optional: c10's own type up to 2.2; from 2.3 c10::optional is std::optional and
// on its way out of the headers, so the code names ton::optional throughout.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
using std::nullopt;
using std::optional;
#else
using c10::nullopt;
using c10::optional;
#endif
}  // namespace ton

namespace ton {

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

// A JS argument of the wrong kind. `expected` reads like "a Tensor".
struct ArgError {
  int index;
  const char* expected;
};
// A JS exception is already pending (thrown by a JS callback): leave it.
struct JsPending {};
// An error to throw as a JS TypeError / RangeError / Error.
struct JsError {
  enum Kind { kError, kType, kRange } kind;
  std::string message;
};

[[noreturn]] inline void ThrowType(std::string msg) { throw JsError{JsError::kType, std::move(msg)}; }
[[noreturn]] inline void ThrowRange(std::string msg) { throw JsError{JsError::kRange, std::move(msg)}; }

// Converts the exception in flight to a JS error and returns the error sentinel, which
// lib/native.ts turns into a throw of that error (see binding.cpp). `sig` is the
// stringified lambda of the op (for argument names); it may be null.
void InitErrors(napi_env env, napi_value exports);
napi_value ThrowCurrent(napi_env env, const char* op, const char* sig, const napi_value* argv, size_t argc);

// Checks a napi_status; a failure means a JS exception is pending or the call misused.
inline void Check(napi_env env, napi_status s) {
  if (s != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) throw JsPending{};
    const napi_extended_error_info* info = nullptr;
    napi_get_last_error_info(env, &info);
    throw JsError{JsError::kError, std::string("Node-API call failed: ") +
                                       (info && info->error_message ? info->error_message : "unknown")};
  }
}

// The tensor of a handle; a disposed handle raises the "used after dispose()" error.
inline const at::Tensor& LiveTensor(const TensorBox* b) {
  if (!b->t.defined()) ThrowType("a Tensor was used after dispose()");
  return b->t;
}

// ---------------------------------------------------------------------------
// Argument kinds
// ---------------------------------------------------------------------------

// A Tensor or a JS number/boolean/bigint (Python's `other` of add, mul, ...).
struct TensorOrScalar {
  const at::Tensor* tensor;  // null for a scalar
  at::Scalar scalar;
  bool is_tensor() const { return tensor != nullptr; }
};

using Ints = c10::SmallVector<int64_t, 6>;
using OptInts = ton::optional<Ints>;
using OptTensor = ton::optional<at::Tensor>;

// Devices travel as one int: (type << 8) | (index & 0xff), index -1 -> 0xff.
inline at::Device DecodeDevice(int64_t code) {
  auto type = static_cast<c10::DeviceType>(code >> 8);
  int idx = static_cast<int>(code & 0xff);
  return at::Device(type, idx == 0xff ? -1 : static_cast<c10::DeviceIndex>(idx));
}
inline int64_t EncodeDevice(const at::Device& d) {
  return (static_cast<int64_t>(d.type()) << 8) | (d.has_index() ? d.index() : 0xff);
}

// Plain helpers, also used by hand-written functions.
inline bool IsNullish(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  return t == napi_undefined || t == napi_null;
}
const at::Tensor& GetTensor(napi_env env, napi_value v, int index);
double GetDouble(napi_env env, napi_value v, int index);
int64_t GetInt(napi_env env, napi_value v, int index);
bool GetBool(napi_env env, napi_value v, int index);
at::Scalar GetScalar(napi_env env, napi_value v, int index);
std::string GetString(napi_env env, napi_value v, int index);
void GetInts(napi_env env, napi_value v, int index, Ints& out);
std::vector<at::Tensor> GetTensorList(napi_env env, napi_value v, int index);
std::vector<OptTensor> GetOptTensorList(napi_env env, napi_value v, int index);
// The list with nulls as undefined tensors (what libtorch's list arguments take).
std::vector<at::Tensor> Unwrap(const std::vector<OptTensor>& v);

template <typename T>
struct Arg;

template <typename T>
struct Arg<const T&> : Arg<T> {};
// Optional arguments: null or undefined is nullopt, anything else converts as T.
template <typename T>
struct Arg<ton::optional<T>> {
  static ton::optional<T> Get(napi_env env, napi_value v, int i) {
    if (IsNullish(env, v)) return ton::nullopt;
    return Arg<T>::Get(env, v, i);
  }
};

template <>
struct Arg<at::Tensor> {
  static const at::Tensor& Get(napi_env env, napi_value v, int i) { return GetTensor(env, v, i); }
};
template <>
struct Arg<TensorOrScalar> {
  static TensorOrScalar Get(napi_env env, napi_value v, int i) {
    if (TensorBox* b = BoxOf(env, v)) return {&LiveTensor(b), at::Scalar()};
    try {
      return {nullptr, GetScalar(env, v, i)};
    } catch (const ArgError&) {
      throw ArgError{i, "a Tensor or a number"};
    }
  }
};
template <>
struct Arg<std::vector<at::Tensor>> {
  static std::vector<at::Tensor> Get(napi_env env, napi_value v, int i) { return GetTensorList(env, v, i); }
};
template <>
struct Arg<std::vector<OptTensor>> {
  static std::vector<OptTensor> Get(napi_env env, napi_value v, int i) { return GetOptTensorList(env, v, i); }
};
template <>
struct Arg<at::Scalar> {
  static at::Scalar Get(napi_env env, napi_value v, int i) { return GetScalar(env, v, i); }
};
template <>
struct Arg<double> {
  static double Get(napi_env env, napi_value v, int i) { return GetDouble(env, v, i); }
};
template <>
struct Arg<int64_t> {
  static int64_t Get(napi_env env, napi_value v, int i) { return GetInt(env, v, i); }
};
template <>
struct Arg<bool> {
  static bool Get(napi_env env, napi_value v, int i) { return GetBool(env, v, i); }
};
template <>
struct Arg<Ints> {
  static Ints Get(napi_env env, napi_value v, int i) {
    Ints out;
    GetInts(env, v, i, out);
    return out;
  }
};
template <>
struct Arg<at::ScalarType> {
  static at::ScalarType Get(napi_env env, napi_value v, int i) {
    int64_t code = GetInt(env, v, i);
    if (code < 0 || code >= static_cast<int64_t>(at::ScalarType::NumOptions)) throw ArgError{i, "a dtype"};
    return static_cast<at::ScalarType>(code);
  }
};
template <>
struct Arg<at::Device> {
  static at::Device Get(napi_env env, napi_value v, int i) { return DecodeDevice(GetInt(env, v, i)); }
};
template <>
struct Arg<std::string> {
  static std::string Get(napi_env env, napi_value v, int i) { return GetString(env, v, i); }
};
template <>
struct Arg<napi_value> {
  static napi_value Get(napi_env, napi_value v, int) { return v; }
};

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

inline napi_value ToJS(napi_env env, at::Tensor&& t) { return WrapTensor(env, std::move(t)); }
inline napi_value ToJS(napi_env env, const at::Tensor& t) { return WrapTensor(env, t); }
inline napi_value ToJS(napi_env, napi_value v) { return v; }
inline napi_value ToJS(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}
inline napi_value ToJS(napi_env env, int64_t v) {
  napi_value out;
  napi_create_int64(env, v, &out);
  return out;
}
inline napi_value ToJS(napi_env env, int v) { return ToJS(env, static_cast<int64_t>(v)); }
inline napi_value ToJS(napi_env env, bool v) {
  napi_value out;
  napi_get_boolean(env, v, &out);
  return out;
}
napi_value ToJS(napi_env env, const std::string& s);
napi_value ToJS(napi_env env, const at::Scalar& s);
napi_value ToJS(napi_env env, at::IntArrayRef v);
inline napi_value ToJS(napi_env env, const std::vector<int64_t>& v) { return ToJS(env, at::IntArrayRef(v)); }
napi_value ToJS(napi_env env, std::vector<at::Tensor>&& v);
inline napi_value ToJS(napi_env env, const std::vector<at::Tensor>& v) {
  return ToJS(env, std::vector<at::Tensor>(v));
}
template <typename T>
napi_value ToJS(napi_env env, ton::optional<T>&& v) {
  if (!v) {
    napi_value out;
    napi_get_null(env, &out);
    return out;
  }
  return ToJS(env, std::move(*v));
}
template <typename... Ts>
napi_value ToJS(napi_env env, std::tuple<Ts...>&& tup) {
  napi_value arr;
  napi_create_array_with_length(env, sizeof...(Ts), &arr);
  uint32_t i = 0;
  std::apply([&](auto&&... e) { ((napi_set_element(env, arr, i++, ToJS(env, std::move(e)))), ...); }, tup);
  return arr;
}

// ---------------------------------------------------------------------------
// Invoke
// ---------------------------------------------------------------------------

template <typename T>
struct Traits : Traits<decltype(&T::operator())> {};
template <typename C, typename R, typename... A>
struct Traits<R (C::*)(A...) const> {
  using Ret = R;
  using Args = std::tuple<A...>;
  static constexpr size_t N = sizeof...(A);
};

template <typename F, size_t... I>
inline napi_value CallWith(napi_env env, F& f, napi_value* argv, std::index_sequence<I...>) {
  using Args = typename Traits<F>::Args;
  using R = typename Traits<F>::Ret;
  if constexpr (std::is_void<R>::value) {
    f(Arg<std::remove_cv_t<std::tuple_element_t<I, Args>>>::Get(env, argv[I], static_cast<int>(I))...);
    return nullptr;  // undefined
  } else {
    return ToJS(env, f(Arg<std::remove_cv_t<std::tuple_element_t<I, Args>>>::Get(env, argv[I],
                                                                                 static_cast<int>(I))...));
  }
}

// Reads the first N JS arguments (missing ones are undefined) and runs body(argv),
// turning its C++ exceptions into JS errors.
template <size_t N, typename Body>
napi_value WithArgs(napi_env env, napi_callback_info info, const char* name, const char* sig, Body&& body) {
  napi_value argv[N > 0 ? N : 1];
  size_t argc = N;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  try {
    return body(argv);
  } catch (...) {
    return ThrowCurrent(env, name, sig, argv, N);
  }
}

template <typename F>
napi_value Invoke(napi_env env, napi_callback_info info, const char* name, const char* sig, F f) {
  constexpr size_t N = Traits<F>::N;
  return WithArgs<N>(env, info, name, sig,
                     [&](napi_value* argv) { return CallWith(env, f, argv, std::make_index_sequence<N>{}); });
}

// ---------------------------------------------------------------------------
// Registry: every source file adds its entries; the addon defines them all.
// ---------------------------------------------------------------------------

struct Entry {
  const char* name;
  napi_callback cb;
};
std::vector<Entry>& Registry();
struct Register {
  Register(std::initializer_list<Entry> entries) { Registry().insert(Registry().end(), entries); }
};

#define TON_OP(NAME, ...)                                                        \
  ::ton::Entry {                                                                 \
    #NAME, [](napi_env env, napi_callback_info info) -> napi_value {             \
      return ::ton::Invoke(env, info, #NAME, #__VA_ARGS__, __VA_ARGS__);         \
    }                                                                            \
  }
// A hand-written napi_callback (for functions that need the env or JS values).
#define TON_FN(NAME, FN) ::ton::Entry { #NAME, FN }

// The body of a hand-written callback: its first N JS arguments, and the same
// exception translation as TON_OP (argument errors name the position, not a parameter).
template <size_t N, typename Body>
napi_value Guard(napi_env env, napi_callback_info info, const char* name, Body&& body) {
  return WithArgs<N>(env, info, name, nullptr, std::forward<Body>(body));
}

// A JS handle over a C++ value other than a tensor (an autograd Node, a Generator): an
// external owning a heap box. The magic number, first as in TensorBox, tells a box of
// this kind from any other external.
template <typename T, uint32_t Magic>
struct ExternalBox {
  uint32_t magic;
  T value;
  WeakSlot slot;

  static void Finalize(ExternalBox* b) {
    b->magic = 0;
    delete b;
  }
  static napi_value Wrap(napi_env env, T value) {
    auto* box = new ExternalBox{Magic, std::move(value), {}};
    napi_value out = MakeExternal<ExternalBox, Finalize>(env, box);
    if (out == nullptr) {
      delete box;
      Check(env, napi_generic_failure);
    }
    return out;
  }
  // The value behind `v`; an ArgError (expecting `what`) when `v` is no such handle.
  static const T& Get(napi_env env, napi_value v, int index, const char* what) {
    void* p = ExternalPointer(env, v);
    if (p == nullptr || static_cast<ExternalBox*>(p)->magic != Magic) throw ArgError{index, what};
    return static_cast<ExternalBox*>(p)->value;
  }
};

}  // namespace ton
