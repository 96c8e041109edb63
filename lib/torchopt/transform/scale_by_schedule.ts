// scale_by_schedule(step_size_fn): updates * step_size_fn(count), count per leaf.
import { namedtuple } from '../../pytree';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { Schedule } from '../typing';
import { inc_count, mapper, withFlat, zeroCount } from './utils';

export class ScaleByScheduleState extends namedtuple('ScaleByScheduleState', ['count']) {}

export const scale_by_schedule = withFlat((flat: boolean, step_size_fn: Schedule): GradientTransformation => {
  const m = mapper(flat);
  return new GradientTransformation(
    (params) => new ScaleByScheduleState(m.map(zeroCount, params)),
    (updates, state, opts) => {
      const s = state as ScaleByScheduleState;
      if (opts?.inplace ?? true) {
        m.map_((c: Tensor, g: Tensor | null) => (g === null ? g : g.mul_(step_size_fn(c))), s.count, updates);
      } else {
        updates = m.map((c: Tensor, g: Tensor | null) => (g === null ? g : g.mul(step_size_fn(c))), s.count, updates);
      }
      return [updates, new ScaleByScheduleState(inc_count(m, updates, s.count))];
    },
  );
});
