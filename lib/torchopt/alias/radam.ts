// radam: rectified Adam (Liu et al., 2019).
import { GradientTransformation } from '../base';
import { chain, chain_flat } from '../combine';
import { scale_by_radam } from '../transform/scale_by_radam';
import { ScalarOrSchedule } from '../typing';
import { _get_use_chain_flat, checkLr, checkNonNeg, flip_sign_and_add_weight_decay, scale_by_neg_lr, aliasArgs, WithLr } from './utils';

export type RAdamOpts = { betas?: [number, number]; eps?: number; weight_decay?: number; moment_requires_grad?: boolean };
export const RADAMOPTS_KEYS = ['betas', 'eps', 'weight_decay', 'moment_requires_grad'];

export function radam(lr?: ScalarOrSchedule | WithLr<RAdamOpts>, opts?: RAdamOpts): GradientTransformation {
  const [rate, o] = aliasArgs('radam', lr, opts, 1e-3, RADAMOPTS_KEYS);
  const { betas = [0.9, 0.999], eps = 1e-6, weight_decay = 0.0, moment_requires_grad = false } = o;
  const [b1, b2] = betas;
  checkLr(rate);
  checkNonNeg('epsilon', eps);
  if (!(0 <= b1 && b1 <= 1)) throw new RangeError(`Invalid beta parameter at index 0: ${b1}`);
  if (!(0 <= b2 && b2 <= 1)) throw new RangeError(`Invalid beta parameter at index 1: ${b2}`);
  checkNonNeg('weight_decay', weight_decay);
  const flat = _get_use_chain_flat();
  return (flat ? chain_flat : chain)(
    flip_sign_and_add_weight_decay.impl(flat, { weight_decay, maximize: false }),
    scale_by_radam.impl(flat, { b1, b2, eps, moment_requires_grad }),
    scale_by_neg_lr.impl(flat, rate),
  );
}
