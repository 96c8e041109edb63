// adam_exact: TorchOpt's unfused in-place Adam moments and update (scale_by_adam with
// inplace=True) as one multi-tensor pass, with the same bits as the ten libtorch ops it
// replaces (the formula is AdamExact in math.h).
//
// "The same bits" depends on how libtorch's own kernels were compiled: whether its
// add(alpha) and addcmul fuse the multiply-add. So the first call per dtype runs both
// sides on test data (sizes with and without vector tails, one past the parallel grain)
// and keeps the variant that matches bit for bit; when none does, the op declines and
// lib/ runs the op sequence. Callers never see a different number.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/GradMode.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fused/launch.h"
#include "fused/multi_tensor.h"

namespace ton {
namespace fused {
namespace {

using at::Tensor;
using TensorList = std::vector<Tensor>;

bool Bitwise(const Tensor& a, const Tensor& b) {
  Tensor x = a.contiguous(), y = b.contiguous();
  return x.sizes().equals(y.sizes()) && x.scalar_type() == y.scalar_type() &&
         std::memcmp(x.data_ptr(), y.data_ptr(), x.numel() * x.element_size()) == 0;
}

// TORCHOPT_NODE_DEBUG_EXACT=1: the calibration says where each variant first differs
// (to port the pass to a libtorch whose rounding it does not reproduce yet).
void ReportMismatch(int variant, const char* what, const Tensor& got, const Tensor& want) {
  Tensor ne = got.ne(want).nonzero();
  const int64_t i = ne.numel() ? ne[0][0].item<int64_t>() : -1;
  std::fprintf(stderr, "adam_exact calibration (%s): variant %d: %s of size %lld differs at %lld of %lld elements: %.17g vs libtorch %.17g\n",
               c10::toString(got.scalar_type()), variant, what, static_cast<long long>(got.numel()), static_cast<long long>(i),
               static_cast<long long>(ne.size(0)), i >= 0 ? got[i].item<double>() : 0.0, i >= 0 ? want[i].item<double>() : 0.0);
}

// libtorch's bias correction, as lib/ computes it: 1 - pow(b, count), a 0-dim tensor.
Tensor BiasCorrection(double b, int64_t count) { return at::rsub(at::pow(b, at::scalar_tensor(count, at::kLong)), 1); }

void RunKernel(const TensorList& g, const TensorList& mu, const TensorList& nu, const TensorList& u,
               const std::vector<std::array<double, 2>>& bc, const Hyper& h) {
  using Op = AdamExact<float>;
  MultiCall c("adam_exact_", Kind::kAdamExact, h, Op::kG);
  c.Set(Op::kG, "grads", &g, false);
  c.Set(Op::kMu, "mu", &mu, true);
  c.Set(Op::kNu, "nu", &nu, true);
  c.Set(Op::kU, "updates", &u, true);
  c.aux = bc;
  c.Run();
}

// 0: not exact on this libtorch; else 1 + (fma_add ? 1 : 0) + (fma_addcmul ? 2 : 0).
int Calibrate(at::ScalarType dtype) {
  at::NoGradGuard no_grad;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(20261127);
  const auto opt = at::TensorOptions().dtype(dtype);
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const Tensor bc1 = BiasCorrection(b1, 3), bc2 = BiasCorrection(b2, 3);
  TensorList g, mu, nu, mu_ref, nu_ref, u_ref;
  for (int64_t n : {1, 7, 31, 33, 64, 100, 1029, 40017}) {
    g.push_back(at::randn({n}, gen, opt) * at::exp(at::randn({n}, gen, opt) * 2));
    mu.push_back(at::randn({n}, gen, opt) * 0.1);
    nu.push_back(at::rand({n}, gen, opt) * 0.01);
    Tensor m = mu.back().clone(), v = nu.back().clone();
    m.mul_(b1).add_(g.back(), 1 - b1);
    v.mul_(b2).addcmul_(g.back(), g.back(), 1 - b2);
    // ... and a scale(-lr) in place after it (the fold of a following scale).
    u_ref.push_back(m.div(bc1).div_(v.div(bc2).sqrt_().add_(eps)).mul_(-1e-3));
    mu_ref.push_back(m);
    nu_ref.push_back(v);
  }
  const std::vector<std::array<double, 2>> bc(g.size(), {bc1.item<double>(), bc2.item<double>()});
  for (int variant = 0; variant < 4; ++variant) {
    Hyper h;
    h.b1 = b1, h.b2 = b2, h.eps = eps, h.fma_add = variant & 1, h.fma_addcmul = variant & 2;
    h.has_scale = true, h.scale = -1e-3;
    TensorList m2, v2;
    for (size_t i = 0; i < g.size(); ++i) m2.push_back(mu[i].clone()), v2.push_back(nu[i].clone());
    TensorList u2 = EmptyLike(g);
    RunKernel(g, m2, v2, u2, bc, h);
    bool same = true;
    for (size_t i = 0; same && i < g.size(); ++i)
      same = Bitwise(m2[i], mu_ref[i]) && Bitwise(v2[i], nu_ref[i]) && Bitwise(u2[i], u_ref[i]);
    if (same) return 1 + variant;
    static const bool debug = std::getenv("TORCHOPT_NODE_DEBUG_EXACT") != nullptr;
    for (size_t i = 0; debug && i < g.size(); ++i) {
      if (!Bitwise(m2[i], mu_ref[i])) ReportMismatch(variant, "mu", m2[i], mu_ref[i]);
      else if (!Bitwise(v2[i], nu_ref[i])) ReportMismatch(variant, "nu", v2[i], nu_ref[i]);
      else if (!Bitwise(u2[i], u_ref[i])) ReportMismatch(variant, "updates", u2[i], u_ref[i]);
    }
  }
  return 0;
}

int VariantFor(at::ScalarType dtype) {
  static int f32 = -1, f64 = -1;  // JS thread only
  int& v = dtype == at::kFloat ? f32 : f64;
  if (v < 0) v = Calibrate(dtype);
  return v;
}

bool Overlap(const Tensor& a, const Tensor& b) { return a.storage().is_alias_of(b.storage()); }

// Updates mu and nu in place and returns the new updates (times `scale` when given: a
// following in-place scale folded in), or [] when the pass does not
// apply (then lib/ runs the op sequence, which also raises libtorch's own errors):
// tensors not all on the CPU in float32/float64 with equal dtypes and shapes, ones that
// autograd would record, aliasing, or a libtorch whose rounding we do not reproduce.
TensorList AdamExactOp(const TensorList& g, const TensorList& mu, const TensorList& nu, const TensorList& bc1,
                       const TensorList& bc2, double b1, double b2, double eps, double eps_root,
                       ton::optional<double> scale) {
  const size_t n = g.size();
  if (mu.size() != n || nu.size() != n || bc1.size() != n || bc2.size() != n)
    ThrowRange("adam_exact_(): the lists must have one entry per gradient");
  if (n == 0) return {};
  const at::ScalarType dtype = g[0].scalar_type();
  if (dtype != at::kFloat && dtype != at::kDouble) return {};
  const bool grad_mode = c10::GradMode::is_enabled();
  std::vector<std::array<double, 2>> bc(n);
  for (size_t i = 0; i < n; ++i) {
    const Tensor &a = g[i], &m = mu[i], &v = nu[i];
    if (!a.device().is_cpu() || !m.device().is_cpu() || !v.device().is_cpu()) return {};
    if (a.scalar_type() != dtype || m.scalar_type() != dtype || v.scalar_type() != dtype) return {};
    if (!a.sizes().equals(m.sizes()) || !a.sizes().equals(v.sizes())) return {};
    if (a.is_sparse() || m.is_sparse() || v.is_sparse()) return {};
    if (grad_mode && (a.requires_grad() || m.requires_grad() || v.requires_grad())) return {};
    if (Overlap(a, m) || Overlap(a, v) || Overlap(m, v)) return {};
    if (bc1[i].numel() != 1 || bc2[i].numel() != 1) return {};
    bc[i] = {bc1[i].item<double>(), bc2[i].item<double>()};
  }
  const int variant = VariantFor(dtype);
  if (variant == 0) return {};
  Hyper h;
  h.b1 = b1, h.b2 = b2, h.eps = eps, h.eps_root = eps_root;
  h.fma_add = (variant - 1) & 1, h.fma_addcmul = (variant - 1) & 2;
  if (scale.has_value()) h.has_scale = true, h.scale = *scale;
  TensorList u = EmptyLike(g);
  RunKernel(g, mu, nu, u, bc, h);
  return u;
}

Register reg{
    TON_OP(adam_exact_, [](const TensorList& grads, const TensorList& mu, const TensorList& nu, const TensorList& bc1,
                           const TensorList& bc2, double b1, double b2, double eps, double eps_root,
                           ton::optional<double> scale) {
      return AdamExactOp(grads, mu, nu, bc1, bc2, b1, b2, eps, eps_root, scale);
    }),
};

}  // namespace
}  // namespace fused
}  // namespace ton
