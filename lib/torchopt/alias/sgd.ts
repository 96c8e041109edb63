// sgd: stochastic gradient descent with momentum, dampening, Nesterov and weight decay.
import { GradientTransformation } from '../base';
import { chain, chain_flat } from '../combine';
import { trace } from '../transform/trace';
import { ScalarOrSchedule } from '../typing';
import { _get_use_chain_flat, checkLr, checkNonNeg, flip_sign_and_add_weight_decay, scale_by_neg_lr } from './utils';

export type SGDOpts = { momentum?: number; dampening?: number; weight_decay?: number; nesterov?: boolean; moment_requires_grad?: boolean; maximize?: boolean };

export function sgd(lr: ScalarOrSchedule, opts: SGDOpts = {}): GradientTransformation {
  const { momentum = 0.0, dampening = 0.0, weight_decay = 0.0, nesterov = false, moment_requires_grad = false, maximize = false } = opts;
  checkLr(lr);
  checkNonNeg('momentum', momentum);
  checkNonNeg('weight_decay', weight_decay);
  if (nesterov && (momentum <= 0.0 || dampening !== 0.0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  const flat = _get_use_chain_flat();
  return (flat ? chain_flat : chain)(
    flip_sign_and_add_weight_decay.impl(flat, { weight_decay, maximize }),
    trace.impl(flat, { momentum, dampening, nesterov, moment_requires_grad }),
    scale_by_neg_lr.impl(flat, lr),
  );
}
