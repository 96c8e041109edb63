// scale(step_size): updates * step_size.
import { N } from '../../native';
import { Tensor } from '../../torch';
import { wrapList } from '../../torch/tensor';
import { handles } from '../../torch/ops/util';
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

/** updates * step_size as new tensors (differentiable). */
export function scaleOutOfPlace(flat: boolean, updates: unknown, step_size: number): unknown {
  return mapper(flat).map((g: Tensor) => g.mul(step_size), updates);
}

/** scale(step_size) then apply_updates, one native call per step (see applyFused). */
export function scaleApply(step_size: number): NonNullable<GradientTransformation['applyFused']> {
  return {
    inPlace: (params, updates) => N.scale_add_data_list_(handles(params), handles(updates), step_size),
    outOfPlace: (params, updates) => wrapList(N.scale_add_list(handles(params), handles(updates), step_size)),
  };
}

export const scale = withFlat((flat: boolean, step_size: number): GradientTransformation => {
  const t = new GradientTransformation(
    () => new EmptyState(),
    (updates, state, opts) => [(opts?.inplace ?? true) ? scaleInPlace(flat, updates, step_size) : scaleOutOfPlace(flat, updates, step_size), state],
  );
  t.scaleBy = step_size;
  t.applyFused = scaleApply(step_size);
  return t;
});
