// adadelta (Zeiler, 2012).
import { GradientTransformation } from '../base';
import { chain, chain_flat } from '../combine';
import { scale_by_adadelta } from '../transform/scale_by_adadelta';
import { ScalarOrSchedule } from '../typing';
import { _get_use_chain_flat, checkLr, checkNonNeg, flip_sign_and_add_weight_decay, scale_by_neg_lr, aliasArgs, WithLr } from './utils';

export type AdaDeltaOpts = { rho?: number; eps?: number; weight_decay?: number; moment_requires_grad?: boolean };
export const ADADELTAOPTS_KEYS = ['rho', 'eps', 'weight_decay', 'moment_requires_grad'];

export function adadelta(lr?: ScalarOrSchedule | WithLr<AdaDeltaOpts>, opts?: AdaDeltaOpts): GradientTransformation {
  const [rate, o] = aliasArgs('adadelta', lr, opts, 1e-3, ADADELTAOPTS_KEYS);
  const { rho = 0.9, eps = 1e-6, weight_decay = 0.0, moment_requires_grad = false } = o;
  checkLr(rate);
  if (!(0 <= rho && rho <= 1)) throw new RangeError(`Invalid rho value: ${rho}`);
  checkNonNeg('epsilon', eps);
  checkNonNeg('weight_decay', weight_decay);
  const flat = _get_use_chain_flat();
  return (flat ? chain_flat : chain)(
    flip_sign_and_add_weight_decay.impl(flat, { weight_decay, maximize: false }),
    scale_by_adadelta.impl(flat, { rho, eps, moment_requires_grad }),
    scale_by_neg_lr.impl(flat, rate),
  );
}
