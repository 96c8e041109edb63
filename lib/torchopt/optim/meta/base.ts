// torchopt.MetaOptimizer: differentiable optimization of a module's parameters.
//
// step(loss) differentiates the loss with create_graph, computes out-of-place updates,
// and writes the new (non-leaf) tensors into the module's live parameter Maps, so the
// module computes with them and a later (outer) loss differentiates through the steps.
import { tree_flatten_as_tuple } from '../../../pytree';
import * as torch from '../../../torch';
import { nn, Tensor } from '../../../torch';
import { GradientTransformation, UninitializedState } from '../../base';
import { apply_updates } from '../../update';
import { OptState } from '../../typing';

type Container = Map<string, Tensor | null>;

export class MetaOptimizer {
  readonly impl: GradientTransformation;
  param_containers_groups: Container[][] = [];
  state_groups: OptState[] = [];

  constructor(module: nn.Module, impl: GradientTransformation) {
    if (!(impl instanceof GradientTransformation)) {
      throw new TypeError(`${impl} (type: ${typeof impl}) is not a GradientTransformation`);
    }
    this.impl = impl;
    this.add_param_group(module);
  }

  step(loss: Tensor): void {
    for (let i = 0; i < this.param_containers_groups.length; i++) {
      const containers = this.param_containers_groups[i];
      const [flat, spec] = tree_flatten_as_tuple(containers);
      const flatParams = flat as Tensor[];
      let state = this.state_groups[i];
      if (state instanceof UninitializedState) state = this.impl.init(flatParams);
      const grads = torch.autograd.grad(loss, flatParams, { create_graph: true, allow_unused: true });
      const fused = this.impl.applyFused;
      let newFlat: Tensor[];
      if (fused !== undefined && !grads.includes(null)) {
        this.state_groups[i] = state;
        newFlat = fused.outOfPlace(flatParams, grads as Tensor[]);
      } else {
        const [updates, newState] = this.impl.update(grads, state, { params: flatParams, inplace: false });
        this.state_groups[i] = newState;
        newFlat = apply_updates(flatParams, updates, { inplace: false }) as Tensor[];
      }
      const newContainers = spec.unflatten(newFlat) as Container[];
      containers.forEach((c, k) => {
        for (const [name, t] of newContainers[k]) c.set(name, t);
      });
    }
  }

  add_param_group(module: nn.Module): void {
    if (!(module instanceof nn.Module)) throw new TypeError(`MetaOptimizer expects an nn.Module, got ${typeof module}`);
    const params: Container[] = [];
    for (const m of module.modules()) if (m._parameters.size > 0) params.push(m._parameters);
    this.param_containers_groups.push(params);
    this.state_groups.push(new UninitializedState());
  }

  state_dict(): OptState[] {
    return [...this.state_groups];
  }
  load_state_dict(state_dict: readonly OptState[]): void {
    this.state_groups.splice(0, this.state_groups.length, ...state_dict);
  }
}
