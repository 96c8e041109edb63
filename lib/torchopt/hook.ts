// register_hook: attaches a hook to every update tensor, so that it acts on the
// gradients flowing back through the update (meta-gradients).
import { tree_map_ } from '../pytree';
import { Tensor } from '../torch';
import { EmptyState, GradientTransformation } from './base';

export function zero_nan_hook(g: Tensor): Tensor {
  return g.nan_to_num(0.0);
}

export function nan_to_num_hook(nan = 0.0, posinf: number | null = null, neginf: number | null = null): (g: Tensor) => Tensor {
  return (g: Tensor) => g.nan_to_num(nan, posinf, neginf);
}

export function register_hook(hook: (g: Tensor) => Tensor | void | null | undefined): GradientTransformation {
  return new GradientTransformation(
    () => new EmptyState(),
    (updates, state) => {
      tree_map_((g: Tensor) => g.register_hook(hook), updates);
      return [updates, state];
    },
  );
}
