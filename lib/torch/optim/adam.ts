// torch.optim.Adam and AdamW (torch 1.13's single-tensor update rules).
import { Tensor } from '../tensor';
import { tensor, zeros_like } from '../creation';
import { maximum } from '../ops/pointwise';
import { Optimizer, ParamGroup, Params, checkBetas, checkRange, lrOpts } from './optimizer';

export type AdamOpts = {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  capturable?: boolean;
  differentiable?: boolean;
  fused?: boolean;
};

function adamDefaults(o: AdamOpts, wd: number): Record<string, unknown> {
  const lr = o.lr ?? 1e-3;
  const betas = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8;
  const weight_decay = o.weight_decay ?? wd;
  checkRange(lr >= 0, 'learning rate', lr);
  checkRange(eps >= 0, 'epsilon value', eps);
  checkBetas(betas);
  checkRange(weight_decay >= 0, 'weight_decay value', weight_decay);
  return {
    lr,
    betas,
    eps,
    weight_decay,
    amsgrad: o.amsgrad ?? false,
    maximize: o.maximize ?? false,
    foreach: o.foreach ?? null,
    capturable: o.capturable ?? false,
    differentiable: o.differentiable ?? false,
    fused: o.fused ?? false,
  };
}

function initState(state: Record<string, unknown>, p: Tensor, amsgrad: boolean): void {
  if (Object.keys(state).length > 0) return;
  state.step = tensor(0.0);
  state.exp_avg = zeros_like(p);
  state.exp_avg_sq = zeros_like(p);
  if (amsgrad) state.max_exp_avg_sq = zeros_like(p);
}

function adamUpdate(p: Tensor, g: Tensor, state: Record<string, unknown>, group: ParamGroup, decoupled: boolean): void {
  const [beta1, beta2] = group.betas as [number, number];
  const lr = group.lr as number;
  const eps = group.eps as number;
  const wd = group.weight_decay as number;
  const amsgrad = group.amsgrad as boolean;
  let grad = group.maximize ? g.neg() : g;
  const exp_avg = state.exp_avg as Tensor;
  const exp_avg_sq = state.exp_avg_sq as Tensor;
  const step_t = state.step as Tensor;
  step_t.add_(1);
  if (decoupled) p.mul_(1 - lr * wd);
  else if (wd !== 0) grad = grad.add(p, { alpha: wd });
  exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
  exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
  const step = step_t.item();
  const bias_correction1 = 1 - beta1 ** step;
  const bias_correction2 = 1 - beta2 ** step;
  const step_size = lr / bias_correction1;
  const bias_correction2_sqrt = Math.sqrt(bias_correction2);
  let denom: Tensor;
  if (amsgrad) {
    const m = state.max_exp_avg_sq as Tensor;
    m.copy_(maximum(m, exp_avg_sq));
    denom = m.sqrt().div(bias_correction2_sqrt).add_(eps);
  } else denom = exp_avg_sq.sqrt().div(bias_correction2_sqrt).add_(eps);
  p.addcdiv_(exp_avg, denom, { value: -step_size });
}

// Adam and AdamW differ only in how weight decay is applied (`decoupled` for AdamW).
function stepGroup(opt: Optimizer, group: ParamGroup, decoupled: boolean): void {
  for (const p of group.params) {
    const g = p.grad;
    if (g === null) continue;
    const state = opt.stateOf(p);
    initState(state, p, group.amsgrad as boolean);
    adamUpdate(p, g, state, group, decoupled);
  }
}

export class Adam extends Optimizer {
  /** new Adam(params, {lr=1e-3, betas=[0.9, 0.999], eps=1e-8, weight_decay=0, amsgrad=false, maximize=false}). */
  constructor(params: Params, lrOrOpts?: number | AdamOpts, opts?: AdamOpts) {
    super(params, adamDefaults(lrOpts(lrOrOpts, opts), 0));
  }
  protected _step_group(group: ParamGroup): void {
    stepGroup(this, group, false);
  }
}

export class AdamW extends Optimizer {
  /** new AdamW(params, {lr=1e-3, betas, eps=1e-8, weight_decay=1e-2, amsgrad, maximize}): decoupled weight decay. */
  constructor(params: Params, lrOrOpts?: number | AdamOpts, opts?: AdamOpts) {
    const d = adamDefaults(lrOpts(lrOrOpts, opts), 1e-2);
    delete d.differentiable;
    delete d.fused;
    super(params, d);
  }
  protected _step_group(group: ParamGroup): void {
    stepGroup(this, group, true);
  }
}
