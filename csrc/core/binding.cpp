#include "core/binding.h"
#include "core/js_thread.h"

#include <cmath>
#include <cstring>

namespace ton {

std::vector<Entry>& Registry() {
  static std::vector<Entry> entries;
  return entries;
}

// ---------------------------------------------------------------------------
// Converters
// ---------------------------------------------------------------------------

const at::Tensor& GetTensor(napi_env env, napi_value v, int index) {
  TensorBox* b = BoxOf(env, v);
  if (b == nullptr) throw ArgError{index, "a Tensor"};
  return LiveTensor(b);
}

double GetDouble(napi_env env, napi_value v, int index) {
  double d;
  if (napi_get_value_double(env, v, &d) == napi_ok) return d;
  bool b;
  if (napi_get_value_bool(env, v, &b) == napi_ok) return b ? 1.0 : 0.0;
  throw ArgError{index, "a number"};
}

int64_t GetInt(napi_env env, napi_value v, int index) {
  double d;
  if (napi_get_value_double(env, v, &d) == napi_ok) {
    if (std::floor(d) != d || !std::isfinite(d)) throw ArgError{index, "an integer"};
    return static_cast<int64_t>(d);
  }
  bool b;
  if (napi_get_value_bool(env, v, &b) == napi_ok) return b ? 1 : 0;
  int64_t i;
  bool lossless;
  if (napi_get_value_bigint_int64(env, v, &i, &lossless) == napi_ok) return i;
  throw ArgError{index, "an integer"};
}

bool GetBool(napi_env env, napi_value v, int index) {
  bool b;
  if (napi_get_value_bool(env, v, &b) == napi_ok) return b;
  if (IsNullish(env, v)) return false;
  double d;
  if (napi_get_value_double(env, v, &d) == napi_ok) return d != 0;
  throw ArgError{index, "a boolean"};
}

at::Scalar GetScalar(napi_env env, napi_value v, int index) {
  double d;
  if (napi_get_value_double(env, v, &d) == napi_ok) {
    // JS has one number type: integral values become integer scalars (as Python's
    // ints), so int tensors keep their dtype; others are doubles.
    if (std::floor(d) == d && std::fabs(d) <= 9007199254740992.0) return at::Scalar(static_cast<int64_t>(d));
    return at::Scalar(d);
  }
  bool b;
  if (napi_get_value_bool(env, v, &b) == napi_ok) return at::Scalar(b);
  int64_t i;
  bool lossless;
  if (napi_get_value_bigint_int64(env, v, &i, &lossless) == napi_ok) return at::Scalar(i);
  throw ArgError{index, "a number"};
}

std::string GetString(napi_env env, napi_value v, int index) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) throw ArgError{index, "a string"};
  std::string s(len, '\0');
  napi_get_value_string_utf8(env, v, &s[0], len + 1, &len);
  return s;
}

void GetInts(napi_env env, napi_value v, int index, Ints& out) {
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (!is_array) {
    // A single number is a list of one (Python accepts `sum(0)` and `sum((0,))`).
    double d;
    if (napi_get_value_double(env, v, &d) == napi_ok && std::floor(d) == d) {
      out.push_back(static_cast<int64_t>(d));
      return;
    }
    throw ArgError{index, "an array of integers"};
  }
  uint32_t n;
  napi_get_array_length(env, v, &n);
  out.resize(n);
  for (uint32_t k = 0; k < n; ++k) {
    napi_value e;
    napi_get_element(env, v, k, &e);
    double d;
    if (napi_get_value_double(env, e, &d) != napi_ok || std::floor(d) != d) throw ArgError{index, "an array of integers"};
    out[k] = static_cast<int64_t>(d);
  }
}

std::vector<at::Tensor> GetTensorList(napi_env env, napi_value v, int index) {
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (!is_array) throw ArgError{index, "an array of Tensors"};
  uint32_t n;
  napi_get_array_length(env, v, &n);
  std::vector<at::Tensor> out;
  out.reserve(n);
  for (uint32_t k = 0; k < n; ++k) {
    napi_value e;
    napi_get_element(env, v, k, &e);
    TensorBox* b = BoxOf(env, e);
    if (b == nullptr) throw ArgError{index, "an array of Tensors"};
    out.push_back(LiveTensor(b));
  }
  return out;
}

std::vector<OptTensor> GetOptTensorList(napi_env env, napi_value v, int index) {
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (!is_array) throw ArgError{index, "an array of Tensors or nulls"};
  uint32_t n;
  napi_get_array_length(env, v, &n);
  std::vector<OptTensor> out;
  out.reserve(n);
  for (uint32_t k = 0; k < n; ++k) {
    napi_value e;
    napi_get_element(env, v, k, &e);
    if (IsNullish(env, e)) {
      out.emplace_back(ton::nullopt);
      continue;
    }
    out.emplace_back(GetTensor(env, e, index));
  }
  return out;
}

std::vector<at::Tensor> Unwrap(const std::vector<OptTensor>& v) {
  std::vector<at::Tensor> out;
  out.reserve(v.size());
  for (const auto& t : v) out.push_back(t.has_value() ? *t : at::Tensor());
  return out;
}

napi_value ToJS(napi_env env, const std::string& s) {
  napi_value out;
  napi_create_string_utf8(env, s.data(), s.size(), &out);
  return out;
}

napi_value ToJS(napi_env env, const at::Scalar& s) {
  if (s.isBoolean()) return ToJS(env, s.toBool());
  if (s.isIntegral(false)) return ToJS(env, static_cast<double>(s.toLong()));
  if (s.isComplex()) return ToJS(env, s.toComplexDouble().real());
  return ToJS(env, s.toDouble());
}

napi_value ToJS(napi_env env, at::IntArrayRef v) {
  napi_value arr;
  napi_create_array_with_length(env, v.size(), &arr);
  for (size_t i = 0; i < v.size(); ++i) {
    napi_value e;
    napi_create_int64(env, v[i], &e);
    napi_set_element(env, arr, static_cast<uint32_t>(i), e);
  }
  return arr;
}

napi_value ToJS(napi_env env, std::vector<at::Tensor>&& v) {
  napi_value arr;
  napi_create_array_with_length(env, v.size(), &arr);
  for (size_t i = 0; i < v.size(); ++i) napi_set_element(env, arr, static_cast<uint32_t>(i), WrapTensor(env, std::move(v[i])));
  return arr;
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------
namespace {

// The name of parameter `index` of a stringified lambda "[](const T& self, Ints dim) {...}".
std::string ParamName(const char* sig, int index) {
  if (sig == nullptr) return "";
  const char* p = std::strchr(sig, '(');
  if (p == nullptr) return "";
  ++p;
  int depth = 0, k = 0;
  const char* start = p;
  for (; *p; ++p) {
    char c = *p;
    if (c == '<' || c == '(') ++depth;
    else if (c == '>' || (c == ')' && depth > 0)) --depth;
    else if ((c == ',' && depth == 0) || (c == ')' && depth == 0)) {
      if (k == index) {
        const char* e = p;
        while (e > start && (e[-1] == ' ')) --e;
        const char* b = e;
        while (b > start && (std::isalnum(static_cast<unsigned char>(b[-1])) || b[-1] == '_')) --b;
        std::string name(b, e);
        if (name.size() > 1 && name.back() == '_') name.pop_back();
        return name;
      }
      if (c == ')') break;
      ++k;
      start = p + 1;
    }
  }
  return "";
}

std::string TypeNameOf(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return "unknown";
  switch (t) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_function: return "function";
    case napi_bigint: return "bigint";
    case napi_external: {
      TensorBox* b = BoxOf(env, v);
      return b ? (b->t.defined() ? "Tensor" : "disposed Tensor") : "external";
    }
    case napi_object: {
      bool arr = false;
      napi_is_array(env, v, &arr);
      return arr ? "array" : "object";
    }
  }
  return "unknown";
}

}  // namespace

namespace {

// Errors are returned, not thrown: the native function returns the sentinel and
// lib/native.ts throws the error it takes with take_error(). Node rethrows an addon's
// thrown exception from a handle it clears only afterwards; if that throw's allocation
// starts a GC, the tensor finalizers run in it and Node then rethrows inside the GC,
// which aborts the process (V8: "AllowJavascriptExecution::IsAllowed").
napi_ref g_sentinel = nullptr;
napi_ref g_error = nullptr;

napi_value MakeError(napi_env env, JsError::Kind kind, const std::string& msg, const char* code = nullptr) {
  napi_value m, c = nullptr, err = nullptr;
  napi_create_string_utf8(env, msg.data(), msg.size(), &m);
  if (code != nullptr) napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &c);
  if (kind == JsError::kType) napi_create_type_error(env, c, m, &err);
  else if (kind == JsError::kRange) napi_create_range_error(env, c, m, &err);
  else napi_create_error(env, c, m, &err);
  return err;
}

napi_value TakeError(napi_env env, napi_callback_info) {
  napi_value err;
  if (g_error == nullptr) {
    err = MakeError(env, JsError::kError, "torchopt-node: no native error to take");
  } else {
    napi_get_reference_value(env, g_error, &err);
    napi_delete_reference(env, g_error);
    g_error = nullptr;
  }
  return err;
}

}  // namespace

void InitErrors(napi_env env, napi_value exports) {
  napi_value sentinel, take;
  napi_create_object(env, &sentinel);
  napi_create_reference(env, sentinel, 1, &g_sentinel);
  napi_create_function(env, "take_error", NAPI_AUTO_LENGTH, TakeError, nullptr, &take);
  napi_set_named_property(env, exports, "error_sentinel", sentinel);
  napi_set_named_property(env, exports, "take_error", take);
}

napi_value ThrowCurrent(napi_env env, const char* op, const char* sig, const napi_value* argv, size_t argc) {
  napi_value err = nullptr;
  try {
    throw;
  } catch (const JsPending&) {
    // A JS exception from a Node-API call (a callback or getter threw): pass it on.
    napi_get_and_clear_last_exception(env, &err);
  } catch (const ArgError& e) {
    std::string name = ParamName(sig, e.index);
    std::string got = (argv && static_cast<size_t>(e.index) < argc) ? TypeNameOf(env, argv[e.index]) : "nothing";
    std::string msg = std::string(op) + "(): argument '" + (name.empty() ? std::to_string(e.index) : name) +
                      "' must be " + e.expected + ", got " + got;
    err = MakeError(env, JsError::kType, msg, "ERR_TORCH_ARGUMENT");
  } catch (const JsError& e) {
    err = MakeError(env, e.kind, e.message);
  } catch (const JsCallbackError& e) {
    err = TakeStoredJsError(env);
    if (err == nullptr) err = MakeError(env, JsError::kError, e.what());
  } catch (const c10::IndexError& e) {
    err = MakeError(env, JsError::kRange, e.what_without_backtrace());
  } catch (const c10::TypeError& e) {
    err = MakeError(env, JsError::kType, e.what_without_backtrace());
  } catch (const c10::ValueError& e) {
    err = MakeError(env, JsError::kRange, e.what_without_backtrace());
  } catch (const c10::Error& e) {
    err = MakeError(env, JsError::kError, e.what_without_backtrace());
  } catch (const std::exception& e) {
    err = MakeError(env, JsError::kError, e.what());
  } catch (...) {
    err = MakeError(env, JsError::kError, std::string(op) + "(): unknown native error");
  }
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) {  // left by a failed call above; the error made here is the one to report
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
  if (err == nullptr) err = MakeError(env, JsError::kError, std::string(op) + "(): unknown native error");
  if (g_error != nullptr) napi_delete_reference(env, g_error);
  napi_create_reference(env, err, 1, &g_error);
  napi_value sentinel;
  napi_get_reference_value(env, g_sentinel, &sentinel);
  return sentinel;
}

}  // namespace ton
