// Multi-tensor SGD with momentum (torch.optim.SGD semantics): one native call for all
// parameters. A null momentum buffer is created on that step and set to the gradient
// (torch's first-step `buf = g`, no dampening); later steps do
// buf = momentum buf + (1 - dampening) g. Nesterov: d = g + momentum buf.
import { N } from '../../native';
import { Tensor, wrap } from '../../torch/tensor';
import { bool, nonNegative, num, optTensorList, tensorList, UpdatesOptions, updatesArgs, updatesResult } from './args';

export interface FusedSgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weight_decay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

function run(
  op: string,
  params: unknown[],
  grads: readonly Tensor[],
  momentum_buffers: (Tensor | null)[] | null | undefined,
  out: unknown[],
  opts: FusedSgdOptions,
  apply: boolean,
): unknown[] {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${op}(): options with at least 'lr' are required`);
  if (typeof opts.lr !== 'number') throw new TypeError(`${op}(): option 'lr' (a number) is required`);
  const lr = num(op, opts, 'lr', 0, nonNegative, 'lr >= 0');
  const momentum = num(op, opts, 'momentum', 0, nonNegative, 'momentum >= 0');
  const dampening = num(op, opts, 'dampening', 0, () => true, 'a number');
  const nesterov = bool(op, opts, 'nesterov', false);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError(`${op}(): Nesterov momentum requires a momentum and zero dampening`);
  }
  if (momentum !== 0 && !Array.isArray(momentum_buffers)) {
    throw new TypeError(`${op}(): momentum needs 'momentum_buffers' (an array with null for new buffers)`);
  }
  const bufs = momentum !== 0 ? optTensorList(op, 'momentum_buffers', momentum_buffers) : [];
  const [outs, created] = N.fused_sgd(
    params, tensorList(op, 'grads', grads), bufs, out, lr, momentum, dampening,
    num(op, opts, 'weight_decay', 0, nonNegative, 'weight_decay >= 0'), nesterov, bool(op, opts, 'maximize', false), apply,
  );
  // New buffers go into the caller's array (torch's functional SGD fills its list too).
  if (momentum !== 0) {
    for (let i = 0; i < created.length; i++) if (created[i] !== null) momentum_buffers![i] = wrap(created[i]);
  }
  return outs;
}

/** torch.optim.SGD's step over all tensors: params in place. Returns `momentum_buffers`
 * (the same array, its nulls replaced by the new buffers). */
export function fused_sgd_(
  params: readonly Tensor[],
  grads: readonly Tensor[],
  momentum_buffers: (Tensor | null)[] | null,
  opts: FusedSgdOptions,
): (Tensor | null)[] | null {
  run('fused_sgd_', tensorList('fused_sgd_', 'params', params), grads, momentum_buffers, [], opts, true);
  return momentum_buffers;
}

/** The SGD step as updates (`-lr * d`, TorchOpt style); params untouched. */
export function fused_sgd(
  grads: readonly Tensor[],
  momentum_buffers: (Tensor | null)[] | null,
  opts: FusedSgdOptions & UpdatesOptions,
): Tensor[] {
  const [params, out] = updatesArgs('fused_sgd', grads, opts ?? {});
  const r = run('fused_sgd', params, grads, momentum_buffers, out, opts, false);
  return updatesResult(grads, r as never, opts.inplace);
}
