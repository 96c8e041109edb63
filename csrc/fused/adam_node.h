// The autograd node both differentiable Adam passes share (AdamOp's, adam_op.cpp, and
// the exact one, adam_exact.cpp): inputs (mu, nu, g), outputs (mu', nu', updates); it
// saves g, mu' and nu', and its backward, without create_graph, is one multi-tensor pass
// of an op with the AdamOpBackward slot layout.
#pragma once

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/saved_variable.h>

#include <array>
#include <memory>

#include "fused/multi_tensor.h"

namespace ton {
namespace fused {

struct AdamNode : public torch::autograd::Node {
  explicit AdamNode(const Hyper& h) : h_(h) {}
  void release_variables() override;
  torch::autograd::variable_list apply(torch::autograd::variable_list&& grads) override;

  // Connects `node` from (mu, nu, g) to (mu1, nu1, u) and saves what backward needs.
  static void Attach(const std::shared_ptr<AdamNode>& node, const at::Tensor& mu, const at::Tensor& nu,
                     const at::Tensor& g, at::Tensor& mu1, at::Tensor& nu1, at::Tensor& u);

  Hyper h_;

 protected:
  // The gradients of (mu, nu, g) from those of (mu', nu', u), at least one defined.
  // Composite (create_graph) must use differentiable ATen ops.
  virtual torch::autograd::variable_list Composite(const at::Tensor& g, const at::Tensor& mu1,
                                                   const at::Tensor& nu1,
                                                   const torch::autograd::variable_list& grads) const = 0;
  virtual torch::autograd::variable_list Fused(const at::Tensor& g, const at::Tensor& mu1, const at::Tensor& nu1,
                                               const torch::autograd::variable_list& grads) = 0;
  // One backward pass of `kind`; the gradients of mu and nu only where has_mu / has_nu.
  torch::autograd::variable_list RunBackward(Kind kind, const at::Tensor& g, const at::Tensor& mu1,
                                             const at::Tensor& nu1, const torch::autograd::variable_list& grads,
                                             std::array<double, 2> aux, int32_t flags, bool has_mu, bool has_nu);

 private:
  torch::autograd::SavedVariable g_, mu1_, nu1_;
};

// a + b where either may be undefined (an absent gradient).
at::Tensor SumDefined(const at::Tensor& a, const at::Tensor& b);

}  // namespace fused
}  // namespace ton
