// adagrad (Duchi et al., 2011) with learning-rate decay.
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { chain, chain_flat } from '../combine';
import { scale_by_rss } from '../transform/scale_by_rss';
import { scale_by_schedule } from '../transform/scale_by_schedule';
import { Numeric, ScalarOrSchedule, Schedule } from '../typing';
import { _get_use_chain_flat, checkLr, checkNonNeg, flip_sign_and_add_weight_decay, scale_by_neg_lr, aliasArgs, WithLr } from './utils';

export type AdaGradOpts = { lr_decay?: number; weight_decay?: number; initial_accumulator_value?: number; eps?: number; maximize?: boolean };
export const ADAGRADOPTS_KEYS = ['lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps', 'maximize'];

function adagradLrSchedule(decay_rate: number, transition_begin = 0): Schedule {
  return (count: Numeric): Numeric => {
    if (count instanceof Tensor) return count.sub(transition_begin).mul(decay_rate).add(1).rdiv(1);
    return 1 / (1 + decay_rate * (count - transition_begin));
  };
}

export function adagrad(lr?: ScalarOrSchedule | WithLr<AdaGradOpts>, opts?: AdaGradOpts): GradientTransformation {
  const [rate, o] = aliasArgs('adagrad', lr, opts, 1e-2, ADAGRADOPTS_KEYS);
  const { lr_decay = 0.0, weight_decay = 0.0, initial_accumulator_value = 0.0, eps = 1e-10, maximize = false } = o;
  checkLr(rate);
  checkNonNeg('lr_decay', lr_decay);
  checkNonNeg('weight_decay', weight_decay);
  checkNonNeg('initial_accumulator_value', initial_accumulator_value);
  checkNonNeg('epsilon', eps);
  const flat = _get_use_chain_flat();
  return (flat ? chain_flat : chain)(
    flip_sign_and_add_weight_decay.impl(flat, { weight_decay, maximize }),
    scale_by_rss.impl(flat, { initial_accumulator_value, eps }),
    scale_by_schedule.impl(flat, adagradLrSchedule(lr_decay, 0)),
    scale_by_neg_lr.impl(flat, rate),
  );
}
