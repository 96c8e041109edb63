#include "fused/adam_node.h"

#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/variable.h>

namespace ton {
namespace fused {

using at::Tensor;
using torch::autograd::variable_list;
using TensorList = std::vector<Tensor>;

Tensor SumDefined(const Tensor& a, const Tensor& b) {
  if (!a.defined()) return b;
  if (!b.defined()) return a;
  return a + b;
}

void AdamNode::release_variables() {
  g_.reset_data();
  mu1_.reset_data();
  nu1_.reset_data();
}

variable_list AdamNode::apply(variable_list&& grads) {
  auto self = shared_from_this();
  Tensor g = g_.unpack(), mu1 = mu1_.unpack(self), nu1 = nu1_.unpack(self);
  if (!grads[0].defined() && !grads[1].defined() && !grads[2].defined()) return variable_list(3);
  // The engine runs a backward with grad mode on exactly when create_graph is set.
  return c10::GradMode::is_enabled() ? Composite(g, mu1, nu1, grads) : Fused(g, mu1, nu1, grads);
}

void AdamNode::Attach(const std::shared_ptr<AdamNode>& node, const Tensor& mu, const Tensor& nu, const Tensor& g,
                      Tensor& mu1, Tensor& nu1, Tensor& u) {
  node->set_next_edges(torch::autograd::collect_next_edges(mu, nu, g));
  Tensor* outs[3] = {&mu1, &nu1, &u};
  for (uint32_t k = 0; k < 3; ++k) {
    uint32_t nr = node->add_input_metadata(*outs[k]);
    torch::autograd::impl::set_gradient_edge(*outs[k], {node, nr});
  }
  // After set_gradient_edge: saved outputs must know their grad_fn (held weakly).
  node->g_ = torch::autograd::SavedVariable(g, /*is_output=*/false);
  node->mu1_ = torch::autograd::SavedVariable(mu1, /*is_output=*/true);
  node->nu1_ = torch::autograd::SavedVariable(nu1, /*is_output=*/true);
}

variable_list AdamNode::RunBackward(Kind kind, const Tensor& g, const Tensor& mu1, const Tensor& nu1,
                                    const variable_list& grads, std::array<double, 2> aux, int32_t flags,
                                    bool has_mu, bool has_nu) {
  using Op = AdamOpBackward<float>;  // the slot layout both backward ops share
  static_assert(int(Op::kDG) == int(AdamExactBackward<float>::kDG) && int(Op::kG) == int(AdamExactBackward<float>::kG),
                "one slot layout");
  TensorList l_dmu1{grads[0]}, l_dnu1{grads[1]}, l_du{grads[2]}, l_g{g}, l_mu1{mu1}, l_nu1{nu1};
  TensorList l_dmu{should_compute_output(0) && has_mu ? at::empty_like(mu1) : Tensor()};
  TensorList l_dnu{should_compute_output(1) && has_nu ? at::empty_like(nu1) : Tensor()};
  TensorList l_dg{should_compute_output(2) ? at::empty_like(g) : Tensor()};
  MultiCall c("adam backward", kind, h_, Op::kG);
  c.Set(Op::kDMu1, "grad_mu", &l_dmu1, false);
  c.Set(Op::kDNu1, "grad_nu", &l_dnu1, false);
  c.Set(Op::kDU, "grad_updates", &l_du, false);
  c.Set(Op::kG, "updates", &l_g, false);
  c.Set(Op::kMu1, "mu", &l_mu1, false);
  c.Set(Op::kNu1, "nu", &l_nu1, false);
  c.Set(Op::kDMu, "grad_mu_in", &l_dmu, true);
  c.Set(Op::kDNu, "grad_nu_in", &l_dnu, true);
  c.Set(Op::kDG, "grad_updates_in", &l_dg, true);
  c.aux = {aux};
  c.flags = {flags};
  c.Run();
  return {l_dmu[0], l_dnu[0], l_dg[0]};
}

}  // namespace fused
}  // namespace ton
