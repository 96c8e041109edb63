// scale(step_size): updates * step_size.
import { Tensor } from '../../torch';
import { EmptyState, GradientTransformation } from '../base';
import { mapper, withFlat } from './utils';

export const ScaleState = EmptyState;

export const scale = withFlat((flat: boolean, step_size: number): GradientTransformation => {
  const m = mapper(flat);
  return new GradientTransformation(
    () => new EmptyState(),
    (updates, state, opts) => {
      if (opts?.inplace ?? true) updates = m.map_((g: Tensor) => g.mul_(step_size), updates);
      else updates = m.map((g: Tensor) => g.mul(step_size), updates);
      return [updates, state];
    },
  );
});
