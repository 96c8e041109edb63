// apply_updates: params + updates. In place it writes through .data (no autograd);
// out of place it builds a differentiable graph.
import { N } from '../native';
import { tree_map } from '../pytree';
import { Tensor } from '../torch';
import { Params, Updates } from './typing';
import { checkKeys } from './kwargs';

export function apply_updates(params: Params, updates: Updates, opts?: { inplace?: boolean }): Params {
  checkKeys('apply_updates', opts, ['inplace']);
  if (opts?.inplace ?? true) {
    // One native call for all pairs: p.data.add_(u) on each.
    const ps: unknown[] = [];
    const us: unknown[] = [];
    const out = tree_map(
      (p: Tensor, u: Tensor | null) => {
        if (u !== null && u !== undefined) {
          if (!(p instanceof Tensor) || !(u instanceof Tensor)) throw new TypeError(`apply_updates(): expected Tensors, got ${typeof p} and ${typeof u}`);
          ps.push(p._h), us.push(u._h);
        }
        return p;
      },
      params,
      updates,
    );
    N.add_data_list_(ps, us);
    return out;
  }
  return tree_map((p: Tensor, u: Tensor | null) => (u !== null && u !== undefined ? p.add(u) : p), params, updates);
}
