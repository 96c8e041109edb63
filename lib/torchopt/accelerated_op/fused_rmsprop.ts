// Multi-tensor RMSprop (torch.optim.RMSprop semantics, centered and momentum included):
// one native call for all parameters.
//   sq = alpha sq + (1-alpha) g^2;  centered: gavg = alpha gavg + (1-alpha) g,
//   avg = sqrt(sq - gavg^2) + eps (else sqrt(sq) + eps);
//   momentum: buf = momentum buf + g / avg, step = -lr buf; else step = -lr g / avg.
import { N } from '../../native';
import { Tensor } from '../../torch/tensor';
import { bool, nonNegative, num, tensorList, UpdatesOptions, updatesArgs, updatesResult } from './args';

export interface FusedRmspropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weight_decay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
  /** Running means of the gradients (required when centered). */
  grad_avgs?: readonly Tensor[];
  /** Momentum buffers, zeros at first (required when momentum > 0). */
  momentum_buffers?: readonly Tensor[];
}

function run(
  op: string,
  params: unknown[],
  grads: readonly Tensor[],
  square_avgs: readonly Tensor[],
  out: unknown[],
  opts: FusedRmspropOptions,
  apply: boolean,
): unknown[] {
  opts = opts ?? {};
  const centered = bool(op, opts, 'centered', false);
  const momentum = num(op, opts, 'momentum', 0, nonNegative, 'momentum >= 0');
  if (centered && !opts.grad_avgs) throw new TypeError(`${op}(): centered needs option 'grad_avgs'`);
  if (momentum > 0 && !opts.momentum_buffers) throw new TypeError(`${op}(): momentum needs option 'momentum_buffers'`);
  return N.fused_rmsprop(
    params,
    tensorList(op, 'grads', grads),
    tensorList(op, 'square_avgs', square_avgs),
    centered ? tensorList(op, 'grad_avgs', opts.grad_avgs) : [],
    momentum > 0 ? tensorList(op, 'momentum_buffers', opts.momentum_buffers) : [],
    out,
    num(op, opts, 'lr', 1e-2, nonNegative, 'lr >= 0'),
    num(op, opts, 'alpha', 0.99, nonNegative, 'alpha >= 0'),
    num(op, opts, 'eps', 1e-8, nonNegative, 'eps >= 0'),
    num(op, opts, 'weight_decay', 0, nonNegative, 'weight_decay >= 0'),
    momentum,
    centered,
    bool(op, opts, 'maximize', false),
    apply,
  );
}

/** torch.optim.RMSprop's step over all tensors: params and state in place. */
export function fused_rmsprop_(
  params: readonly Tensor[],
  grads: readonly Tensor[],
  square_avgs: readonly Tensor[],
  opts: FusedRmspropOptions = {},
): void {
  run('fused_rmsprop_', tensorList('fused_rmsprop_', 'params', params), grads, square_avgs, [], opts, true);
}

/** The RMSprop step as updates (TorchOpt style); params untouched. */
export function fused_rmsprop(
  grads: readonly Tensor[],
  square_avgs: readonly Tensor[],
  opts: FusedRmspropOptions & UpdatesOptions = {},
): Tensor[] {
  const [params, out] = updatesArgs('fused_rmsprop', grads, opts);
  const r = run('fused_rmsprop', params, grads, square_avgs, out, opts, false);
  return updatesResult(grads, r as never, opts.inplace);
}
