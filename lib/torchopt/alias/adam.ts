// adam (Kingma & Ba, 2014), with use_accelerated_op for the fused kernel.
import { GradientTransformation } from '../base';
import { chain, chain_flat } from '../combine';
import { scale_by_adam } from '../transform/scale_by_adam';
import { accelerated_adam_scaler } from './accelerated';
import { ScalarOrSchedule } from '../typing';
import { _get_use_chain_flat, checkBetas, checkLr, checkNonNeg, flip_sign_and_add_weight_decay, scale_by_neg_lr, aliasArgs, WithLr } from './utils';

export type AdamOpts = {
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  eps_root?: number;
  moment_requires_grad?: boolean;
  maximize?: boolean;
  use_accelerated_op?: boolean;
};
export const ADAMOPTS_KEYS = ['betas', 'eps', 'weight_decay', 'eps_root', 'moment_requires_grad', 'maximize', 'use_accelerated_op'];

export function adam(lr?: ScalarOrSchedule | WithLr<AdamOpts>, opts?: AdamOpts): GradientTransformation {
  const [rate, o] = aliasArgs('adam', lr, opts, 1e-3, ADAMOPTS_KEYS);
  const { betas = [0.9, 0.999], eps = 1e-8, weight_decay = 0.0, eps_root = 0.0, moment_requires_grad = false, maximize = false, use_accelerated_op = false } = o;
  const [b1, b2] = betas;
  checkLr(rate);
  checkNonNeg('epsilon', eps);
  checkBetas(b1, b2);
  checkNonNeg('weight_decay', weight_decay);
  const flat = _get_use_chain_flat();
  const scaler = use_accelerated_op ? accelerated_adam_scaler() : scale_by_adam;
  return (flat ? chain_flat : chain)(
    flip_sign_and_add_weight_decay.impl(flat, { weight_decay, maximize }),
    scaler.impl(flat, { b1, b2, eps, eps_root, moment_requires_grad }),
    scale_by_neg_lr.impl(flat, rate),
  );
}
