// sgd: stochastic gradient descent with momentum, dampening, Nesterov and weight decay.
import { GradientTransformation } from '../base';
import { chain, chain_flat } from '../combine';
import { trace } from '../transform/trace';
import { ScalarOrSchedule } from '../typing';
import { _get_use_chain_flat, checkLr, checkNonNeg, flip_sign_and_add_weight_decay, scale_by_neg_lr, aliasArgs, WithRequiredLr } from './utils';

export type SGDOpts = { momentum?: number; dampening?: number; weight_decay?: number; nesterov?: boolean; moment_requires_grad?: boolean; maximize?: boolean };
export const SGDOPTS_KEYS = ['momentum', 'dampening', 'weight_decay', 'nesterov', 'moment_requires_grad', 'maximize'];

export function sgd(lr: ScalarOrSchedule | WithRequiredLr<SGDOpts>, opts?: SGDOpts): GradientTransformation {
  const [rate, o] = aliasArgs('sgd', lr, opts, undefined, SGDOPTS_KEYS);
  const { momentum = 0.0, dampening = 0.0, weight_decay = 0.0, nesterov = false, moment_requires_grad = false, maximize = false } = o;
  checkLr(rate);
  checkNonNeg('momentum', momentum);
  checkNonNeg('weight_decay', weight_decay);
  if (nesterov && (momentum <= 0.0 || dampening !== 0.0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  const flat = _get_use_chain_flat();
  return (flat ? chain_flat : chain)(
    flip_sign_and_add_weight_decay.impl(flat, { weight_decay, maximize }),
    trace.impl(flat, { momentum, dampening, nesterov, moment_requires_grad }),
    scale_by_neg_lr.impl(flat, rate),
  );
}
