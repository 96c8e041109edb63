// add_decayed_weights (decoupled weight decay) and masked (apply an inner transform to
// a subset of the leaves).
import { namedtuple } from '../../pytree';
import { Tensor } from '../../torch';
import { EmptyState, GradientTransformation, identity } from '../base';
import { OptState, Params } from '../typing';
import { checkNonNeg, decayParams, mapper, withFlat } from './utils';
import { checkKeys } from '../kwargs';

export class MaskedState extends namedtuple('MaskedState', ['inner_state']) {}
/** Stands for a masked-out leaf: an empty node, so the inner transform sees no leaf. */
export class MaskedNode extends namedtuple('MaskedNode', []) {}

export type Mask = OptState | ((params: Params) => OptState);

export const masked = withFlat((flat: boolean, inner: GradientTransformation, mask: Mask): GradientTransformation => {
  const m = mapper(flat);
  const treeMask = (params: Params, maskTree: OptState) => m.map((p: unknown, k: unknown) => (k ? p : new MaskedNode()), params, maskTree);
  return new GradientTransformation(
    (params) => {
      const mt = typeof mask === 'function' ? mask(params) : mask;
      return new MaskedState(inner.init(treeMask(params, mt)));
    },
    (updates, state, o) => {
      const mt = typeof mask === 'function' ? mask(updates) : mask;
      const mu = treeMask(updates, mt);
      const mp = o?.params === undefined || o.params === null ? null : treeMask(o.params, mt);
      const [newMasked, newInner] = inner.update(mu, (state as MaskedState).inner_state, { params: mp, inplace: o?.inplace ?? true });
      const newUpdates = m.map((old: unknown, nu: unknown, k: unknown) => (k ? nu : old), updates, newMasked, mt);
      return [newUpdates, new MaskedState(newInner)];
    },
  );
});

export const AddDecayedWeightsState = EmptyState;

export const add_decayed_weights = withFlat((flat: boolean, opts: { weight_decay?: number; mask?: Mask | null } = {}): GradientTransformation => {
  checkKeys('add_decayed_weights', opts, ['weight_decay', 'mask']);
  const { weight_decay = 0.0, mask = null } = opts;
  checkNonNeg('weight_decay', weight_decay);
  if (weight_decay === 0.0 && mask === null) return identity();
  const m = mapper(flat);
  const gt = new GradientTransformation(
    () => new EmptyState(),
    (updates, state, o) => {
      const params = decayParams(o);
      if (o?.inplace ?? true) {
        m.map_((p: Tensor, g: Tensor | null) => (g === null ? g : g.requires_grad ? g.add_(p, { alpha: weight_decay }) : g.add_(p.data, { alpha: weight_decay })), params, updates);
      } else {
        updates = m.map((p: Tensor, g: Tensor | null) => (g !== null ? g.add(p, { alpha: weight_decay }) : g), params, updates);
      }
      return [updates, state];
    },
  );
  return mask !== null ? masked.impl(flat, gt, mask) : gt;
});
