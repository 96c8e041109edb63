// scale_by_accelerated_adam: scale_by_adam through the fused AdamOp (accelerated_op):
// one native call for all leaves on the flat path, one fused pass per tensor in place,
// and a C++ backward (exact in eps and eps_root) out of place.
import { NONE_IS_LEAF, tree_structure, tree_transpose, tree_unflatten } from '../../pytree';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { AdamOp } from '../accelerated_op';
import { adamInit, AdamScalerOpts, checkAdamArgs, ScaleByAdamState } from './scale_by_adam';
import { scaleInPlace } from './scale';
import { inc_count, mapper, withFlat } from './utils';
import { ADAM_SCALER_KEYS, checkKeys } from '../kwargs';

const TRIPLE = tree_structure([0, 1, 2], NONE_IS_LEAF);

export const scale_by_accelerated_adam = withFlat((flat: boolean, opts: AdamScalerOpts = {}): GradientTransformation => {
  checkKeys('scale_by_accelerated_adam', opts, ADAM_SCALER_KEYS);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, eps_root = 0.0, moment_requires_grad = false } = opts;
  checkAdamArgs(b1, b2, eps);
  const m = mapper(flat);
  const update = (updates: unknown, state: unknown, o: { inplace?: boolean } | undefined, step?: number): [unknown, ScaleByAdamState] => {
    const op = new AdamOp({ b1, b2, eps, eps_root, inplace: o?.inplace ?? true });
    const s = state as ScaleByAdamState;
    const count = inc_count(m, updates, s.count);
    if (flat) {
      const mus = s.mu as (Tensor | null)[];
      const idx: number[] = [];
      for (let i = 0; i < mus.length; i++) if (mus[i] !== null) idx.push(i);
      const nus = s.nu as Tensor[];
      const us = updates as (Tensor | null)[];
      const cs = count as Tensor[];
      const [nm, nn, nu] = op._call_multi(idx.map((i) => mus[i]!), idx.map((i) => nus[i]), idx.map((i) => us[i]), idx.map((i) => cs[i]), step);
      const newMu = mus.slice();
      const newNu = nus.slice();
      const newU = us.slice();
      idx.forEach((i, k) => {
        newMu[i] = nm[k];
        newNu[i] = nn[k];
        newU[i] = nu[k];
      });
      return [newU, new ScaleByAdamState(newMu, newNu, count)];
    }
    const spec = tree_structure(updates, NONE_IS_LEAF);
    if (spec.num_leaves === 0) {
      return [tree_unflatten(spec, []), new ScaleByAdamState(tree_unflatten(spec, []), tree_unflatten(spec, []), count)] as [unknown, ScaleByAdamState];
    }
    const out = m.mapNone(
      (mu: Tensor | null, nu: Tensor | null, u: Tensor | null, c: Tensor | null) => (mu === null ? [null, null, null] : op.call(mu, nu!, u, c!)),
      s.mu,
      s.nu,
      updates,
      count,
    );
    const [new_mu, new_nu, new_updates] = tree_transpose(spec, TRIPLE, out);
    return [step === undefined ? new_updates : scaleInPlace(flat, new_updates, step), new ScaleByAdamState(new_mu, new_nu, count)];
  };
  const t = new GradientTransformation(adamInit(m, moment_requires_grad), (updates, state, o) => update(updates, state, o));
  // A following scale(step) goes into the fused pass (in place; chains call this only then).
  t.updateScaled = (updates, state, o, step) => update(updates, state, o, step);
  return t;
});
