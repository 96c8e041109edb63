// Element math of the fused optimizer kernels, written once for every caller: the CPU
// kernels run it on plain scalars and on at::vec::Vectorized<T> values (cpu_kernels.cpp),
// the CUDA kernels on scalars (csrc/cuda/fused_kernels.cu). This header must stay
// free of ATen and CUDA-only includes so that nvcc and the host compiler both take it.
//
// An op is a struct templated on its math type M (float for float/half/bfloat16, double
// for double). It reads and writes `kSlots` values per element, addressed by slot: the
// driver loads the slots in kLoads (an absent tensor reads as 0), calls the op, and
// stores the slots in kStores (an absent tensor is skipped). Hyper-parameters are
// per-call (Hyper); a few scalars are per tensor (PerTensor: Adam's bias factors, the
// first-step flag of SGD's momentum, whether a gradient is present).
#pragma once

#include <math.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define TON_HD __host__ __device__ __forceinline__
#else
#define TON_HD inline
#endif

namespace ton {
namespace fused {

constexpr int kMaxSlots = 9;

// One tensor of a multi-tensor call, as the kernels see it. The CUDA kernels read an
// array of these from device memory.
struct TensorSlots {
  void* ptr[kMaxSlots];  // first element of each slot's tensor; null = absent
  int64_t numel;
  int64_t chunk_begin;   // CUDA: index of this tensor's first chunk (block)
  double aux[2];         // per-tensor scalars (Adam: 1/(1-b1^t), 1/(1-b2^t))
  int32_t flags;         // per-tensor flags (kFirstStep, kHasDu)
};
constexpr int32_t kFirstStep = 1;  // SGD: the momentum buffer is new (buf = g)
constexpr int32_t kHasDu = 2;      // Adam backward: the gradient of `updates` is defined
constexpr int32_t kHasDMu = 4;     // AdamExactBackward: the gradient of mu' is defined
constexpr int32_t kHasDNu = 8;     // AdamExactBackward: the gradient of nu' is defined

template <typename M>
struct PerTensor {
  M a0, a1;
  int32_t flags;
};

enum class Kind : int { kAdam = 0, kAdamOp, kAdamOpBackward, kSgd, kRmsprop, kAdamExact, kAdamExactBackward };

// All hyper-parameters of all ops, in double; each op converts what it uses to M.
struct Hyper {
  double lr = 0, b1 = 0, b2 = 0, eps = 0, eps_root = 0, weight_decay = 0;
  double momentum = 0, dampening = 0, alpha = 0;
  bool maximize = false, decoupled = false, amsgrad = false, nesterov = false, centered = false;
  // true: the step is added to the parameter (out = param + step, torch.optim);
  // false: the step itself is written to `out` (TorchOpt's updates).
  bool apply = false;
  // AdamExact: whether libtorch's add(alpha) / addcmul kernels round once (FMA).
  bool fma_add = false, fma_addcmul = false;
  // AdamOpForward, AdamExact: updates multiplied by `scale` after rounding (the bits of
  // a following in-place mul_: a scale(step_size) folded into the same pass).
  bool has_scale = false;
  double scale = 1;
  // AdamExactBackward: the order in which autograd sums the three gradients of g
  // (true: the first moment's term first).
  bool mu_term_first = false;
};

// Scalar helpers; cpu_kernels.cpp specialises VOps for Vectorized<T>.
TON_HD float ScalarSqrt(float x) { return sqrtf(x); }
TON_HD double ScalarSqrt(double x) { return sqrt(x); }
TON_HD float ScalarFma(float a, float b, float c) { return fmaf(a, b, c); }
TON_HD double ScalarFma(double a, double b, double c) { return fma(a, b, c); }

template <typename V>
struct VOps {
  static TON_HD V Sqrt(V x) { return ScalarSqrt(x); }
  static TON_HD V Fma(V a, V b, V c) { return ScalarFma(a, b, c); }
  static TON_HD V Neg(V x) { return -x; }
  // NaN-propagating maximum (torch.maximum).
  static TON_HD V Max(V a, V b) { return (a > b || a != a) ? a : b; }
  // c == 0 ? if_zero : otherwise
  static TON_HD V IfZero(V c, V if_zero, V otherwise) { return c == V(0) ? if_zero : otherwise; }
};

// ---------------------------------------------------------------------------------------
// torch.optim.Adam / AdamW, and TorchOpt's adam / adamw updates (apply = false):
//   g  = maximize ? -grad : grad;  g += wd * p          (Adam: coupled weight decay)
//   m  = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  vmax = max(vmax, v) (amsgrad)
//   u  = (m / bc1) / (sqrt(v / bc2 + eps_root) + eps)   (bias factors per tensor)
//   step = -lr u  (AdamW: - lr wd p);  out = p + step or step
// ---------------------------------------------------------------------------------------
template <typename M>
struct AdamStep {
  enum : int { kP, kG, kM, kV, kVmax, kOut, kSlots };
  static constexpr unsigned kLoads = 0b011111, kStores = 0b111100;
  M b1, omb1, b2, omb2, eps, eps_root, wd, gsign, nlr, keep, nlrwd;
  bool coupled_wd, decoupled, amsgrad, apply;

  explicit AdamStep(const Hyper& h)
      : b1(M(h.b1)), omb1(M(1 - h.b1)), b2(M(h.b2)), omb2(M(1 - h.b2)), eps(M(h.eps)), eps_root(M(h.eps_root)),
        wd(M(h.weight_decay)), gsign(M(h.maximize ? -1 : 1)), nlr(M(-h.lr)), keep(M(1 - h.lr * h.weight_decay)),
        nlrwd(M(-h.lr * h.weight_decay)), coupled_wd(h.weight_decay != 0 && !h.decoupled),
        decoupled(h.weight_decay != 0 && h.decoupled), amsgrad(h.amsgrad), apply(h.apply) {}

  template <typename V>
  TON_HD void operator()(V (&x)[kSlots], const PerTensor<M>& t) const {
    V g = x[kG] * V(gsign);
    if (coupled_wd) g = g + V(wd) * x[kP];
    x[kM] = V(b1) * x[kM] + V(omb1) * g;
    x[kV] = V(b2) * x[kV] + V(omb2) * g * g;
    V v = x[kV];
    if (amsgrad) {
      x[kVmax] = VOps<V>::Max(x[kVmax], v);
      v = x[kVmax];
    }
    V u = (x[kM] * V(t.a0)) / (VOps<V>::Sqrt(v * V(t.a1) + V(eps_root)) + V(eps));
    if (apply) {
      x[kOut] = (decoupled ? x[kP] * V(keep) : x[kP]) + V(nlr) * u;
    } else {
      x[kOut] = decoupled ? V(nlrwd) * x[kP] + V(nlr) * u : V(nlr) * u;
    }
  }
};

// ---------------------------------------------------------------------------------------
// TorchOpt's AdamOp forward (spec 2.1), in place or into new tensors:
//   mu' = b1 mu + (1-b1) g;  nu' = b2 nu + (1-b2) g^2
//   u   = (mu' * (1/bc1)) / (sqrt(nu' * (1/bc2) + eps_root) + eps)
// ---------------------------------------------------------------------------------------
template <typename M>
struct AdamOpForward {
  enum : int { kMu, kNu, kG, kMuOut, kNuOut, kUOut, kSlots };
  static constexpr unsigned kLoads = 0b000111, kStores = 0b111000;
  M b1, omb1, b2, omb2, eps, eps_root, scale;
  bool has_scale;

  explicit AdamOpForward(const Hyper& h)
      : b1(M(h.b1)), omb1(M(1 - h.b1)), b2(M(h.b2)), omb2(M(1 - h.b2)), eps(M(h.eps)), eps_root(M(h.eps_root)),
        scale(M(h.scale)), has_scale(h.has_scale) {}

  template <typename V>
  TON_HD void operator()(V (&x)[kSlots], const PerTensor<M>& t) const {
    V g = x[kG];
    V mu = V(b1) * x[kMu] + V(omb1) * g;
    V nu = V(b2) * x[kNu] + V(omb2) * g * g;
    V u = (mu * V(t.a0)) / (VOps<V>::Sqrt(nu * V(t.a1) + V(eps_root)) + V(eps));
    x[kUOut] = has_scale ? u * V(scale) : u;
    x[kMuOut] = mu;
    x[kNuOut] = nu;
  }
};

// ---------------------------------------------------------------------------------------
// Backward of AdamOpForward (exact; see adam_op.cpp for the derivation and the singular
// points). With s = nu' a1 + eps_root, r = sqrt(s), d = r + eps (a0 = 1/bc1, a1 = 1/bc2):
//   du/dmu' = a0 / d
//   du/dnu' = -mu' a0 a1 / (2 d^2 r), taken as 0 where mu' == 0 (u does not depend on nu'
//             there, also when r == 0)
//   dmu' += du * du/dmu';  dnu' += du * du/dnu'   (only where du is given)
//   dmu = b1 dmu';  dnu = b2 dnu';  dg = (1-b1) dmu' + 2 (1-b2) g dnu'
// ---------------------------------------------------------------------------------------
template <typename M>
struct AdamOpBackward {
  enum : int { kDMu1, kDNu1, kDU, kG, kMu1, kNu1, kDMu, kDNu, kDG, kSlots };
  static constexpr unsigned kLoads = 0b000111111, kStores = 0b111000000;
  M b1, omb1, b2, two_omb2, eps, eps_root;

  explicit AdamOpBackward(const Hyper& h)
      : b1(M(h.b1)), omb1(M(1 - h.b1)), b2(M(h.b2)), two_omb2(M(2 * (1 - h.b2))), eps(M(h.eps)),
        eps_root(M(h.eps_root)) {}

  template <typename V>
  TON_HD void operator()(V (&x)[kSlots], const PerTensor<M>& t) const {
    V dmu1 = x[kDMu1], dnu1 = x[kDNu1];
    if (t.flags & kHasDu) {
      V mu1 = x[kMu1];
      V r = VOps<V>::Sqrt(x[kNu1] * V(t.a1) + V(eps_root));
      V d = r + V(eps);
      V du = x[kDU];
      V k = VOps<V>::IfZero(mu1, V(0), (V(0) - mu1 * V(t.a0 * t.a1)) / (V(2) * d * d * r));
      dmu1 = dmu1 + du * (V(t.a0) / d);
      dnu1 = dnu1 + du * k;
    }
    x[kDMu] = V(b1) * dmu1;
    x[kDNu] = V(b2) * dnu1;
    x[kDG] = V(omb1) * dmu1 + V(two_omb2) * x[kG] * dnu1;
  }
};

// ---------------------------------------------------------------------------------------
// torch.optim.SGD (1.13 semantics):
//   g = maximize ? -grad : grad;  g += wd p
//   momentum: buf = first ? g : momentum buf + (1-dampening) g;  d = nesterov ? g + momentum buf : buf
//   step = -lr d
// ---------------------------------------------------------------------------------------
template <typename M>
struct SgdStep {
  enum : int { kP, kG, kBuf, kOut, kSlots };
  static constexpr unsigned kLoads = 0b0111, kStores = 0b1100;
  M wd, gsign, mom, omd, nlr;
  bool has_wd, has_mom, nesterov, apply;

  explicit SgdStep(const Hyper& h)
      : wd(M(h.weight_decay)), gsign(M(h.maximize ? -1 : 1)), mom(M(h.momentum)), omd(M(1 - h.dampening)),
        nlr(M(-h.lr)), has_wd(h.weight_decay != 0), has_mom(h.momentum != 0), nesterov(h.nesterov), apply(h.apply) {}

  template <typename V>
  TON_HD void operator()(V (&x)[kSlots], const PerTensor<M>& t) const {
    V g = x[kG] * V(gsign);
    if (has_wd) g = g + V(wd) * x[kP];
    V d = g;
    if (has_mom) {
      x[kBuf] = (t.flags & kFirstStep) ? g : V(mom) * x[kBuf] + V(omd) * g;
      d = nesterov ? g + V(mom) * x[kBuf] : x[kBuf];
    }
    x[kOut] = apply ? x[kP] + V(nlr) * d : V(nlr) * d;
  }
};

// ---------------------------------------------------------------------------------------
// torch.optim.RMSprop:
//   g = maximize ? -grad : grad;  g += wd p;  sq = alpha sq + (1-alpha) g^2
//   centered: gavg = alpha gavg + (1-alpha) g;  avg = sqrt(sq - gavg^2) + eps;  else sqrt(sq) + eps
//   momentum: buf = momentum buf + g / avg;  step = -lr buf;  else step = -lr g / avg
// ---------------------------------------------------------------------------------------
template <typename M>
struct RmspropStep {
  enum : int { kP, kG, kSq, kGavg, kBuf, kOut, kSlots };
  static constexpr unsigned kLoads = 0b011111, kStores = 0b111100;
  M wd, gsign, alpha, oma, eps, mom, nlr;
  bool has_wd, centered, has_mom, apply;

  explicit RmspropStep(const Hyper& h)
      : wd(M(h.weight_decay)), gsign(M(h.maximize ? -1 : 1)), alpha(M(h.alpha)), oma(M(1 - h.alpha)), eps(M(h.eps)),
        mom(M(h.momentum)), nlr(M(-h.lr)), has_wd(h.weight_decay != 0), centered(h.centered),
        has_mom(h.momentum > 0), apply(h.apply) {}

  template <typename V>
  TON_HD void operator()(V (&x)[kSlots], const PerTensor<M>&) const {
    V g = x[kG] * V(gsign);
    if (has_wd) g = g + V(wd) * x[kP];
    x[kSq] = V(alpha) * x[kSq] + V(oma) * g * g;
    V avg;
    if (centered) {
      x[kGavg] = V(alpha) * x[kGavg] + V(oma) * g;
      avg = VOps<V>::Sqrt(x[kSq] - x[kGavg] * x[kGavg]) + V(eps);
    } else {
      avg = VOps<V>::Sqrt(x[kSq]) + V(eps);
    }
    V d = g / avg;
    if (has_mom) {
      x[kBuf] = V(mom) * x[kBuf] + d;
      d = x[kBuf];
    }
    x[kOut] = apply ? x[kP] + V(nlr) * d : V(nlr) * d;
  }
};

// ---------------------------------------------------------------------------------------
// TorchOpt's unfused scale_by_adam, one pass instead of ten, bit for bit: each step
// rounds exactly as the libtorch op it replaces (adam_exact.cpp checks this against
// libtorch at first use, and picks where libtorch's kernels fuse a multiply-add):
//   mu' = mu.mul(b1).add_(g, alpha=1-b1);  nu' = nu.mul(b2).addcmul_(g, g, value=1-b2)
//   u = mu'.div(bc1).div(nu'.div(bc2).add(eps_root).sqrt_().add(eps))
// In place, mu' and nu' are written over mu and nu. bc1, bc2 (aux) are TorchOpt's
// 1 - b^count as libtorch computed them. Built with -ffp-contract=off, so the compiler
// fuses nothing on its own.
// ---------------------------------------------------------------------------------------
template <typename M>
struct AdamExact {
  enum : int { kG, kMu, kNu, kMuOut, kNuOut, kU, kSlots };
  static constexpr unsigned kLoads = 0b000111, kStores = 0b111000;
  M b1, omb1, b2, omb2, eps, eps_root, scale;
  bool fma_add, fma_addcmul, has_scale;

  explicit AdamExact(const Hyper& h)
      : b1(M(h.b1)), omb1(M(1 - h.b1)), b2(M(h.b2)), omb2(M(1 - h.b2)), eps(M(h.eps)), eps_root(M(h.eps_root)),
        scale(M(h.scale)), fma_add(h.fma_add), fma_addcmul(h.fma_addcmul), has_scale(h.has_scale) {}

  template <typename V>
  TON_HD void operator()(V (&x)[kSlots], const PerTensor<M>& t) const {
    V g = x[kG];
    V mu = x[kMu] * V(b1);
    mu = fma_add ? VOps<V>::Fma(g, V(omb1), mu) : mu + g * V(omb1);
    V nu = x[kNu] * V(b2);
    V sg = V(omb2) * g;
    nu = fma_addcmul ? VOps<V>::Fma(sg, g, nu) : nu + sg * g;
    // The in-place sequence skips adding eps_root = 0; nu' / bc2 >= +0, so adding it
    // changes no bit of u either way.
    V u = (mu / V(t.a0)) / (VOps<V>::Sqrt(nu / V(t.a1) + V(eps_root)) + V(eps));
    x[kU] = has_scale ? u * V(scale) : u;
    x[kMuOut] = mu;
    x[kNuOut] = nu;
  }
};

// ---------------------------------------------------------------------------------------
// Backward of AdamExact out of place: what autograd computes through that op sequence
// (and a following mul(scale)), formula by formula, in the same rounding:
//   du *= scale;  mh = mu'/bc1;  r = sqrt(nu'/bc2 + eps_root);  d = r + eps
//   div:   dmh = du / d;  dd = -du * ((mh / d) / d)
//   sqrt:  ds = dd / (2 r);   div by bc:  dmu' += dmh / bc1;  dnu' += ds / bc2
//   mul:   dmu = dmu' b1;  dnu = dnu' b2
//   add(alpha), addcmul:  dg = (c + c) + a  (or (a + c) + c), a = dmu' (1-b1), c = dnu' (g (1-b2))
// A gradient autograd would not have (flags) is left out, not read as 0: 0 + -0 is +0.
// ---------------------------------------------------------------------------------------
template <typename M>
struct AdamExactBackward {
  enum : int { kDMu1, kDNu1, kDU, kG, kMu1, kNu1, kDMu, kDNu, kDG, kSlots };
  static constexpr unsigned kLoads = 0b000111111, kStores = 0b111000000;
  M b1, omb1, b2, omb2, eps, eps_root, scale;
  bool has_scale, mu_term_first;

  explicit AdamExactBackward(const Hyper& h)
      : b1(M(h.b1)), omb1(M(1 - h.b1)), b2(M(h.b2)), omb2(M(1 - h.b2)), eps(M(h.eps)), eps_root(M(h.eps_root)),
        scale(M(h.scale)), has_scale(h.has_scale), mu_term_first(h.mu_term_first) {}

  template <typename V>
  TON_HD void operator()(V (&x)[kSlots], const PerTensor<M>& t) const {
    const bool has_du = t.flags & kHasDu, has_dmu = t.flags & kHasDMu, has_dnu = t.flags & kHasDNu;
    V dmu = x[kDMu1], dnu = x[kDNu1];
    if (has_du) {
      V du = x[kDU];
      if (has_scale) du = du * V(scale);
      V mh = x[kMu1] / V(t.a0);
      V r = VOps<V>::Sqrt(x[kNu1] / V(t.a1) + V(eps_root));
      V d = r + V(eps);
      V gm = (du / d) / V(t.a0);
      V gn = ((VOps<V>::Neg(du) * ((mh / d) / d)) / (r * V(2))) / V(t.a1);
      dmu = has_dmu ? dmu + gm : gm;
      dnu = has_dnu ? dnu + gn : gn;
    }
    const bool m = has_du || has_dmu, n = has_du || has_dnu;
    x[kDMu] = dmu * V(b1);
    x[kDNu] = dnu * V(b2);
    V a = dmu * V(omb1);
    V c = dnu * (x[kG] * V(omb2));
    x[kDG] = !n ? a : !m ? c + c : mu_term_first ? (a + c) + c : (c + c) + a;
  }
};

// Calls f(op) with the op struct of `kind` for math type M (one switch for CPU and CUDA).
template <typename M, typename F>
inline void WithOp(Kind kind, const Hyper& h, F&& f) {
  switch (kind) {
    case Kind::kAdam: f(AdamStep<M>(h)); break;
    case Kind::kAdamOp: f(AdamOpForward<M>(h)); break;
    case Kind::kAdamOpBackward: f(AdamOpBackward<M>(h)); break;
    case Kind::kSgd: f(SgdStep<M>(h)); break;
    case Kind::kRmsprop: f(RmspropStep<M>(h)); break;
    case Kind::kAdamExact: f(AdamExact<M>(h)); break;
    case Kind::kAdamExactBackward: f(AdamExactBackward<M>(h)); break;
  }
}

}  // namespace fused
}  // namespace ton
