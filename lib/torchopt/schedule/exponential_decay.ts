// exponential_decay: init * rate^((count - begin) / steps), optionally staircased and
// clipped at end_value.
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { Numeric, Schedule } from '../typing';
import { checkKeys } from '../kwargs';

export function exponential_decay(opts: {
  init_value: number;
  decay_rate: number;
  transition_begin?: number;
  transition_steps?: number;
  staircase?: boolean;
  end_value?: number | null;
}): Schedule {
  checkKeys('exponential_decay', opts, ['init_value', 'decay_rate', 'transition_begin', 'transition_steps', 'staircase', 'end_value']);
  const { init_value, decay_rate, staircase = false, end_value = null } = opts;
  const transition_steps = opts.transition_steps ?? 1;
  let transition_begin = opts.transition_begin ?? 0;
  if (transition_steps <= 0) return () => init_value;
  if (decay_rate === 0) return () => init_value;
  if (transition_begin < 0) transition_begin = 0;
  const clip = decay_rate < 1.0 ? (a: Numeric, b: number) => max(a, b) : (a: Numeric, b: number) => min(a, b);
  return (count: Numeric): Numeric => {
    let decayed: Numeric;
    if (count instanceof Tensor) {
      const decreased = count.sub(transition_begin);
      let p = decreased.div(transition_steps);
      if (staircase) p = p.floor();
      decayed = decreased.item() <= 0.0 ? init_value : torch.pow(decay_rate, p).mul(init_value);
    } else {
      const decreased = count - transition_begin;
      let p = decreased / transition_steps;
      if (staircase) p = Math.floor(p);
      decayed = decreased <= 0.0 ? init_value : init_value * decay_rate ** p;
    }
    return end_value !== null ? clip(decayed, end_value) : decayed;
  };
}

// Python's max/min of a number and a 0-dim tensor: compares, returns one of them.
function max(a: Numeric, b: number): Numeric {
  return (a instanceof Tensor ? a.item() : a) >= b ? a : b;
}
function min(a: Numeric, b: number): Numeric {
  return (a instanceof Tensor ? a.item() : a) <= b ? a : b;
}
