// Argument checks shared by the accelerated ops: tensor lists, step counts, hyper-parameters.
// The addon checks lengths, shapes, dtypes and devices of the lists against each other.
import type { Handle } from '../../native';
import { Tensor, wrap } from '../../torch/tensor';
import { describe } from '../../torch/ops/util';

/** A step count: a number, or a one-element integer tensor (TorchOpt's per-leaf int64 counts). */
export type Count = number | bigint | Tensor;

/** Handles of an array of tensors; a TypeError names the argument and the bad entry. */
export function tensorList(op: string, name: string, xs: unknown): Handle[] {
  if (!Array.isArray(xs)) throw new TypeError(`${op}(): argument '${name}' must be an array of Tensors, got ${describe(xs)}`);
  const out = new Array<Handle>(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const t = xs[i];
    if (!(t instanceof Tensor)) throw new TypeError(`${op}(): ${name}[${i}] must be a Tensor, got ${describe(t)}`);
    out[i] = t._h;
  }
  return out;
}

/** Like tensorList, with null entries allowed (absent gradients, new momentum buffers). */
export function optTensorList(op: string, name: string, xs: unknown): (Handle | null)[] {
  if (!Array.isArray(xs)) throw new TypeError(`${op}(): argument '${name}' must be an array of Tensors or nulls, got ${describe(xs)}`);
  const out = new Array<Handle | null>(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const t = xs[i];
    if (t === null || t === undefined) out[i] = null;
    else if (t instanceof Tensor) out[i] = t._h;
    else throw new TypeError(`${op}(): ${name}[${i}] must be a Tensor or null, got ${describe(t)}`);
  }
  return out;
}

/** The addon value of a count or of one count per tensor. */
export function countArg(op: string, count: unknown): number | bigint | Handle | (number | bigint | Handle)[] {
  const one = (c: unknown, where: string): number | bigint | Handle => {
    if (c instanceof Tensor) return c._h;
    if (typeof c === 'number' || typeof c === 'bigint') return c;
    throw new TypeError(`${op}(): ${where} must be an integer or an integer Tensor, got ${describe(c)}`);
  };
  if (Array.isArray(count)) return count.map((c, i) => one(c, `count[${i}]`));
  if (count === undefined) throw new TypeError(`${op}(): option 'count' (the step number, from 1) is required`);
  return one(count, 'count');
}

/** A numeric option with a default, checked by `ok` (RangeError naming the option). */
export function num(op: string, opts: object, name: string, dflt: number, ok: (v: number) => boolean, rule: string): number {
  const v = (opts as Record<string, unknown>)[name];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number') throw new TypeError(`${op}(): option '${name}' must be a number, got ${describe(v)}`);
  if (!ok(v)) throw new RangeError(`${op}(): invalid ${name} ${v} (expected ${rule})`);
  return v;
}

export function bool(op: string, opts: object, name: string, dflt: boolean): boolean {
  const v = (opts as Record<string, unknown>)[name];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw new TypeError(`${op}(): option '${name}' must be a boolean, got ${describe(v)}`);
  return v;
}

export const nonNegative = (v: number): boolean => v >= 0;
export const unitInterval = (v: number): boolean => v >= 0 && v < 1;

/** Options of the forms that return the step (TorchOpt's updates) instead of applying it. */
export interface UpdatesOptions {
  /** The parameters: needed only for weight decay. */
  params?: readonly Tensor[] | null;
  /** true (TorchOpt's default): the updates overwrite `grads`; false: new tensors. */
  inplace?: boolean;
}

/** The addon's `params` and `out` arguments of the updates forms. */
export function updatesArgs(op: string, grads: readonly Tensor[], opts: UpdatesOptions): [(Handle | null)[], Handle[]] {
  const params = opts.params === undefined || opts.params === null ? [] : optTensorList(op, 'params', opts.params);
  return [params, bool(op, opts, 'inplace', true) ? tensorList(op, 'grads', grads) : []];
}

/** The updates: `grads` themselves when written in place, else the new tensors. */
export function updatesResult(grads: readonly Tensor[], out: Handle[], inplace: boolean | undefined): Tensor[] {
  return inplace === false ? out.map((h) => wrap(h)) : grads.slice();
}
