// adam_exact: TorchOpt's unfused Adam moments and update (scale_by_adam) as one
// multi-tensor pass, with the same bits as the ten libtorch ops it replaces (the formula
// is AdamExact in math.h). adam_exact_ works in place (inplace=True); adam_exact makes new
// tensors and, where autograd records, one node per tensor whose backward is what
// autograd computes through the op sequence, again bit for bit (AdamExactBackward):
// MetaAdam's differentiable update, one pass forward and one backward instead of ten
// ops and ten nodes each way.
//
// "The same bits" depends on how libtorch's own kernels were compiled (whether its
// add(alpha) and addcmul fuse the multiply-add) and on the order in which autograd sums
// the gradients reaching g. So the first call per dtype runs both sides on test data
// (sizes with and without vector tails, one past the parallel grain) and keeps the
// variant that matches bit for bit; when none does, the op declines and lib/ runs the op
// sequence. Callers never see a different number.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fused/adam_node.h"
#include "fused/launch.h"
#include "fused/multi_tensor.h"

namespace ton {
namespace fused {
namespace {

using at::Tensor;
using torch::autograd::variable_list;
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

// mu1, nu1: where mu', nu' go (mu and nu themselves in place).
void RunKernel(const TensorList& g, const TensorList& mu, const TensorList& nu, const TensorList& mu1,
               const TensorList& nu1, const TensorList& u, const std::vector<std::array<double, 2>>& bc,
               const Hyper& h) {
  using Op = AdamExact<float>;
  MultiCall c("adam_exact", Kind::kAdamExact, h, Op::kG);
  c.Set(Op::kG, "grads", &g, false);
  c.Set(Op::kMu, "mu", &mu, false);
  c.Set(Op::kNu, "nu", &nu, false);
  c.Set(Op::kMuOut, "mu", &mu1, true);
  c.Set(Op::kNuOut, "nu", &nu1, true);
  c.Set(Op::kU, "updates", &u, true);
  c.aux = bc;
  c.Run();
}

// How this libtorch rounds the op sequence: whether its add(alpha) and addcmul kernels
// fuse the multiply-add, and (differentiable form) in which order autograd sums the
// gradients reaching g.
struct Rounding {
  bool fma_add = false, fma_addcmul = false, mu_term_first = false;
};

Hyper MakeHyper(const Rounding& r, double b1, double b2, double eps, double eps_root, ton::optional<double> scale) {
  Hyper h;
  h.b1 = b1, h.b2 = b2, h.eps = eps, h.eps_root = eps_root;
  h.fma_add = r.fma_add, h.fma_addcmul = r.fma_addcmul, h.mu_term_first = r.mu_term_first;
  if (scale.has_value()) h.has_scale = true, h.scale = *scale;
  return h;
}

// The in-place form's rounding, or nullopt when no variant reproduces libtorch.
ton::optional<Rounding> Calibrate(at::ScalarType dtype) {
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
    Rounding r;
    r.fma_add = variant & 1, r.fma_addcmul = variant & 2;
    const Hyper h = MakeHyper(r, b1, b2, eps, 0, -1e-3);
    TensorList m2, v2;
    for (size_t i = 0; i < g.size(); ++i) m2.push_back(mu[i].clone()), v2.push_back(nu[i].clone());
    TensorList u2 = EmptyLike(g);
    RunKernel(g, m2, v2, m2, v2, u2, bc, h);
    bool same = true;
    for (size_t i = 0; same && i < g.size(); ++i)
      same = Bitwise(m2[i], mu_ref[i]) && Bitwise(v2[i], nu_ref[i]) && Bitwise(u2[i], u_ref[i]);
    if (same) return r;
    static const bool debug = std::getenv("TORCHOPT_NODE_DEBUG_EXACT") != nullptr;
    for (size_t i = 0; debug && i < g.size(); ++i) {
      if (!Bitwise(m2[i], mu_ref[i])) ReportMismatch(variant, "mu", m2[i], mu_ref[i]);
      else if (!Bitwise(v2[i], nu_ref[i])) ReportMismatch(variant, "nu", v2[i], nu_ref[i]);
      else if (!Bitwise(u2[i], u_ref[i])) ReportMismatch(variant, "updates", u2[i], u_ref[i]);
    }
  }
  return ton::nullopt;
}

ton::optional<Rounding> CalibrateDiff(at::ScalarType dtype, const Rounding& forward);

// The rounding of the in-place or the differentiable form, calibrated once per dtype;
// nullopt: not reproduced (or the calibration failed), and the pass declines.
const ton::optional<Rounding>& RoundingFor(at::ScalarType dtype, bool differentiable) {
  struct Cached {
    bool done = false;
    ton::optional<Rounding> r;
  };
  static Cached cache[2][2];  // JS thread only
  Cached& c = cache[dtype == at::kDouble][differentiable];
  if (!c.done) {
    try {
      if (!differentiable) c.r = Calibrate(dtype);
      else if (const auto& f = RoundingFor(dtype, false)) c.r = CalibrateDiff(dtype, *f);
    } catch (const std::exception&) {
      c.r = ton::nullopt;
    }
    c.done = true;
  }
  return c.r;
}

bool Overlap(const Tensor& a, const Tensor& b) { return a.storage().is_alias_of(b.storage()); }

// The bias corrections as doubles, when the pass applies to these tensors (CPU,
// float32/float64 alike, equal shapes, dense, no aliasing; `grad_ok`: autograd may
// record); otherwise ScalarType::Undefined, and lib/ runs the op sequence, which also
// raises libtorch's own errors.
at::ScalarType Accept(const TensorList& g, const TensorList& mu, const TensorList& nu, const TensorList& bc1,
                      const TensorList& bc2, bool grad_ok, std::vector<std::array<double, 2>>& bc) {
  const size_t n = g.size();
  if (mu.size() != n || nu.size() != n || bc1.size() != n || bc2.size() != n)
    ThrowRange("adam_exact(): the lists must have one entry per gradient");
  if (n == 0) return at::ScalarType::Undefined;
  const at::ScalarType dtype = g[0].scalar_type();
  if (dtype != at::kFloat && dtype != at::kDouble) return at::ScalarType::Undefined;
  const bool grad_mode = c10::GradMode::is_enabled();
  bc.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Tensor &a = g[i], &m = mu[i], &v = nu[i];
    if (!a.device().is_cpu() || !m.device().is_cpu() || !v.device().is_cpu()) return at::ScalarType::Undefined;
    if (a.scalar_type() != dtype || m.scalar_type() != dtype || v.scalar_type() != dtype) return at::ScalarType::Undefined;
    if (!a.sizes().equals(m.sizes()) || !a.sizes().equals(v.sizes())) return at::ScalarType::Undefined;
    if (a.is_sparse() || m.is_sparse() || v.is_sparse()) return at::ScalarType::Undefined;
    if (!grad_ok && grad_mode && (a.requires_grad() || m.requires_grad() || v.requires_grad()))
      return at::ScalarType::Undefined;
    if (Overlap(a, m) || Overlap(a, v) || Overlap(m, v)) return at::ScalarType::Undefined;
    if (bc1[i].numel() != 1 || bc2[i].numel() != 1) return at::ScalarType::Undefined;
    bc[i] = {bc1[i].item<double>(), bc2[i].item<double>()};
  }
  return dtype;
}

// The pass's parameters for these tensors (and their bias corrections in `bc`), or
// nullopt where it declines: tensors it does not take, or a rounding not reproduced.
ton::optional<Hyper> Prepare(const TensorList& g, const TensorList& mu, const TensorList& nu, const TensorList& bc1,
                             const TensorList& bc2, bool differentiable, double b1, double b2, double eps,
                             double eps_root, ton::optional<double> scale, std::vector<std::array<double, 2>>& bc) {
  const at::ScalarType dtype = Accept(g, mu, nu, bc1, bc2, /*grad_ok=*/differentiable, bc);
  if (dtype == at::ScalarType::Undefined) return ton::nullopt;
  const auto& r = RoundingFor(dtype, differentiable);
  if (!r) return ton::nullopt;
  return MakeHyper(*r, b1, b2, eps, eps_root, scale);
}

// Updates mu and nu in place and returns the new updates (times `scale` when given: a
// following in-place scale folded in), or [] when the pass does not apply.
TensorList AdamExactOp(const TensorList& g, const TensorList& mu, const TensorList& nu, const TensorList& bc1,
                       const TensorList& bc2, double b1, double b2, double eps, double eps_root,
                       ton::optional<double> scale) {
  std::vector<std::array<double, 2>> bc;
  const auto h = Prepare(g, mu, nu, bc1, bc2, /*differentiable=*/false, b1, b2, eps, eps_root, scale, bc);
  if (!h) return {};
  TensorList u = EmptyLike(g);
  RunKernel(g, mu, nu, mu, nu, u, bc, *h);
  return u;
}

// ---------------------------------------------------------------------------------------
// The differentiable form.

struct AdamExactBackwardNode : public AdamNode {
  AdamExactBackwardNode(const Hyper& h, Tensor bc1, Tensor bc2, std::array<double, 2> bc)
      : AdamNode(h), bc1_(std::move(bc1)), bc2_(std::move(bc2)), bc_(bc) {}
  std::string name() const override { return "AdamExactBackward"; }

  Tensor bc1_, bc2_;  // 0-dim, as libtorch computed them (float32 also for float64 moments)
  std::array<double, 2> bc_;  // their values

 protected:
  // create_graph: the same formulas as ATen ops, so that they are differentiable again.
  variable_list Composite(const Tensor& g, const Tensor& mu1, const Tensor& nu1, const variable_list& grads) const override {
    Tensor dmu = grads[0], dnu = grads[1], du = grads[2];
    if (du.defined()) {
      if (h_.has_scale) du = du * h_.scale;
      Tensor mh = mu1 / bc1_;
      Tensor r = (nu1 / bc2_ + h_.eps_root).sqrt();
      Tensor d = r + h_.eps;
      dmu = SumDefined(dmu, (du / d) / bc1_);
      dnu = SumDefined(dnu, ((-du * ((mh / d) / d)) / (r * 2)) / bc2_);
    }
    variable_list out(3);
    if (should_compute_output(0) && dmu.defined()) out[0] = dmu * h_.b1;
    if (should_compute_output(1) && dnu.defined()) out[1] = dnu * h_.b2;
    if (should_compute_output(2)) {
      Tensor a = dmu.defined() ? dmu * (1 - h_.b1) : Tensor();
      Tensor c = dnu.defined() ? dnu * (g * (1 - h_.b2)) : Tensor();
      out[2] = !c.defined() ? a : !a.defined() ? c + c : h_.mu_term_first ? (a + c) + c : (c + c) + a;
    }
    return out;
  }

  variable_list Fused(const Tensor& g, const Tensor& mu1, const Tensor& nu1, const variable_list& grads) override {
    const bool has_du = grads[2].defined();
    const int32_t flags = (has_du ? kHasDu : 0) | (grads[0].defined() ? kHasDMu : 0) | (grads[1].defined() ? kHasDNu : 0);
    return RunBackward(Kind::kAdamExactBackward, g, mu1, nu1, grads, bc_, flags,
                       has_du || grads[0].defined(), has_du || grads[1].defined());
  }
};

// New mu', nu', updates (times `scale` when given); the autograd nodes where recorded.
std::tuple<TensorList, TensorList, TensorList> DiffCall(const TensorList& g, const TensorList& mu,
                                                        const TensorList& nu, const TensorList& bc1,
                                                        const TensorList& bc2,
                                                        const std::vector<std::array<double, 2>>& bc,
                                                        const Hyper& h) {
  const size_t n = g.size();
  TensorList mu1 = EmptyLike(mu), nu1 = EmptyLike(nu), u = EmptyLike(g);
  RunKernel(g, mu, nu, mu1, nu1, u, bc, h);
  if (!c10::GradMode::is_enabled()) return {mu1, nu1, u};
  for (size_t i = 0; i < n; ++i) {
    if (!mu[i].requires_grad() && !nu[i].requires_grad() && !g[i].requires_grad()) continue;
    auto node = std::shared_ptr<AdamExactBackwardNode>(new AdamExactBackwardNode(h, bc1[i], bc2[i], bc[i]),
                                                       torch::autograd::deleteNode);
    AdamNode::Attach(node, mu[i], nu[i], g[i], mu1[i], nu1[i], u[i]);
  }
  return {mu1, nu1, u};
}

// The op sequence under autograd, as lib/ runs it out of place (with a following scale).
std::array<Tensor, 3> Sequence(const Tensor& g, const Tensor& mu, const Tensor& nu, const Tensor& bc1,
                               const Tensor& bc2, const Hyper& h) {
  Tensor m = mu.mul(h.b1).add_(g, 1 - h.b1);
  Tensor v = nu.mul(h.b2).addcmul_(g, g, 1 - h.b2);
  Tensor u = m.div(bc1).div(v.div(bc2).add(h.eps_root).sqrt_().add(h.eps)).mul(h.scale);
  return {m, v, u};
}

// The differentiable form's rounding (the forward's, and the order of g's gradient
// terms), or nullopt.
ton::optional<Rounding> CalibrateDiff(at::ScalarType dtype, const Rounding& forward) {
  torch::autograd::AutoGradMode grad_mode(true);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(20261128);
  const auto opt = at::TensorOptions().dtype(dtype);
  const double b1 = 0.9, b2 = 0.999;
  const Tensor bc1 = BiasCorrection(b1, 2), bc2 = BiasCorrection(b2, 2);
  static const bool debug = std::getenv("TORCHOPT_NODE_DEBUG_EXACT") != nullptr;
  for (int order = 0; order < 2; ++order) {
    Rounding r = forward;
    r.mu_term_first = order;
    const Hyper h = MakeHyper(r, b1, b2, 1e-8, 1e-12, -0.03);
    bool same = true;
    // Every output used, and the update alone (the moments' gradients then come only
    // from the update's).
    for (int uses = 0; same && uses < 2; ++uses) {
      for (int64_t n : {1, 7, 33, 1029, 40017}) {
        Tensor x = (at::randn({n}, gen, opt) * at::exp(at::randn({n}, gen, opt) * 2)).requires_grad_();
        Tensor mu = (at::randn({n}, gen, opt) * 0.1).requires_grad_();
        Tensor nu = (at::rand({n}, gen, opt) * 0.01).requires_grad_();
        Tensor w1 = at::randn({n}, gen, opt), w2 = at::randn({n}, gen, opt), w3 = at::randn({n}, gen, opt);
        Tensor g = x * 1.5;
        auto loss = [&](const Tensor& m, const Tensor& v, const Tensor& u) {
          Tensor l = (u * w1).sum();
          return uses == 0 ? l + (m * w2).sum() + (v * w3).sum() : l;
        };
        auto ref = Sequence(g, mu, nu, bc1, bc2, h);
        auto want = torch::autograd::grad({loss(ref[0], ref[1], ref[2])}, {x, mu, nu});
        std::vector<std::array<double, 2>> bc{{bc1.item<double>(), bc2.item<double>()}};
        auto got = DiffCall({g}, {mu}, {nu}, {bc1}, {bc2}, bc, h);
        const Tensor &m = std::get<0>(got)[0], &v = std::get<1>(got)[0], &u = std::get<2>(got)[0];
        auto grads = torch::autograd::grad({loss(m, v, u)}, {x, mu, nu});
        const char* what[6] = {"mu'", "nu'", "updates", "grad g", "grad mu", "grad nu"};
        const Tensor* a[6] = {&m, &v, &u, &grads[0], &grads[1], &grads[2]};
        const Tensor* b[6] = {&ref[0], &ref[1], &ref[2], &want[0], &want[1], &want[2]};
        for (int k = 0; same && k < 6; ++k) {
          same = Bitwise(a[k]->detach(), b[k]->detach());
          if (!same && debug) ReportMismatch(4 + order, what[k], a[k]->detach(), b[k]->detach());
        }
        if (!same) break;
      }
    }
    if (same) return r;
  }
  return ton::nullopt;
}

// Out of place: new mu', nu' and updates, differentiable as the op sequence is; three
// empty lists when the pass does not apply.
std::tuple<TensorList, TensorList, TensorList> AdamExactDiffOp(const TensorList& g, const TensorList& mu,
                                                               const TensorList& nu, const TensorList& bc1,
                                                               const TensorList& bc2, double b1, double b2,
                                                               double eps, double eps_root,
                                                               ton::optional<double> scale) {
  std::vector<std::array<double, 2>> bc;
  const auto h = Prepare(g, mu, nu, bc1, bc2, /*differentiable=*/true, b1, b2, eps, eps_root, scale, bc);
  if (!h) return {};
  return DiffCall(g, mu, nu, bc1, bc2, bc, *h);
}

Register reg{
    TON_OP(adam_exact_, [](const TensorList& grads, const TensorList& mu, const TensorList& nu, const TensorList& bc1,
                           const TensorList& bc2, double b1, double b2, double eps, double eps_root,
                           ton::optional<double> scale) {
      return AdamExactOp(grads, mu, nu, bc1, bc2, b1, b2, eps, eps_root, scale);
    }),
    TON_OP(adam_exact, [](const TensorList& grads, const TensorList& mu, const TensorList& nu, const TensorList& bc1,
                          const TensorList& bc2, double b1, double b2, double eps, double eps_root,
                          ton::optional<double> scale) {
      return AdamExactDiffOp(grads, mu, nu, bc1, bc2, b1, b2, eps, eps_root, scale);
    }),
};

}  // namespace
}  // namespace fused
}  // namespace ton
