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
  if (!b->t.defined()) ThrowType("a Tensor was used after dispose()");
  return b->t;
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
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_undefined || t == napi_null) return false;
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
    if (!b->t.defined()) ThrowType("a Tensor was used after dispose()");
    out.push_back(b->t);
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
      out.emplace_back(c10::nullopt);
      continue;
    }
    out.emplace_back(GetTensor(env, e, index));
  }
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

napi_value ThrowCurrent(napi_env env, const char* op, const char* sig, const napi_value* argv, size_t argc) {
  try {
    throw;
  } catch (const JsPending&) {
  } catch (const ArgError& e) {
    std::string name = ParamName(sig, e.index);
    std::string got = (argv && static_cast<size_t>(e.index) < argc) ? TypeNameOf(env, argv[e.index]) : "nothing";
    std::string msg = std::string(op) + "(): argument '" + (name.empty() ? std::to_string(e.index) : name) +
                      "' must be " + e.expected + ", got " + got;
    napi_throw_type_error(env, "ERR_TORCH_ARGUMENT", msg.c_str());
  } catch (const JsError& e) {
    if (e.kind == JsError::kType) napi_throw_type_error(env, nullptr, e.message.c_str());
    else if (e.kind == JsError::kRange) napi_throw_range_error(env, nullptr, e.message.c_str());
    else napi_throw_error(env, nullptr, e.message.c_str());
  } catch (const JsCallbackError& e) {
    if (!ThrowStoredJsError(env)) napi_throw_error(env, nullptr, e.what());
  } catch (const c10::IndexError& e) {
    napi_throw_range_error(env, nullptr, e.what_without_backtrace());
  } catch (const c10::TypeError& e) {
    napi_throw_type_error(env, nullptr, e.what_without_backtrace());
  } catch (const c10::ValueError& e) {
    napi_throw_range_error(env, nullptr, e.what_without_backtrace());
  } catch (const c10::Error& e) {
    napi_throw_error(env, nullptr, e.what_without_backtrace());
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  } catch (...) {
    napi_throw_error(env, nullptr, (std::string(op) + "(): unknown native error").c_str());
  }
  return nullptr;
}

}  // namespace ton
