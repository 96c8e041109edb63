// TorchOpt's accelerated Adam op (torchopt.accelerated_op.AdamOp), on the fused native kernels.
//
//   mu' = b1 mu + (1-b1) g,  nu' = b2 nu + (1-b2) g^2,
//   u   = (mu' / (1-b1^t)) / (sqrt(nu' / (1-b2^t) + eps_root) + eps)
//
// inplace=true: one fused pass writes mu', nu', u over mu, nu, updates (no graph), as
// TorchOpt's Optimizer.step does. inplace=false: new tensors, differentiable through a
// native backward node that is exact for every eps and eps_root, and differentiable again
// (csrc/fused/adam_op.cpp documents the formulas). `call_multi` does all the tensors of a
// model in one native call (MetaAdam's path).
import { N } from '../../native';
import { Tensor, wrap } from '../../torch/tensor';
import { bool, Count, countArg, nonNegative, num, optTensorList, tensorList, unitInterval } from './args';

export interface AdamOpOptions {
  b1?: number;
  b2?: number;
  eps?: number;
  eps_root?: number;
  inplace?: boolean;
}

export class AdamOp {
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  readonly eps_root: number;
  readonly inplace: boolean;

  constructor(opts: AdamOpOptions = {}) {
    const op = 'AdamOp';
    this.b1 = num(op, opts, 'b1', 0.9, unitInterval, '0 <= b1 < 1');
    this.b2 = num(op, opts, 'b2', 0.999, unitInterval, '0 <= b2 < 1');
    this.eps = num(op, opts, 'eps', 1e-8, nonNegative, 'eps >= 0');
    this.eps_root = num(op, opts, 'eps_root', 0, nonNegative, 'eps_root >= 0');
    this.inplace = bool(op, opts, 'inplace', true);
  }

  /** One tensor: `[new_mu, new_nu, new_updates]`; `updates` null gives `[mu, nu, null]`.
   * `count` is the step number (from 1): a number or a one-element integer tensor. */
  call(mu: Tensor, nu: Tensor, updates: Tensor | null, count: Count): [Tensor, Tensor, Tensor | null] {
    if (updates === null || updates === undefined) return [mu, nu, null];
    const [m, v, u] = this.call_multi([mu], [nu], [updates], count);
    return [m[0], v[0], u[0]];
  }

  /** All tensors in one native call. `count` is one count or one per tensor; null
   * updates pass through (`[mu, nu, null]` at that index). In place, the returned
   * arrays hold the tensors given. */
  call_multi(
    mus: readonly Tensor[],
    nus: readonly Tensor[],
    updates: readonly (Tensor | null)[],
    count: Count | readonly Count[],
  ): [Tensor[], Tensor[], (Tensor | null)[]] {
    return this._call_multi(mus, nus, updates, count);
  }

  /** @internal call_multi, in place, with the updates then multiplied by `scale` in the
   * same pass (a following scale transform folded in; the same bits as its mul_). */
  _call_multi(
    mus: readonly Tensor[],
    nus: readonly Tensor[],
    updates: readonly (Tensor | null)[],
    count: Count | readonly Count[],
    scale?: number,
  ): [Tensor[], Tensor[], (Tensor | null)[]] {
    const op = 'AdamOp';
    const r: [unknown[], unknown[], unknown[]] = N.adam_op(
      tensorList(op, 'mus', mus),
      tensorList(op, 'nus', nus),
      optTensorList(op, 'updates', updates),
      countArg(op, count),
      this.b1,
      this.b2,
      this.eps,
      this.eps_root,
      this.inplace,
      this.inplace ? scale : undefined,
    );
    if (this.inplace) return [mus.slice(), nus.slice(), updates.map((u) => u ?? null)];
    // A null update computes nothing: the addon gives nulls there, we give the inputs back.
    const passThrough = (i: number) => updates[i] === null || updates[i] === undefined;
    return [
      r[0].map((h, i) => (passThrough(i) ? mus[i] : wrap(h as never))),
      r[1].map((h, i) => (passThrough(i) ? nus[i] : wrap(h as never))),
      r[2].map((h, i) => (passThrough(i) ? null : wrap(h as never))),
    ];
  }
}
