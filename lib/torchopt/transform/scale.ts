// scale(step_size): updates * step_size.
import { N } from '../../native';
import { Tensor } from '../../torch';
import { EmptyState, GradientTransformation } from '../base';
import { mapper, withFlat } from './utils';

export const ScaleState = EmptyState;

/** updates.mul_(step_size) for every leaf, in one native call. */
export function scaleInPlace(flat: boolean, updates: unknown, step_size: number): unknown {
  const hs: unknown[] = [];
  const out = mapper(flat).map_((g: Tensor) => hs.push(g._h), updates);
  N.mul_list_(hs, step_size);
  return out;
}

export const scale = withFlat((flat: boolean, step_size: number): GradientTransformation => {
  const m = mapper(flat);
  const t = new GradientTransformation(
    () => new EmptyState(),
    (updates, state, opts) => {
      if (opts?.inplace ?? true) updates = scaleInPlace(flat, updates, step_size);
      else updates = m.map((g: Tensor) => g.mul(step_size), updates);
      return [updates, state];
    },
  );
  t.scaleBy = step_size;
  return t;
});
