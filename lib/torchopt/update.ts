// apply_updates: params + updates. In place it writes through .data (no autograd);
// out of place it builds a differentiable graph.
import { tree_map } from '../pytree';
import { Tensor } from '../torch';
import { Params, Updates } from './typing';

export function apply_updates(params: Params, updates: Updates, opts?: { inplace?: boolean }): Params {
  if (opts?.inplace ?? true) {
    return tree_map(
      (p: Tensor, u: Tensor | null) => {
        if (u !== null && u !== undefined) p.data.add_(u);
        return p;
      },
      params,
      updates,
    );
  }
  return tree_map((p: Tensor, u: Tensor | null) => (u !== null && u !== undefined ? p.add(u) : p), params, updates);
}
