// Multi-tensor Adam and AdamW: one native call for all parameters of a model.
//
// fused_adam_ / fused_adamw_ update params in place like torch.optim.Adam / AdamW
// (coupled / decoupled weight decay, amsgrad, maximize), plus TorchOpt's eps_root.
// fused_adam / fused_adamw return the step instead (TorchOpt's adam / adamw with
// use_accelerated_op: updates = -lr * u (- lr * wd * p)), to be added to the params.
// Moments are updated in place in both forms. `count` is the step number after the
// increment (from 1): one for all tensors or one per tensor.
import { N } from '../../native';
import { Tensor } from '../../torch/tensor';
import {
  bool, Count, countArg, nonNegative, num, tensorList, unitInterval, UpdatesOptions, updatesArgs, updatesResult,
} from './args';

export interface FusedAdamOptions {
  count: Count | readonly Count[];
  lr?: number;
  b1?: number;
  b2?: number;
  eps?: number;
  eps_root?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  /** amsgrad's running maxima of exp_avg_sqs (required with amsgrad). */
  max_exp_avg_sqs?: readonly Tensor[];
  maximize?: boolean;
}

function run(
  op: string,
  decoupled: boolean,
  params: (unknown | null)[],
  grads: readonly Tensor[],
  exp_avgs: readonly Tensor[],
  exp_avg_sqs: readonly Tensor[],
  out: unknown[],
  opts: FusedAdamOptions,
  apply: boolean,
): unknown[] {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${op}(): options with at least 'count' are required`);
  const amsgrad = bool(op, opts, 'amsgrad', false);
  if (amsgrad && !opts.max_exp_avg_sqs) throw new TypeError(`${op}(): amsgrad needs option 'max_exp_avg_sqs'`);
  return N.fused_adam(
    params,
    tensorList(op, 'grads', grads),
    tensorList(op, 'exp_avgs', exp_avgs),
    tensorList(op, 'exp_avg_sqs', exp_avg_sqs),
    amsgrad ? tensorList(op, 'max_exp_avg_sqs', opts.max_exp_avg_sqs) : [],
    out,
    countArg(op, opts.count),
    num(op, opts, 'lr', 1e-3, nonNegative, 'lr >= 0'),
    num(op, opts, 'b1', 0.9, unitInterval, '0 <= b1 < 1'),
    num(op, opts, 'b2', 0.999, unitInterval, '0 <= b2 < 1'),
    num(op, opts, 'eps', 1e-8, nonNegative, 'eps >= 0'),
    num(op, opts, 'eps_root', 0, nonNegative, 'eps_root >= 0'),
    num(op, opts, 'weight_decay', decoupled ? 1e-2 : 0, nonNegative, 'weight_decay >= 0'),
    decoupled,
    amsgrad,
    bool(op, opts, 'maximize', false),
    apply,
  );
}

/** torch.optim.Adam's step over all tensors: params, exp_avgs, exp_avg_sqs in place. */
export function fused_adam_(
  params: readonly Tensor[],
  grads: readonly Tensor[],
  exp_avgs: readonly Tensor[],
  exp_avg_sqs: readonly Tensor[],
  opts: FusedAdamOptions,
): void {
  run('fused_adam_', false, tensorList('fused_adam_', 'params', params), grads, exp_avgs, exp_avg_sqs, [], opts, true);
}

/** torch.optim.AdamW's step (decoupled weight decay, default 1e-2). */
export function fused_adamw_(
  params: readonly Tensor[],
  grads: readonly Tensor[],
  exp_avgs: readonly Tensor[],
  exp_avg_sqs: readonly Tensor[],
  opts: FusedAdamOptions,
): void {
  run('fused_adamw_', true, tensorList('fused_adamw_', 'params', params), grads, exp_avgs, exp_avg_sqs, [], opts, true);
}

/** TorchOpt's adam updates (`-lr * u`), for all tensors in one call; params untouched. */
export function fused_adam(
  grads: readonly Tensor[],
  exp_avgs: readonly Tensor[],
  exp_avg_sqs: readonly Tensor[],
  opts: FusedAdamOptions & UpdatesOptions,
): Tensor[] {
  const [params, out] = updatesArgs('fused_adam', grads, opts ?? {});
  const r = run('fused_adam', false, params, grads, exp_avgs, exp_avg_sqs, out, opts, false);
  return updatesResult(grads, r as never, opts.inplace);
}

/** TorchOpt's adamw updates (`-lr * (u + wd * p)`); params are needed for the decay. */
export function fused_adamw(
  grads: readonly Tensor[],
  exp_avgs: readonly Tensor[],
  exp_avg_sqs: readonly Tensor[],
  opts: FusedAdamOptions & UpdatesOptions,
): Tensor[] {
  const [params, out] = updatesArgs('fused_adamw', grads, opts ?? {});
  const r = run('fused_adamw', true, params, grads, exp_avgs, exp_avg_sqs, out, opts, false);
  return updatesResult(grads, r as never, opts.inplace);
}
