// torchopt.Optimizer: a PyTorch-like optimizer (reads p.grad, updates in place) over a
// functional GradientTransformation.
import { tree_flatten_as_tuple, tree_map_, TreeSpec } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { _clear_grads } from '../../torch/nn/module';
import { GradientTransformation, UninitializedState } from '../base';
import { apply_updates } from '../update';
import { OptState, Params } from '../typing';
import { kwargs, KW } from '../kwargs';

export class Optimizer {
  readonly impl: GradientTransformation;
  param_groups: Tensor[][] = [];
  param_treespecs: TreeSpec[] = [];
  state_groups: OptState[] = [];

  constructor(params: Iterable<Tensor> | Params, impl: GradientTransformation) {
    if (!(impl instanceof GradientTransformation)) {
      throw new TypeError(`${impl} (type: ${typeof impl}) is not a GradientTransformation`);
    }
    this.impl = impl;
    const p = Array.isArray(params) || params instanceof Tensor || (params !== null && typeof params === 'object' && !(Symbol.iterator in params)) ? params : [...(params as Iterable<Tensor>)];
    this.add_param_group(p);
  }

  /** Zeroes the gradients; set_to_none=false by default, as in TorchOpt. */
  zero_grad(...args: KW<[set_to_none: boolean | undefined], { set_to_none?: boolean }>): void {
    const [set_to_none = false] = kwargs('zero_grad', args, ['set_to_none']) as [boolean?];
    for (const group of this.param_groups) _clear_grads(group, set_to_none);
  }

  state_dict(): OptState[] {
    return [...this.state_groups];
  }
  load_state_dict(state_dict: readonly OptState[]): void {
    this.state_groups.splice(0, this.state_groups.length, ...state_dict);
  }

  /** Applies one update from p.grad; a closure is re-evaluated with grad enabled. */
  step(closure?: () => Tensor): Tensor | null {
    let loss: Tensor | null = null;
    if (closure !== undefined) loss = torch.enable_grad(closure);
    for (let i = 0; i < this.param_groups.length; i++) {
      const params = this.param_groups[i];
      let state = this.state_groups[i];
      if (state instanceof UninitializedState) state = this.impl.init(params);
      const grads = params.map((p: Tensor) => p.grad); // a group is a flat list
      const fused = this.impl.applyFused;
      if (fused !== undefined && !grads.includes(null)) {
        fused.inPlace(params, grads as Tensor[]);
        this.state_groups[i] = state;
        continue;
      }
      const [updates, newState] = this.impl.update(grads, state, { params, inplace: true });
      this.param_groups[i] = apply_updates(params, updates, { inplace: true });
      // The state outlives any torch.tidy scope the step runs in.
      tree_map_((t: unknown) => t instanceof Tensor && torch.keep(t), newState);
      this.state_groups[i] = newState;
    }
    return loss;
  }

  add_param_group(params: Params): void {
    const [flat, spec] = tree_flatten_as_tuple(params);
    this.param_groups.push(flat as Tensor[]);
    this.param_treespecs.push(spec);
    this.state_groups.push(new UninitializedState());
  }
}
