// polynomial_schedule and linear_schedule. Counts may be numbers or (as inside
// scale_by_schedule) 0-dim int64 tensors; tensors are computed with tensor ops, as in
// TorchOpt, so the dtype rules (and roundings) are the same.
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { Numeric, Schedule } from '../typing';
import { checkKeys } from '../kwargs';

export function polynomial_schedule(opts: { init_value: number; end_value: number; power: number; transition_steps: number; transition_begin?: number }): Schedule {
  checkKeys('polynomial_schedule', opts, ['init_value', 'end_value', 'power', 'transition_steps', 'transition_begin']);
  const { init_value, end_value, power, transition_steps } = opts;
  let transition_begin = opts.transition_begin ?? 0;
  if (transition_steps <= 0) return () => init_value;
  if (transition_begin < 0) transition_begin = 0;
  return (count: Numeric): Numeric => {
    if (count instanceof Tensor) {
      const c = torch.clamp(count.sub(transition_begin), 0, transition_steps);
      const frac = c.div(transition_steps).rsub(1.0);
      return frac.pow(power).mul(init_value - end_value).add(end_value);
    }
    const c = Math.min(Math.max(count - transition_begin, 0), transition_steps);
    const frac = 1.0 - c / transition_steps;
    return (init_value - end_value) * frac ** power + end_value;
  };
}

export function linear_schedule(opts: { init_value: number; end_value: number; transition_steps: number; transition_begin?: number }): Schedule {
  checkKeys('linear_schedule', opts, ['init_value', 'end_value', 'transition_steps', 'transition_begin']);
  return polynomial_schedule({ ...opts, power: 1 });
}
