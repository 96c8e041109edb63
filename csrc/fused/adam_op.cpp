// TorchOpt's accelerated Adam op (spec section 2) over lists of tensors:
//   adam_op(mus, nus, updates, count, b1, b2, eps, eps_root, inplace) -> [mus', nus', updates']
// Forward (math.h AdamOpForward), per element, with a0 = 1/(1-b1^t), a1 = 1/(1-b2^t)
// computed in double:
//   mu' = b1 mu + (1-b1) g,   nu' = b2 nu + (1-b2) g^2,
//   s = a1 nu' + eps_root,  r = sqrt(s),  d = r + eps,   u = a0 mu' / d.
// inplace: one fused pass writes mu', nu', u over mu, nu, g; no graph (TorchOpt's
// forward_). Otherwise: one fused pass into new tensors and, where an input requires grad,
// one autograd node per tensor (AdamOpBackward) with inputs (mu, nu, g) and outputs
// (mu', nu', u). A null update passes through: (mu, nu, null), nothing computed.
//
// Backward: the exact derivative for every eps >= 0 and eps_root >= 0. Given the
// gradients (Gmu', Gnu', Gu) reaching the three outputs:
//   du/dmu' = a0 / d
//   du/dnu' = -(a0 mu' / d^2) dr/dnu' = -a0 a1 mu' / (2 d^2 r)
//   Tmu = Gmu' + Gu du/dmu',   Tnu = Gnu' + Gu du/dnu'
//   Gmu = b1 Tmu,   Gnu = b2 Tnu,   Gg = (1-b1) Tmu + 2 (1-b2) g Tnu.
// (TorchOpt's kernel puts d for r and bc2 + eps_root for bc2 in du/dnu', which is exact
// only for eps = eps_root = 0, and returns 0 for both where mu' == 0.)
// Singular points, s = 0 (possible only with eps_root = 0 and nu' = 0):
//  - where mu' == 0, du/dnu' = 0 (its true value: u = 0 for every nu' when mu' = 0);
//    autograd through the unfused formula gives NaN there (0 * inf in sqrt's backward);
//  - where mu' != 0, du/dnu' = -sign(mu') inf, as autograd gives; du/dmu' = a0 / eps.
// Terms with Gu are left out where Gu is undefined (u unused), so they add no NaN.
// Double backward: when the backward runs with create_graph=True it is computed with
// ATen ops on the saved tensors (g, mu', nu'), so grad of grad is autograd of the exact
// formulas above (at s = 0 the derivative of r is taken as 0 rather than infinite, which
// keeps second-order gradients finite there). Without create_graph, one fused kernel
// pass (math.h AdamOpBackward) computes all three gradients.
#include <c10/core/GradMode.h>

#include <limits>

#include "fused/adam_node.h"
#include "fused/multi_tensor.h"

namespace ton {
namespace fused {
namespace {

using at::Tensor;
using torch::autograd::variable_list;
using TensorList = std::vector<Tensor>;

struct AdamOpBackwardNode : public AdamNode {
  AdamOpBackwardNode(const Hyper& h, double a0, double a1) : AdamNode(h), a0_(a0), a1_(a1) {}
  std::string name() const override { return "AdamOpBackward"; }

  double a0_, a1_;  // 1/(1-b1^t), 1/(1-b2^t)

 protected:
  variable_list Composite(const Tensor& g, const Tensor& mu1, const Tensor& nu1, const variable_list& grads) const override;
  variable_list Fused(const Tensor& g, const Tensor& mu1, const Tensor& nu1, const variable_list& grads) override {
    return RunBackward(Kind::kAdamOpBackward, g, mu1, nu1, grads, {a0_, a1_}, grads[2].defined() ? kHasDu : 0, true, true);
  }
};

variable_list AdamOpBackwardNode::Composite(const Tensor& g, const Tensor& mu1, const Tensor& nu1,
                                            const variable_list& grads) const {
  const Tensor &Gmu = grads[0], &Gnu = grads[1], &Gu = grads[2];
  Tensor Tmu = Gmu, Tnu = Gnu;
  if (Gu.defined()) {
    Tensor s = nu1 * a1_ + h_.eps_root;
    Tensor pos = s > 0;
    // sqrt's derivative at 0 is infinite; masking it keeps grad-of-grad finite there.
    Tensor r = at::where(pos, at::where(pos, s, 1).sqrt(), 0);
    Tensor d = r + h_.eps;
    Tensor den = d * d * r * 2;
    Tensor den0 = den == 0;
    Tensor k = mu1 * (-a0_ * a1_) / at::where(den0, 1, den);
    const double inf = std::numeric_limits<double>::infinity();
    k = at::where(mu1 == 0, 0, at::where(den0, at::where(mu1 > 0, -inf, inf), k));
    Tmu = SumDefined(Tmu, Gu * (d.reciprocal() * a0_));
    Tnu = SumDefined(Tnu, Gu * k);
  }
  variable_list out(3);
  if (should_compute_output(0) && Tmu.defined()) out[0] = Tmu * h_.b1;
  if (should_compute_output(1) && Tnu.defined()) out[1] = Tnu * h_.b2;
  if (should_compute_output(2))
    out[2] = SumDefined(Tmu.defined() ? Tmu * (1 - h_.b1) : Tensor(), Tnu.defined() ? g * Tnu * (2 * (1 - h_.b2)) : Tensor());
  return out;
}

std::tuple<TensorList, TensorList, TensorList> AdamOpCall(const TensorList& mus, const TensorList& nus,
                                                          const std::vector<OptTensor>& updates, const Counts& count,
                                                          const Hyper& h, bool inplace) {
  using Op = AdamOpForward<float>;
  const char* op = "AdamOp";
  const size_t n = mus.size();
  if (nus.size() != n)
    ThrowRange(std::string(op) + "(): nus has " + std::to_string(nus.size()) + " tensors but mus has " +
               std::to_string(n));
  if (updates.size() != n)
    ThrowRange(std::string(op) + "(): updates has " + std::to_string(updates.size()) + " tensors but mus has " +
               std::to_string(n));
  count.Check(op, n);

  const TensorList g = Unwrap(updates);
  const TensorList &mu = mus, &nu = nus;
  TensorList mu1, nu1, u;
  MultiCall c(op, Kind::kAdamOp, h, Op::kG);
  c.Set(Op::kMu, "mus", &mu, false);
  c.Set(Op::kNu, "nus", &nu, false);
  c.Set(Op::kG, "updates", &g, false);
  c.Check();
  if (inplace) {
    mu1 = mu, nu1 = nu, u = g;
  } else {
    // A null update leaves (mu, nu) as they are: no new tensors there.
    mu1.resize(n), nu1.resize(n), u.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (!g[i].defined()) continue;
      mu1[i] = at::empty_like(mu[i]);
      nu1[i] = at::empty_like(nu[i]);
      u[i] = at::empty_like(g[i]);
    }
  }
  c.Set(Op::kMuOut, "mus", &mu1, true);
  c.Set(Op::kNuOut, "nus", &nu1, true);
  c.Set(Op::kUOut, "updates", &u, true);
  c.aux = BiasFactors(count, h, n);
  c.Run();

  // In place the caller has the tensors already; out of place, null updates give nulls
  // (the caller keeps its mu, nu there): no handles made for nothing.
  if (inplace) return {};
  for (size_t i = 0; i < n; ++i) {
    if (!g[i].defined() || !c10::GradMode::is_enabled()) continue;
    if (!mu[i].requires_grad() && !nu[i].requires_grad() && !g[i].requires_grad()) continue;
    auto node = std::shared_ptr<AdamOpBackwardNode>(new AdamOpBackwardNode(h, c.aux[i][0], c.aux[i][1]),
                                                    torch::autograd::deleteNode);
    AdamNode::Attach(node, mu[i], nu[i], g[i], mu1[i], nu1[i], u[i]);
  }
  return {mu1, nu1, u};
}

Register reg{
    TON_OP(adam_op, [](const TensorList& mus, const TensorList& nus, const std::vector<OptTensor>& updates,
                       const Counts& count, double b1, double b2, double eps, double eps_root, bool inplace,
                       ton::optional<double> scale) {
      Hyper h;
      h.b1 = b1, h.b2 = b2, h.eps = eps, h.eps_root = eps_root;
      // In place only: lib/ folds a following scale(step_size) in (no backward for it).
      if (scale.has_value()) {
        if (!inplace) ThrowRange("adam_op(): scale is for the in-place form only");
        h.has_scale = true, h.scale = *scale;
      }
      return AdamOpCall(mus, nus, updates, count, h, inplace);
    }),
};

}  // namespace
}  // namespace fused
}  // namespace ton
