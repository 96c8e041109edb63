// adamw: Adam with decoupled weight decay (Loshchilov & Hutter, 2019).
import { GradientTransformation } from '../base';
import { chain, chain_flat } from '../combine';
import { add_decayed_weights, Mask } from '../transform/add_decayed_weights';
import { scale_by_adam } from '../transform/scale_by_adam';
import { accelerated_adam_scaler } from './accelerated';
import { ScalarOrSchedule } from '../typing';
import { _get_use_chain_flat, checkBetas, checkLr, checkNonNeg, flip_sign_and_add_weight_decay, scale_by_neg_lr, aliasArgs, WithLr } from './utils';

export type AdamWOpts = {
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  eps_root?: number;
  mask?: Mask | null;
  moment_requires_grad?: boolean;
  maximize?: boolean;
  use_accelerated_op?: boolean;
};
export const ADAMWOPTS_KEYS = ['betas', 'eps', 'weight_decay', 'eps_root', 'mask', 'moment_requires_grad', 'maximize', 'use_accelerated_op'];

export function adamw(lr?: ScalarOrSchedule | WithLr<AdamWOpts>, opts?: AdamWOpts): GradientTransformation {
  const [rate, o] = aliasArgs('adamw', lr, opts, 1e-3, ADAMWOPTS_KEYS);
  const { betas = [0.9, 0.999], eps = 1e-8, weight_decay = 1e-2, eps_root = 0.0, mask = null, moment_requires_grad = false, maximize = false, use_accelerated_op = false } = o;
  const [b1, b2] = betas;
  checkLr(rate);
  checkNonNeg('epsilon', eps);
  checkBetas(b1, b2);
  checkNonNeg('weight_decay', weight_decay);
  const flat = _get_use_chain_flat();
  const scaler = use_accelerated_op ? accelerated_adam_scaler() : scale_by_adam;
  return (flat ? chain_flat : chain)(
    flip_sign_and_add_weight_decay.impl(flat, { weight_decay: 0.0, maximize }),
    scaler.impl(flat, { b1, b2, eps, eps_root, moment_requires_grad }),
    add_decayed_weights.impl(flat, { weight_decay, mask }),
    scale_by_neg_lr.impl(flat, rate),
  );
}
