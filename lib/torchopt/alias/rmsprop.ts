// rmsprop (Hinton), centered or not, with momentum.
import { GradientTransformation } from '../base';
import { chain, chain_flat } from '../combine';
import { scale_by_rms } from '../transform/scale_by_rms';
import { scale_by_stddev } from '../transform/scale_by_stddev';
import { trace } from '../transform/trace';
import { ScalarOrSchedule } from '../typing';
import { _get_use_chain_flat, checkLr, checkNonNeg, flip_sign_and_add_weight_decay, scale_by_neg_lr, aliasArgs, WithLr } from './utils';

export type RMSPropOpts = { alpha?: number; eps?: number; weight_decay?: number; momentum?: number; centered?: boolean; initial_scale?: number; nesterov?: boolean; maximize?: boolean };
export const RMSPROPOPTS_KEYS = ['alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'initial_scale', 'nesterov', 'maximize'];

export function rmsprop(lr?: ScalarOrSchedule | WithLr<RMSPropOpts>, opts?: RMSPropOpts): GradientTransformation {
  const [rate, o] = aliasArgs('rmsprop', lr, opts, 1e-2, RMSPROPOPTS_KEYS);
  const { alpha = 0.99, eps = 1e-8, weight_decay = 0.0, momentum = 0.0, centered = false, initial_scale = 0.0, nesterov = false, maximize = false } = o;
  checkLr(rate);
  checkNonNeg('alpha', alpha);
  checkNonNeg('epsilon', eps);
  checkNonNeg('momentum', momentum);
  checkNonNeg('weight_decay', weight_decay);
  const flat = _get_use_chain_flat();
  return (flat ? chain_flat : chain)(
    flip_sign_and_add_weight_decay.impl(flat, { weight_decay, maximize }),
    (centered ? scale_by_stddev : scale_by_rms).impl(flat, { alpha, eps, initial_scale }),
    trace.impl(flat, { momentum, nesterov }),
    scale_by_neg_lr.impl(flat, rate),
  );
}
