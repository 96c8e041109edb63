// nan_to_num: replaces NaN/inf in the updates (tree path only, as in TorchOpt).
import { tree_map } from '../../pytree';
import { Tensor } from '../../torch';
import { EmptyState, GradientTransformation } from '../base';

export function nan_to_num(nan = 0.0, posinf: number | null = null, neginf: number | null = null): GradientTransformation {
  return new GradientTransformation(
    () => new EmptyState(),
    (updates, state, o) => {
      const f = o?.inplace ?? true ? (g: Tensor) => g.nan_to_num_(nan, posinf, neginf) : (g: Tensor) => g.nan_to_num(nan, posinf, neginf);
      return [tree_map(f, updates), state];
    },
  );
}
