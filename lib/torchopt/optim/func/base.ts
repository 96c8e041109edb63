// torchopt.FuncOptimizer: a functional optimizer that returns new params (always
// differentiating with create_graph; out of place unless inplace is asked for).
import * as torch from '../../../torch';
import { Tensor } from '../../../torch';
import { GradientTransformation, UninitializedState } from '../../base';
import { apply_updates } from '../../update';
import { OptState, Params } from '../../typing';
import { tree_flatten } from '../../../pytree';
import { checkKeys } from '../../kwargs';

export class FuncOptimizer {
  readonly impl: GradientTransformation;
  optim_state: OptState = new UninitializedState();
  inplace: boolean;
  constructor(impl: GradientTransformation, opts: { inplace?: boolean } = {}) {
    checkKeys('FuncOptimizer', opts, ['inplace']);
    if (!(impl instanceof GradientTransformation)) throw new TypeError(`${impl} (type: ${typeof impl}) is not a GradientTransformation`);
    this.impl = impl;
    this.inplace = Boolean(opts.inplace ?? false);
  }
  step(loss: Tensor, params: Params, inplace: boolean | null = null): Params {
    if (this.optim_state instanceof UninitializedState) this.optim_state = this.impl.init(params);
    const ip = inplace ?? this.inplace;
    const [leaves, spec] = tree_flatten(params);
    const flatGrads = torch.autograd.grad(loss, leaves as Tensor[], { create_graph: true, allow_unused: true });
    const grads = spec.unflatten(flatGrads);
    let updates;
    [updates, this.optim_state] = this.impl.update(grads, this.optim_state, { params, inplace: ip });
    return apply_updates(params, updates, { inplace: ip });
  }
  state_dict(): OptState {
    return this.optim_state;
  }
  load_state_dict(state: OptState): void {
    this.optim_state = state;
  }
}
