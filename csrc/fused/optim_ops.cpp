// Multi-tensor optimizer steps: one N-API call for all parameters of a model.
//
// Each op runs in one of two modes: `apply` (torch.optim: the step is added to params in
// place) or not (TorchOpt's updates: the step is written to `out`, new tensors when `out`
// is empty, or e.g. the grads themselves for TorchOpt's inplace=True). State buffers are
// always updated in place. The maths is in math.h; lib/torchopt/accelerated_op checks
// the hyper-parameters.
#include "fused/launch.h"
#include "fused/multi_tensor.h"

namespace ton {
namespace fused {
namespace {

using at::Tensor;
using TensorList = std::vector<Tensor>;
using OptList = std::vector<OptTensor>;

// Declares params (read; written when the step is applied) and out (written when the
// step is returned). Params are needed to apply the step and for weight decay.
unsigned Prepare(MultiCall& c, int p_slot, const TensorList& params, int out_slot, const TensorList& out,
                 size_t n) {
  const bool needs_params = c.hyper.apply || c.hyper.weight_decay != 0;
  if (needs_params && params.empty() && n > 0)
    ThrowType(std::string(c.op) + "(): params are required " +
              (c.hyper.apply ? "to apply the step" : "with weight_decay"));
  c.Set(p_slot, "params", &params, false);
  // Applied, the step lands in params: the out slot is params.
  if (c.hyper.apply) c.Set(out_slot, "params", &params, true);
  else c.Set(out_slot, "out", &out, true);
  // Optional lists: out (filled below when empty), params when not needed.
  return (c.hyper.apply ? 0u : 1u << out_slot) | (needs_params ? 0u : 1u << p_slot);
}

// Fills an empty `out` with new tensors; true if it did. Only new tensors go back to JS
// (the caller has the others): no handles made for nothing.
bool FillOut(const MultiCall& c, TensorList& out, const TensorList& grads) {
  if (c.hyper.apply || !out.empty()) return false;
  out = EmptyLike(grads);
  return true;
}

TensorList FusedAdam(const OptList& params_, const TensorList& grads_, const TensorList& exp_avgs_,
                     const TensorList& exp_avg_sqs_, const OptList& max_exp_avg_sqs_, const OptList& out_,
                     const Counts& count, const Hyper& h) {
  using Op = AdamStep<float>;
  const TensorList params = Unwrap(params_), vmax = Unwrap(max_exp_avg_sqs_);
  const TensorList &grads = grads_, &m = exp_avgs_, &v = exp_avg_sqs_;
  TensorList out = Unwrap(out_);
  MultiCall c(h.decoupled ? (h.apply ? "fused_adamw_" : "fused_adamw") : (h.apply ? "fused_adam_" : "fused_adam"),
              Kind::kAdam, h, Op::kG);
  count.Check(c.op, grads.size());
  unsigned optional = Prepare(c, Op::kP, params, Op::kOut, out, grads.size());
  c.Set(Op::kG, "grads", &grads, false);
  c.Set(Op::kM, "exp_avgs", &m, true);
  c.Set(Op::kV, "exp_avg_sqs", &v, true);
  if (h.amsgrad) c.Set(Op::kVmax, "max_exp_avg_sqs", &vmax, true);
  c.Check(optional);
  const bool new_out = FillOut(c, out, grads);
  c.aux = BiasFactors(count, h, grads.size());
  c.Run();
  return new_out ? out : TensorList{};
}

// Returns [out, new momentum buffers]. A null momentum buffer is created and set to the
// gradient (torch.optim.SGD's first step); the others come back as null.
std::tuple<TensorList, TensorList> FusedSgd(const OptList& params_, const TensorList& grads_, const OptList& bufs_,
                                            const OptList& out_, const Hyper& h) {
  using Op = SgdStep<float>;
  const TensorList params = Unwrap(params_);
  const TensorList& grads = grads_;
  TensorList bufs = Unwrap(bufs_), out = Unwrap(out_);
  MultiCall c(h.apply ? "fused_sgd_" : "fused_sgd", Kind::kSgd, h, Op::kG);
  unsigned optional = Prepare(c, Op::kP, params, Op::kOut, out, grads.size());
  c.Set(Op::kG, "grads", &grads, false);
  if (h.momentum != 0) c.Set(Op::kBuf, "momentum_buffers", &bufs, true);
  c.Check(optional);
  const bool new_out = FillOut(c, out, grads);
  TensorList new_bufs;
  if (h.momentum != 0) {
    c.flags.assign(grads.size(), 0);
    new_bufs.resize(grads.size());
    for (size_t i = 0; i < grads.size(); ++i) {
      if (bufs[i].defined()) continue;
      bufs[i] = new_bufs[i] = at::empty_like(grads[i]);
      c.flags[i] = kFirstStep;
    }
  }
  c.Run();
  return {new_out ? out : TensorList{}, new_bufs};
}

TensorList FusedRmsprop(const OptList& params_, const TensorList& grads_, const TensorList& square_avgs_,
                        const OptList& grad_avgs_, const OptList& bufs_, const OptList& out_, const Hyper& h) {
  using Op = RmspropStep<float>;
  const TensorList params = Unwrap(params_), gavg = Unwrap(grad_avgs_), bufs = Unwrap(bufs_);
  const TensorList &grads = grads_, &sq = square_avgs_;
  TensorList out = Unwrap(out_);
  MultiCall c(h.apply ? "fused_rmsprop_" : "fused_rmsprop", Kind::kRmsprop, h, Op::kG);
  unsigned optional = Prepare(c, Op::kP, params, Op::kOut, out, grads.size());
  c.Set(Op::kG, "grads", &grads, false);
  c.Set(Op::kSq, "square_avgs", &sq, true);
  if (h.centered) c.Set(Op::kGavg, "grad_avgs", &gavg, true);
  if (h.momentum > 0) c.Set(Op::kBuf, "momentum_buffers", &bufs, true);
  c.Check(optional);
  const bool new_out = FillOut(c, out, grads);
  c.Run();
  return new_out ? out : TensorList{};
}

Hyper AdamHyper(double lr, double b1, double b2, double eps, double eps_root, double wd, bool decoupled, bool amsgrad,
                bool maximize, bool apply) {
  Hyper h;
  h.lr = lr, h.b1 = b1, h.b2 = b2, h.eps = eps, h.eps_root = eps_root, h.weight_decay = wd;
  h.decoupled = decoupled, h.amsgrad = amsgrad, h.maximize = maximize, h.apply = apply;
  return h;
}

Register reg{
    TON_OP(fused_adam, [](const OptList& params, const TensorList& grads, const TensorList& exp_avgs,
                          const TensorList& exp_avg_sqs, const OptList& max_exp_avg_sqs, const OptList& out,
                          const Counts& count, double lr, double b1, double b2, double eps, double eps_root,
                          double weight_decay, bool decoupled, bool amsgrad, bool maximize, bool apply) {
      return FusedAdam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, out, count,
                       AdamHyper(lr, b1, b2, eps, eps_root, weight_decay, decoupled, amsgrad, maximize, apply));
    }),
    TON_OP(fused_sgd, [](const OptList& params, const TensorList& grads, const OptList& momentum_buffers,
                         const OptList& out, double lr, double momentum, double dampening, double weight_decay,
                         bool nesterov, bool maximize, bool apply) {
      Hyper h;
      h.lr = lr, h.momentum = momentum, h.dampening = dampening, h.weight_decay = weight_decay;
      h.nesterov = nesterov, h.maximize = maximize, h.apply = apply;
      return FusedSgd(params, grads, momentum_buffers, out, h);
    }),
    TON_OP(fused_rmsprop, [](const OptList& params, const TensorList& grads, const TensorList& square_avgs,
                             const OptList& grad_avgs, const OptList& momentum_buffers, const OptList& out, double lr,
                             double alpha, double eps, double weight_decay, double momentum, bool centered,
                             bool maximize, bool apply) {
      Hyper h;
      h.lr = lr, h.alpha = alpha, h.eps = eps, h.weight_decay = weight_decay, h.momentum = momentum;
      h.centered = centered, h.maximize = maximize, h.apply = apply;
      return FusedRmsprop(params, grads, square_avgs, grad_avgs, momentum_buffers, out, h);
    }),
    TON_OP(fused_cpu_kernels, []() { return std::string(CpuKernels()); }),
    TON_OP(fused_cuda_built, []() {
#ifdef TON_WITH_CUDA
      return true;
#else
      return false;
#endif
    }),
};

}  // namespace
}  // namespace fused
}  // namespace ton
