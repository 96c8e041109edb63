// torch.optim.RMSprop, Adagrad, Adamax, Adadelta, RAdam (torch 1.13's single-tensor rules),
// the reference optimizers of TorchOpt's test suite.
import { Tensor } from '../tensor';
import { tensor, zeros_like, full_like } from '../creation';
import { cat } from '../ops/shape';
import { Optimizer, ParamGroup, Params, checkBetas, checkRange, lrOpts } from './optimizer';

function* withGrad(group: ParamGroup): Generator<[Tensor, Tensor]> {
  for (const p of group.params) {
    const g = p.grad;
    if (g !== null) yield [p, g];
  }
}

export type RMSpropOpts = { lr?: number; alpha?: number; eps?: number; weight_decay?: number; momentum?: number; centered?: boolean; maximize?: boolean; foreach?: boolean | null };
export class RMSprop extends Optimizer {
  constructor(params: Params, lrOrOpts?: number | RMSpropOpts, opts?: RMSpropOpts) {
    const o = lrOpts(lrOrOpts, opts);
    const d = { lr: o.lr ?? 1e-2, momentum: o.momentum ?? 0, alpha: o.alpha ?? 0.99, eps: o.eps ?? 1e-8, centered: o.centered ?? false, weight_decay: o.weight_decay ?? 0, foreach: o.foreach ?? null, maximize: o.maximize ?? false, differentiable: false };
    checkRange(d.lr >= 0, 'learning rate', d.lr);
    checkRange(d.eps >= 0, 'epsilon value', d.eps);
    checkRange(d.momentum >= 0, 'momentum value', d.momentum);
    checkRange(d.weight_decay >= 0, 'weight_decay value', d.weight_decay);
    checkRange(d.alpha >= 0, 'alpha value', d.alpha);
    super(params, d);
  }
  protected _step_group(group: ParamGroup): void {
    const { lr, alpha, eps, weight_decay, momentum, centered, maximize } = group as unknown as Required<RMSpropOpts>;
    for (const [p, g] of withGrad(group)) {
      const state = this.stateOf(p);
      if (Object.keys(state).length === 0) {
        state.step = 0;
        state.square_avg = zeros_like(p);
        if (momentum > 0) state.momentum_buffer = zeros_like(p);
        if (centered) state.grad_avg = zeros_like(p);
      }
      state.step = (state.step as number) + 1;
      let grad = maximize ? g.neg() : g;
      if (weight_decay !== 0) grad = grad.add(p, { alpha: weight_decay });
      const square_avg = state.square_avg as Tensor;
      square_avg.mul_(alpha).addcmul_(grad, grad, { value: 1 - alpha });
      let avg: Tensor;
      if (centered) {
        const grad_avg = state.grad_avg as Tensor;
        grad_avg.mul_(alpha).add_(grad, { alpha: 1 - alpha });
        avg = square_avg.addcmul(grad_avg, grad_avg, { value: -1 }).sqrt_();
      } else avg = square_avg.sqrt();
      avg = avg.add_(eps);
      if (momentum > 0) {
        const buf = state.momentum_buffer as Tensor;
        buf.mul_(momentum).addcdiv_(grad, avg);
        p.add_(buf, { alpha: -lr });
      } else p.addcdiv_(grad, avg, { value: -lr });
    }
  }
}

export type AdagradOpts = { lr?: number; lr_decay?: number; weight_decay?: number; initial_accumulator_value?: number; eps?: number; maximize?: boolean; foreach?: boolean | null };
export class Adagrad extends Optimizer {
  constructor(params: Params, lrOrOpts?: number | AdagradOpts, opts?: AdagradOpts) {
    const o = lrOpts(lrOrOpts, opts);
    const d = { lr: o.lr ?? 1e-2, lr_decay: o.lr_decay ?? 0, eps: o.eps ?? 1e-10, weight_decay: o.weight_decay ?? 0, initial_accumulator_value: o.initial_accumulator_value ?? 0, foreach: o.foreach ?? null, maximize: o.maximize ?? false };
    checkRange(d.lr >= 0, 'learning rate', d.lr);
    checkRange(d.lr_decay >= 0, 'lr_decay value', d.lr_decay);
    checkRange(d.weight_decay >= 0, 'weight_decay value', d.weight_decay);
    checkRange(d.initial_accumulator_value >= 0, 'initial_accumulator_value value', d.initial_accumulator_value);
    checkRange(d.eps >= 0, 'epsilon value', d.eps);
    super(params, d);
  }
  override add_param_group(param_group: Parameters<Optimizer['add_param_group']>[0]): void {
    super.add_param_group(param_group);
    // Python initialises the state in __init__; doing it here (the constructor adds its
    // groups through this method) also covers groups added later.
    const group = this.param_groups[this.param_groups.length - 1];
    for (const p of group.params) {
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = tensor(0.0);
        state.sum = full_like(p, group.initial_accumulator_value as number);
      }
    }
  }
  protected _step_group(group: ParamGroup): void {
    const { lr, weight_decay, lr_decay, eps, maximize } = group as unknown as Required<AdagradOpts>;
    for (const [p, g] of withGrad(group)) {
      const state = this.stateOf(p);
      const step_t = state.step as Tensor;
      const state_sum = state.sum as Tensor;
      step_t.add_(1);
      const step = step_t.item();
      let grad = maximize ? g.neg() : g;
      if (weight_decay !== 0) grad = grad.add(p, { alpha: weight_decay });
      const clr = lr / (1 + (step - 1) * lr_decay);
      state_sum.addcmul_(grad, grad, { value: 1 });
      const std = state_sum.sqrt().add_(eps);
      p.addcdiv_(grad, std, { value: -clr });
    }
  }
}

export type AdamaxOpts = { lr?: number; betas?: [number, number]; eps?: number; weight_decay?: number; maximize?: boolean; foreach?: boolean | null };
export class Adamax extends Optimizer {
  constructor(params: Params, lrOrOpts?: number | AdamaxOpts, opts?: AdamaxOpts) {
    const o = lrOpts(lrOrOpts, opts);
    const d = { lr: o.lr ?? 2e-3, betas: o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8, weight_decay: o.weight_decay ?? 0, foreach: o.foreach ?? null, maximize: o.maximize ?? false };
    checkRange(d.lr >= 0, 'learning rate', d.lr);
    checkRange(d.eps >= 0, 'epsilon value', d.eps);
    checkBetas(d.betas as [number, number]);
    checkRange(d.weight_decay >= 0, 'weight_decay value', d.weight_decay);
    super(params, d);
  }
  protected _step_group(group: ParamGroup): void {
    const { lr, eps, weight_decay, maximize } = group as unknown as Required<AdamaxOpts>;
    const [beta1, beta2] = group.betas as [number, number];
    for (const [p, g] of withGrad(group)) {
      const state = this.stateOf(p);
      if (Object.keys(state).length === 0) {
        state.step = tensor(0.0);
        state.exp_avg = zeros_like(p);
        state.exp_inf = zeros_like(p);
      }
      let grad = maximize ? g.neg() : g;
      const exp_avg = state.exp_avg as Tensor;
      const exp_inf = state.exp_inf as Tensor;
      const step_t = state.step as Tensor;
      step_t.add_(1);
      const step = step_t.item();
      if (weight_decay !== 0) grad = grad.add(p, { alpha: weight_decay });
      exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      const norm_buf = cat([exp_inf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze_(0)], 0);
      exp_inf.copy_(norm_buf.amax(0, false));
      const clr = lr / (1 - beta1 ** step);
      p.addcdiv_(exp_avg, exp_inf, { value: -clr });
    }
  }
}

export type AdadeltaOpts = { lr?: number; rho?: number; eps?: number; weight_decay?: number; maximize?: boolean; foreach?: boolean | null };
export class Adadelta extends Optimizer {
  constructor(params: Params, lrOrOpts?: number | AdadeltaOpts, opts?: AdadeltaOpts) {
    const o = lrOpts(lrOrOpts, opts);
    const d = { lr: o.lr ?? 1.0, rho: o.rho ?? 0.9, eps: o.eps ?? 1e-6, weight_decay: o.weight_decay ?? 0, maximize: o.maximize ?? false, foreach: o.foreach ?? null };
    checkRange(d.lr >= 0, 'learning rate', d.lr);
    checkRange(d.rho >= 0 && d.rho <= 1, 'rho value', d.rho);
    checkRange(d.eps >= 0, 'epsilon value', d.eps);
    checkRange(d.weight_decay >= 0, 'weight_decay value', d.weight_decay);
    super(params, d);
  }
  protected _step_group(group: ParamGroup): void {
    const { lr, rho, eps, weight_decay, maximize } = group as unknown as Required<AdadeltaOpts>;
    for (const [p, g] of withGrad(group)) {
      const state = this.stateOf(p);
      if (Object.keys(state).length === 0) {
        state.step = 0;
        state.square_avg = zeros_like(p);
        state.acc_delta = zeros_like(p);
      }
      state.step = (state.step as number) + 1;
      let grad = maximize ? g.neg() : g;
      if (weight_decay !== 0) grad = grad.add(p, { alpha: weight_decay });
      const square_avg = state.square_avg as Tensor;
      const acc_delta = state.acc_delta as Tensor;
      square_avg.mul_(rho).addcmul_(grad, grad, { value: 1 - rho });
      const std = square_avg.add(eps).sqrt_();
      const delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad);
      acc_delta.mul_(rho).addcmul_(delta, delta, { value: 1 - rho });
      p.add_(delta, { alpha: -lr });
    }
  }
}

export type RAdamOpts = { lr?: number; betas?: [number, number]; eps?: number; weight_decay?: number; foreach?: boolean | null };
export class RAdam extends Optimizer {
  constructor(params: Params, lrOrOpts?: number | RAdamOpts, opts?: RAdamOpts) {
    const o = lrOpts(lrOrOpts, opts);
    const d = { lr: o.lr ?? 1e-3, betas: o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8, weight_decay: o.weight_decay ?? 0, foreach: o.foreach ?? null };
    checkRange(d.lr >= 0, 'learning rate', d.lr);
    checkRange(d.eps >= 0, 'epsilon value', d.eps);
    checkBetas(d.betas as [number, number]);
    checkRange(d.weight_decay >= 0, 'weight_decay value', d.weight_decay);
    super(params, d);
  }
  protected _step_group(group: ParamGroup): void {
    const { lr, eps, weight_decay } = group as unknown as Required<RAdamOpts>;
    const [beta1, beta2] = group.betas as [number, number];
    for (const [p, g] of withGrad(group)) {
      const state = this.stateOf(p);
      if (Object.keys(state).length === 0) {
        state.step = tensor(0.0);
        state.exp_avg = zeros_like(p);
        state.exp_avg_sq = zeros_like(p);
      }
      let grad = g;
      const exp_avg = state.exp_avg as Tensor;
      const exp_avg_sq = state.exp_avg_sq as Tensor;
      const step_t = state.step as Tensor;
      step_t.add_(1);
      const step = step_t.item();
      const bias_correction1 = 1 - beta1 ** step;
      const bias_correction2 = 1 - beta2 ** step;
      if (weight_decay !== 0) grad = grad.add(p, { alpha: weight_decay });
      exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const bias_corrected_exp_avg = exp_avg.div(bias_correction1);
      const rho_inf = 2 / (1 - beta2) - 1;
      const rho_t = rho_inf - (2 * step * beta2 ** step) / bias_correction2;
      if (rho_t > 5) {
        const rect = Math.sqrt(((rho_t - 4) * (rho_t - 2) * rho_inf) / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
        const adaptive_lr = exp_avg_sq.sqrt().add_(eps).rdiv(Math.sqrt(bias_correction2));
        p.add_(bias_corrected_exp_avg.mul(lr).mul(adaptive_lr).mul(rect), { alpha: -1.0 });
      } else p.add_(bias_corrected_exp_avg.mul(lr), { alpha: -1.0 });
    }
  }
}
