// Python-style indexing: t[...] reads and t[...] = v writes, with autograd.
//
// lib/ encodes an index list as a JS array whose items are: a number (an integer
// index), null (None, a new axis), a boolean, a tensor handle (advanced indexing),
// the string "..." (Ellipsis), or [start, stop, step] with nulls for omitted parts.
#include <ATen/TensorIndexing.h>

#include "ops/common.h"

namespace ton {

struct Indices {
  std::vector<at::indexing::TensorIndex> items;
};

template <>
struct Arg<Indices> {
  static Indices Get(napi_env env, napi_value v, int i) {
    using namespace at::indexing;
    using SliceInt = std::decay_t<decltype(std::declval<Slice>().start())>;
    bool is_array = false;
    napi_is_array(env, v, &is_array);
    if (!is_array) throw ArgError{i, "an index list"};
    uint32_t n;
    napi_get_array_length(env, v, &n);
    Indices out;
    out.items.reserve(n);
    for (uint32_t k = 0; k < n; ++k) {
      napi_value e;
      napi_get_element(env, v, k, &e);
      napi_valuetype type;
      napi_typeof(env, e, &type);
      switch (type) {
        case napi_number: out.items.emplace_back(GetInt(env, e, i)); break;
        case napi_null:
        case napi_undefined: out.items.emplace_back(None); break;
        case napi_boolean: out.items.emplace_back(GetBool(env, e, i)); break;
        case napi_string: {
          if (GetString(env, e, i) != "...") ThrowType("index: the only string index is '...'");
          out.items.emplace_back(Ellipsis);
          break;
        }
        case napi_external: out.items.emplace_back(GetTensor(env, e, i)); break;
        case napi_object: {
          bool arr = false;
          napi_is_array(env, e, &arr);
          if (!arr) throw ArgError{i, "an index list"};
          ton::optional<SliceInt> part[3];
          for (uint32_t p = 0; p < 3; ++p) {
            napi_value x;
            napi_get_element(env, e, p, &x);
            if (!IsNullish(env, x)) part[p] = SliceInt(GetInt(env, x, i));
          }
          out.items.emplace_back(Slice(part[0], part[1], part[2]));
          break;
        }
        default: throw ArgError{i, "an index list"};
      }
    }
    return out;
  }
};

namespace {

using TS = TensorOrScalar;

Register reg{
    TON_OP(index, [](const Tensor& t, Indices idx) { return t.index(idx.items); }),
    TON_OP(index_put_, [](const Tensor& t, Indices idx, TS v) {
      Tensor self = t;  // index_put_ is non-const in 1.13; the copy shares the TensorImpl
      if (v.is_tensor()) self.index_put_(idx.items, *v.tensor); else self.index_put_(idx.items, v.scalar);
    }),
    TON_OP(index_put, [](const Tensor& t, const std::vector<OptTensor>& idx, const Tensor& v, bool accumulate) {
      return at::index_put(t, c10::List<OptTensor>(idx), v, accumulate);
    }),
    TON_OP(index_put_list_, [](const Tensor& t, const std::vector<OptTensor>& idx, const Tensor& v, bool accumulate) {
      t.index_put_(c10::List<OptTensor>(idx), v, accumulate);
    }),
};

}  // namespace
}  // namespace ton
