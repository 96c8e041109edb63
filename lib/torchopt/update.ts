// apply_updates: params + updates. In place it writes through .data (no autograd);
// out of place it builds a differentiable graph.
import { N } from '../native';
import { tree_map } from '../pytree';
import { Tensor } from '../torch';
import { Params, Updates } from './typing';
import { checkKeys } from './kwargs';

export function apply_updates(params: Params, updates: Updates, opts?: { inplace?: boolean }): Params {
  checkKeys('apply_updates', opts, ['inplace']);
  // f over the (param, update) pairs; lists of tensors (what the optimizers pass) need
  // no treespec.
  const pairs = (f: (p: Tensor, u: Tensor | null) => Tensor): Params =>
    isTensorList(params, false) && isTensorList(updates) && params.length === updates.length
      ? params.map((p, i) => f(p!, updates[i]))
      : tree_map(f, params, updates);
  if (opts?.inplace ?? true) {
    // One native call for all pairs: p.data.add_(u) on each.
    const ps: unknown[] = [];
    const us: unknown[] = [];
    const out = pairs((p, u) => {
      if (u !== null && u !== undefined) {
        if (!(p instanceof Tensor) || !(u instanceof Tensor)) throw new TypeError(`apply_updates(): expected Tensors, got ${typeof p} and ${typeof u}`);
        ps.push(p._h), us.push(u._h);
      }
      return p;
    });
    N.add_data_list_(ps, us);
    return out;
  }
  return pairs((p, u) => (u !== null && u !== undefined ? p.add(u) : p));
}

/** @internal A flat list of tensors (nulls allowed where `nulls`): its own leaves, so the
 * optimizers' paths skip building treespecs for it. */
export function isTensorList(x: unknown, nulls = true): x is (Tensor | null)[] {
  if (!Array.isArray(x)) return false;
  for (let i = 0; i < x.length; i++) if (!(x[i] instanceof Tensor) && !(nulls && x[i] === null)) return false;
  return true;
}
