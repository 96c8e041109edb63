// torch.optim.SGD (torch 1.13's single-tensor update rule).
import { Tensor } from '../tensor';
import { Optimizer, ParamGroup, Params, required, checkRange, lrOpts } from './optimizer';

export type SGDOpts = { lr?: number; momentum?: number; dampening?: number; weight_decay?: number; nesterov?: boolean; maximize?: boolean; foreach?: boolean | null; differentiable?: boolean };

export class SGD extends Optimizer {
  /** new SGD(params, {lr, momentum, dampening, weight_decay, nesterov, maximize}) or new SGD(params, lr, {...}). */
  constructor(params: Params, lrOrOpts?: number | SGDOpts, opts?: SGDOpts) {
    const o = lrOpts(lrOrOpts, opts);
    const lr = o.lr === undefined ? required : o.lr;
    if (lr !== required) checkRange((lr as number) >= 0, 'learning rate', lr);
    const momentum = o.momentum ?? 0;
    const weight_decay = o.weight_decay ?? 0;
    checkRange(momentum >= 0, 'momentum value', momentum);
    checkRange(weight_decay >= 0, 'weight_decay value', weight_decay);
    const defaults = {
      lr,
      momentum,
      dampening: o.dampening ?? 0,
      weight_decay,
      nesterov: o.nesterov ?? false,
      maximize: o.maximize ?? false,
      foreach: o.foreach ?? null,
      differentiable: o.differentiable ?? false,
    };
    if (defaults.nesterov && (momentum <= 0 || defaults.dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    super(params, defaults);
  }

  protected _step_group(group: ParamGroup): void {
    const lr = group.lr as number;
    const momentum = group.momentum as number;
    const dampening = group.dampening as number;
    const weight_decay = group.weight_decay as number;
    const nesterov = group.nesterov as boolean;
    const maximize = group.maximize as boolean;
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      const state = this.stateOf(p);
      let d_p: Tensor = maximize ? g.neg() : g;
      if (weight_decay !== 0) d_p = d_p.add(p, { alpha: weight_decay });
      if (momentum !== 0) {
        let buf = (state.momentum_buffer as Tensor | null | undefined) ?? null;
        if (buf === null) buf = d_p.clone().detach();
        else buf.mul_(momentum).add_(d_p, { alpha: 1 - dampening });
        if (nesterov) d_p = d_p.add(buf, { alpha: momentum });
        else d_p = buf;
        state.momentum_buffer = buf;
      } else if (!('momentum_buffer' in state)) state.momentum_buffer = null;
      p.add_(d_p, { alpha: -lr });
    }
  }
}
