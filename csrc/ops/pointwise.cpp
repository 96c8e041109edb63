// Elementwise ops: unary, binary (Tensor or scalar operand), ternary, fills.
#include <c10/util/MaybeOwned.h>

#include <cstring>

#include "core/js_thread.h"

#include "ops/common.h"

namespace ton {
namespace {

// TorchOpt's step counter: c + (c != INT64_MAX), in one op (the same integer result as
// its three tensor ops).
Tensor IncCount(const Tensor& c) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // The usual case, a CPU int64 one-element count, without an op (a third of a fused
  // Adam step's host time went here).
  if (c.device().is_cpu() && c.scalar_type() == at::kLong && c.numel() == 1 && !c.requires_grad()) {
    int64_t v = *c.data_ptr<int64_t>();
    Tensor out = at::empty(c.sizes(), c.options());
    *out.data_ptr<int64_t>() = v != kMax ? v + 1 : v;
    return out;
  }
  return at::add(c, c.item<int64_t>() != kMax ? 1 : 0);
}

using TS = TensorOrScalar;

// Number operands of add/sub/mul/div. Python passes them as "wrapped number" tensors
// (not the Scalar overloads, which fixes the autograd node names: AddBackward0, ...;
// the Scalar overloads wrap them too), and so do we, with two savings (together
// `t.mul(0.5)` on a small float tensor took 2.1 us against 1.0 us for a tensor operand):
// - a number meeting a float or double tensor is wrapped in that dtype: the kernels
//   convert it to the tensor's dtype anyway (their opmath type), and a double operand
//   beside a float tensor sent TensorIterator down its dtype-conversion path;
// - wrapped numbers come from a small cache instead of an allocation per call. They are
//   never written to, so sharing them (also with autograd's saved variables) is safe.
struct WrappedNumbers {
  static constexpr size_t kSize = 64;
  struct Entry {
    int8_t dtype = -1;  // -1: empty
    uint64_t bits = 0;
    Tensor t;
  };
  Entry e[kSize];
  Tensor* Slot(at::ScalarType st, uint64_t bits) {
    uint64_t h = (bits ^ (bits >> 29) ^ static_cast<uint64_t>(st)) * 0x9E3779B97F4A7C15ull;
    Entry& x = e[h >> 58];  // top 6 bits: kSize = 64
    if (x.dtype == static_cast<int8_t>(st) && x.bits == bits && x.t.defined()) return &x.t;
    x.dtype = static_cast<int8_t>(st);
    x.bits = bits;
    x.t = Tensor();
    return &x.t;
  }
};
WrappedNumbers* g_wrapped = new WrappedNumbers();  // leaked: outlives static destruction

// The wrapped number for `s` beside `self`, or an undefined tensor where libtorch's own
// wrapping must decide (half, integer, complex tensors; bool or complex numbers; a
// double that does not fit a float).
inline Tensor* CachedNumber(const Scalar& s, const Tensor& self) {
  const at::ScalarType st = self.scalar_type();
  if ((st != at::kFloat && st != at::kDouble) || (!s.isFloatingPoint() && !s.isIntegral(false))) return nullptr;
  double d = s.isFloatingPoint() ? s.toDouble() : static_cast<double>(s.toLong());
  if (st == at::kFloat) {
    const float f = static_cast<float>(d);
    if (std::isfinite(d) != std::isfinite(f)) return nullptr;
    d = f;  // the value the float kernel would use
  }
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  Tensor* t = g_wrapped->Slot(st, bits);
  if (!t->defined()) {
    *t = at::scalar_tensor(d, at::TensorOptions().dtype(st));
    t->unsafeGetTensorImpl()->set_wrapped_number(true);
  }
  return t;
}

inline Tensor WrapNumber(const Scalar& s) {
  Tensor t = c10::scalar_to_tensor(s);
  t.unsafeGetTensorImpl()->set_wrapped_number(true);
  return t;
}

// The operand of a binary op beside `self`. A tensor operand is borrowed, not copied: a
// copy is two atomic refcount updates on the hottest ops (a.add_(b) is ~80 ns above
// libtorch's own call).
inline c10::MaybeOwned<Tensor> Wrap(const TS& v, const Tensor& self) {
  if (v.is_tensor()) return c10::MaybeOwned<Tensor>::borrowed(*v.tensor);
  // Not under inference_mode: a tensor made there is an inference tensor, which
  // autograd may not save later.
  if (OnJsThread() && !c10::InferenceMode::is_enabled()) {
    if (Tensor* t = CachedNumber(v.scalar, self)) return c10::MaybeOwned<Tensor>::borrowed(*t);
  }
  return c10::MaybeOwned<Tensor>::owned(WrapNumber(v.scalar));
}

// The list ops of optimizer updates pair params with updates.
inline void CheckPairs(const char* op, const std::vector<Tensor>& ps, const std::vector<Tensor>& us) {
  if (ps.size() != us.size()) ThrowRange(std::string(op) + "(): params and updates differ in length");
}

// clamp's bounds: scalars, or tensors when either bound is one (a scalar bound then
// becomes a tensor like t).
inline ton::optional<Scalar> ScalarBound(const TS& b, bool has) { return has ? ton::optional<Scalar>(b.scalar) : ton::nullopt; }
inline OptTensor TensorBound(const Tensor& t, const TS& b, bool has) {
  if (!has) return ton::nullopt;
  return b.is_tensor() ? *b.tensor : at::scalar_tensor(b.scalar, t.options());
}

// Unary ops with an in-place twin: one list, expanded to `name` and `name_`.
#define TON_UNARY(X)                                                                                   \
  X(neg) X(abs) X(sqrt) X(rsqrt) X(square) X(exp) X(exp2) X(expm1) X(log) X(log2) X(log10) X(log1p) \
  X(sin) X(cos) X(tan) X(asin) X(acos) X(atan) X(sinh) X(cosh) X(tanh) X(asinh) X(acosh) X(atanh)  \
  X(sigmoid) X(relu) X(sign) X(sgn) X(reciprocal) X(floor) X(ceil) X(round) X(trunc) X(frac) X(erf) \
  X(erfc) X(erfinv) X(logical_not) X(bitwise_not) X(lgamma) X(digamma) X(i0) X(deg2rad) X(rad2deg)

#define TON_UNARY_ENTRY(name)                                   \
  TON_OP(name, [](const Tensor& t) { return at::name(t); }),    \
  TON_OP(name##_, [](const Tensor& t) { t.name##_(); }),

// Comparison / logical / arithmetic binaries with a Tensor-or-scalar operand.
#define TON_BINARY(X)                                                                                   \
  X(remainder) X(fmod) X(eq) X(ne) X(lt) X(le) X(gt) X(ge) X(bitwise_and) X(bitwise_or) \
  X(bitwise_xor) X(floor_divide) X(xlogy)

#define TON_BINARY_ENTRY(name)                                                                       \
  TON_OP(name, [](const Tensor& self, TS other) { return other.is_tensor() ? at::name(self, *other.tensor) : at::name(self, other.scalar); }), \
  TON_OP(name##_, [](const Tensor& self, TS other) {                                                         \
    if (other.is_tensor()) self.name##_(*other.tensor); else self.name##_(other.scalar); \
  }),

// Tensor-only binaries.
#define TON_BINARY_T(X) \
  X(atan2) X(maximum) X(minimum) X(fmax) X(fmin) X(logical_and) X(logical_or) X(logical_xor) X(hypot) X(copysign)

#define TON_BINARY_T_ENTRY(name) TON_OP(name, [](const Tensor& self, const Tensor& other) { return at::name(self, other); }),

Register reg{
    TON_UNARY(TON_UNARY_ENTRY)
    TON_BINARY(TON_BINARY_ENTRY)
    TON_BINARY_T(TON_BINARY_T_ENTRY)

    // add and sub: alpha = 1 gets its own entry, one argument less to convert on the
    // hottest path.
    TON_OP(add, [](const Tensor& self, TS other) { return at::add(self, *Wrap(other, self)); }),
    TON_OP(add_, [](const Tensor& self, TS other) { self.add_(*Wrap(other, self)); }),
    TON_OP(add_alpha, [](const Tensor& self, TS other, const Scalar& alpha) { return at::add(self, *Wrap(other, self), alpha); }),
    TON_OP(add_alpha_, [](const Tensor& self, TS other, const Scalar& alpha) { self.add_(*Wrap(other, self), alpha); }),
    TON_OP(sub, [](const Tensor& self, TS other) { return at::sub(self, *Wrap(other, self)); }),
    TON_OP(sub_, [](const Tensor& self, TS other) { self.sub_(*Wrap(other, self)); }),
    TON_OP(sub_alpha, [](const Tensor& self, TS other, const Scalar& alpha) { return at::sub(self, *Wrap(other, self), alpha); }),
    TON_OP(sub_alpha_, [](const Tensor& self, TS other, const Scalar& alpha) { self.sub_(*Wrap(other, self), alpha); }),
    // scalar - tensor, scalar / tensor (Python's __rsub__, __rtruediv__)
    TON_OP(rsub, [](const Tensor& a, const Scalar& b) { return at::rsub(a, b); }),
    TON_OP(rdiv, [](const Tensor& a, const Scalar& b) { return at::reciprocal(a).mul_(WrapNumber(b)); }),
    TON_OP(div_mode, [](const Tensor& self, TS other, std::string mode) {
      return other.is_tensor() ? at::div(self, *other.tensor, mode) : at::div(self, other.scalar, mode);
    }),
    TON_OP(mul, [](const Tensor& self, TS other) { return at::mul(self, *Wrap(other, self)); }),
    TON_OP(mul_, [](const Tensor& self, TS other) { self.mul_(*Wrap(other, self)); }),
    TON_OP(div, [](const Tensor& self, TS other) { return at::div(self, *Wrap(other, self)); }),
    TON_OP(div_, [](const Tensor& self, TS other) { self.div_(*Wrap(other, self)); }),
    TON_OP(pow, [](const Tensor& self, TS other) { return other.is_tensor() ? at::pow(self, *other.tensor) : at::pow(self, other.scalar); }),
    TON_OP(pow_, [](const Tensor& self, TS other) { if (other.is_tensor()) self.pow_(*other.tensor); else self.pow_(other.scalar); }),
    TON_OP(rpow, [](const Scalar& base, const Tensor& e) { return at::pow(WrapNumber(base), e); }),
    TON_OP(float_power, [](const Tensor& self, TS other) {
      return other.is_tensor() ? at::float_power(self, *other.tensor) : at::float_power(self, other.scalar);
    }),

    TON_OP(addcmul, [](const Tensor& t, const Tensor& a, const Tensor& b, const Scalar& v) { return at::addcmul(t, a, b, v); }),
    TON_OP(addcmul_, [](const Tensor& t, const Tensor& a, const Tensor& b, const Scalar& v) { t.addcmul_(a, b, v); }),
    TON_OP(addcdiv, [](const Tensor& t, const Tensor& a, const Tensor& b, const Scalar& v) { return at::addcdiv(t, a, b, v); }),
    TON_OP(addcdiv_, [](const Tensor& t, const Tensor& a, const Tensor& b, const Scalar& v) { t.addcdiv_(a, b, v); }),
    TON_OP(lerp, [](const Tensor& a, const Tensor& b, TS w) {
      return w.is_tensor() ? at::lerp(a, b, *w.tensor) : at::lerp(a, b, w.scalar);
    }),
    TON_OP(lerp_, [](const Tensor& a, const Tensor& b, TS w) {
      if (w.is_tensor()) a.lerp_(b, *w.tensor); else a.lerp_(b, w.scalar);
    }),
    TON_OP(where, [](const Tensor& c, TS a, TS b) {
      if (a.is_tensor() && b.is_tensor()) return at::where(c, *a.tensor, *b.tensor);
      if (a.is_tensor()) return at::where(c, *a.tensor, b.scalar);
      if (b.is_tensor()) return at::where(c, a.scalar, *b.tensor);
      return at::where(c, a.scalar, b.scalar);
    }),
    TON_OP(clamp, [](const Tensor& t, TS lo, TS hi, bool has_lo, bool has_hi) {
      if ((has_lo && lo.is_tensor()) || (has_hi && hi.is_tensor()))
        return at::clamp(t, TensorBound(t, lo, has_lo), TensorBound(t, hi, has_hi));
      return at::clamp(t, ScalarBound(lo, has_lo), ScalarBound(hi, has_hi));
    }),
    TON_OP(clamp_, [](const Tensor& t, TS lo, TS hi, bool has_lo, bool has_hi) {
      if ((has_lo && lo.is_tensor()) || (has_hi && hi.is_tensor()))
        t.clamp_(TensorBound(t, lo, has_lo), TensorBound(t, hi, has_hi));
      else
        t.clamp_(ScalarBound(lo, has_lo), ScalarBound(hi, has_hi));
    }),
    TON_OP(nan_to_num, [](const Tensor& t, ton::optional<double> nan, ton::optional<double> posinf, ton::optional<double> neginf) {
      return at::nan_to_num(t, nan, posinf, neginf);
    }),
    TON_OP(nan_to_num_, [](const Tensor& t, ton::optional<double> nan, ton::optional<double> posinf, ton::optional<double> neginf) {
      t.nan_to_num_(nan, posinf, neginf);
    }),
    TON_OP(isnan, [](const Tensor& t) { return at::isnan(t); }),
    TON_OP(isinf, [](const Tensor& t) { return at::isinf(t); }),
    TON_OP(isfinite, [](const Tensor& t) { return at::isfinite(t); }),
    TON_OP(isposinf, [](const Tensor& t) { return at::isposinf(t); }),
    TON_OP(isneginf, [](const Tensor& t) { return at::isneginf(t); }),
    TON_OP(signbit, [](const Tensor& t) { return at::signbit(t); }),
    TON_OP(logit, [](const Tensor& t, ton::optional<double> eps) { return at::logit(t, eps); }),
    TON_OP(isclose, [](const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
      return at::isclose(a, b, rtol, atol, equal_nan);
    }),
    TON_OP(allclose, [](const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
      return at::allclose(a, b, rtol, atol, equal_nan);
    }),
    TON_OP(equal, [](const Tensor& self, const Tensor& other) { return at::equal(self, other); }),
    TON_OP(inc_count, [](const Tensor& c) { return IncCount(c); }),
    // List forms of the per-leaf steps of an optimizer update: one call per update
    // instead of one per parameter (the ops, and so the bits, are the same).
    TON_OP(inc_count_list, [](const std::vector<Tensor>& cs) {
      std::vector<Tensor> out;
      out.reserve(cs.size());
      for (const Tensor& c : cs) out.push_back(IncCount(c));
      return out;
    }),
    TON_OP(mul_list_, [](const std::vector<Tensor>& ts, const at::Scalar& s) {
      for (const Tensor& t : ts) t.mul_(*Wrap({nullptr, s}, t));
    }),
    // TorchOpt's sgd without momentum on flat lists, update and apply in one call, the
    // same bits as scale then apply_updates: in place, g.mul_(step) then p.data.add_(g);
    // out of place (differentiable), p.add(g.mul(step)).
    TON_OP(scale_add_data_list_, [](const std::vector<Tensor>& ps, const std::vector<Tensor>& gs, const at::Scalar& step) {
      CheckPairs("scale_add_data_list_", ps, gs);
      for (const Tensor& g : gs) g.mul_(*Wrap({nullptr, step}, g));
      at::AutoDispatchBelowADInplaceOrView guard;  // .data.add_: see add_data_list_
      for (size_t i = 0; i < ps.size(); ++i) ps[i].add_(gs[i]);
    }),
    TON_OP(scale_add_list, [](const std::vector<Tensor>& ps, const std::vector<Tensor>& gs, const at::Scalar& step) {
      CheckPairs("scale_add_list", ps, gs);
      std::vector<Tensor> out;
      out.reserve(ps.size());
      for (size_t i = 0; i < ps.size(); ++i) out.push_back(at::add(ps[i], at::mul(gs[i], *Wrap({nullptr, step}, gs[i]))));
      return out;
    }),
    // p.data.add_(u) for each pair: through a new version counter, as .data, so
    // autograd does not see the update.
    TON_OP(add_data_list_, [](const std::vector<Tensor>& ps, const std::vector<Tensor>& us) {
      CheckPairs("add_data_list_", ps, us);
      // Below autograd and ADInplaceOrView: what .data.add_ does (no graph, and not p's
      // version counter), without making a .data tensor per parameter.
      at::AutoDispatchBelowADInplaceOrView guard;
      for (size_t i = 0; i < ps.size(); ++i) ps[i].add_(us[i]);
    }),

    // fills and copies (in place)
    TON_OP(fill_, [](const Tensor& t, TS v) { if (v.is_tensor()) t.fill_(*v.tensor); else t.fill_(v.scalar); }),
    TON_OP(zero_, [](const Tensor& t) { t.zero_(); }),
    TON_OP(copy_, [](const Tensor& t, const Tensor& src, bool non_blocking) { t.copy_(src, non_blocking); }),
    // torch.name(..., {out}): the checks of libtorch's out= overloads, then resize and copy.
    TON_OP(write_out_, [](const Tensor& out, const Tensor& result) {
      TORCH_CHECK(out.device() == result.device(), "Expected out tensor to have device ", result.device(), ", but got ", out.device(), " instead");
      TORCH_CHECK(c10::canCast(result.scalar_type(), out.scalar_type()), "result type ", result.scalar_type(),
                  " can't be cast to the desired output type ", out.scalar_type());
      if (!out.sizes().equals(result.sizes())) out.resize_(result.sizes());
      out.copy_(result);
    }),
    TON_OP(masked_fill, [](const Tensor& t, const Tensor& mask, TS v) {
      return v.is_tensor() ? at::masked_fill(t, mask, *v.tensor) : at::masked_fill(t, mask, v.scalar);
    }),
    TON_OP(masked_fill_, [](const Tensor& t, const Tensor& mask, TS v) {
      if (v.is_tensor()) t.masked_fill_(mask, *v.tensor); else t.masked_fill_(mask, v.scalar);
    }),
};

}  // namespace
}  // namespace ton
