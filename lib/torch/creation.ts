// Tensor factories: torch.tensor, zeros/ones/empty/full (+ _like), arange, linspace, eye.
//
// JS has one number type, so torch.tensor([1, 2]) cannot tell Python's ints from floats:
// numbers give the default float dtype (float32), booleans give bool, BigInts give int64.
// Pass {dtype: torch.int64} (or an Int32Array / BigInt64Array) for integer tensors.
import { N } from '../native';
import { bool, dtype, dtypeFromCode, float64, int64 } from './dtype';
import { DeviceLike, deviceCode } from './device';
import { Tensor, wrap } from './tensor';
import type { TypedArrayOf as Typed } from './data';
import { setArrayIndexer } from './ops/indexing';
import { describe, dtypeCode, FACTORY_KEYS, kw, shapeAndOpts } from './ops/util';

export type FactoryOpts = { dtype?: dtype | null; device?: DeviceLike | null; requires_grad?: boolean };

export type NestedArray<T> = T | readonly NestedArray<T>[];
export type TensorData = NestedArray<number> | NestedArray<boolean> | NestedArray<bigint> | Typed | Tensor | readonly Tensor[];

function isTyped(x: unknown): x is Typed {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** Shape of a nested array, checking that it is rectangular (as Python does). */
function inferShape(data: unknown): number[] {
  const shape: number[] = [];
  let x = data;
  while (Array.isArray(x)) {
    shape.push(x.length);
    if (x.length === 0) break;
    x = x[0];
  }
  return shape;
}

function flattenInto(data: unknown, shape: number[], depth: number, out: unknown[]): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) throw new RangeError(`tensor(): too many dimensions at depth ${depth}`);
    out.push(data);
    return;
  }
  if (!Array.isArray(data)) throw new RangeError(`tensor(): expected a sequence at dim ${depth} (got ${describe(data)})`);
  if (data.length !== shape[depth]) {
    throw new RangeError(`tensor(): expected sequence of length ${shape[depth]} at dim ${depth} (got ${data.length})`);
  }
  for (const e of data) flattenInto(e, shape, depth + 1, out);
}

export function defaultDtype(): dtype {
  return dtypeFromCode(N.get_default_dtype());
}
export function set_default_dtype(d: dtype): void {
  N.set_default_dtype(d.code);
}
export function get_default_dtype(): dtype {
  return defaultDtype();
}

/** torch.tensor(data, {dtype, device, requires_grad}): always copies. */
export function tensor(data: TensorData, opts?: FactoryOpts): Tensor {
  kw('tensor', opts, FACTORY_KEYS);
  const dt = dtypeCode(opts?.dtype);
  const dev = deviceCode(opts?.device);
  const rg = opts?.requires_grad ?? false;
  if (data instanceof Tensor) {
    const t = wrap(N.to(N.detach(data._h), dt, dev, false, true));
    if (rg) t.requires_grad_(true);
    return t;
  }
  if (isTyped(data)) return wrap(N.from_data(data, [data.length], dt, dev, rg));
  const shape = inferShape(data);
  const flat: unknown[] = [];
  flattenInto(data, shape, 0, flat);
  if (flat.length > 0 && flat[0] instanceof Tensor) {
    // A list of (0-dim) tensors, as Python accepts.
    const vals = (flat as Tensor[]).map((t) => t.item() as number);
    return tensor(reshapeFlat(vals, shape), opts);
  }
  let typed: Typed;
  let src: dtype;
  if (flat.length > 0 && typeof flat[0] === 'boolean') {
    typed = Uint8Array.from(flat as boolean[], (b) => (b ? 1 : 0));
    src = bool;
  } else if (flat.length > 0 && typeof flat[0] === 'bigint') {
    typed = BigInt64Array.from(flat as bigint[]);
    src = int64;
  } else {
    typed = new Float64Array(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v === 'number') typed[i] = v;
      else if (typeof v === 'boolean') typed[i] = v ? 1 : 0;
      else if (typeof v === 'bigint') typed[i] = Number(v);
      else throw new TypeError(`tensor(): could not convert an element of type ${describe(v)}`);
    }
    src = float64;
  }
  // Numbers become the default float dtype unless a dtype is given.
  const target = dt ?? (src === float64 ? N.get_default_dtype() : src.code);
  return wrap(N.from_data(typed, shape, target, dev, rg));
}

function reshapeFlat(vals: number[], shape: number[]): NestedArray<number> {
  if (shape.length === 0) return vals[0];
  let k = 0;
  const build = (d: number): NestedArray<number> => {
    if (d === shape.length) return vals[k++];
    const out: NestedArray<number>[] = [];
    for (let i = 0; i < shape[d]; i++) out.push(build(d + 1));
    return out;
  };
  return build(0);
}

/** torch.as_tensor: like tensor() but returns the input when it already matches. */
export function as_tensor(data: TensorData, opts?: { dtype?: dtype; device?: DeviceLike }): Tensor {
  kw('as_tensor', opts, ['dtype', 'device']);
  if (data instanceof Tensor) {
    if ((opts?.dtype === undefined || data.dtype === opts.dtype) && (opts?.device === undefined || data.device.equals(opts.device))) return data;
    return data.to({ dtype: opts?.dtype, device: opts?.device });
  }
  return tensor(data, opts);
}

/** torch.from_numpy analogue: a copy of a TypedArray, with an optional shape. */
export function from_numpy(data: Typed, shape?: readonly number[]): Tensor {
  return wrap(N.from_data(data, shape ?? [data.length], null, null, false));
}

type ShapeAndOpts = (number | readonly number[] | FactoryOpts | undefined)[];

function factory(name: string) {
  const f = N[name];
  return (...args: ShapeAndOpts): Tensor => {
    const [shape, o] = shapeAndOpts<FactoryOpts>(args);
    kw(name, o, FACTORY_KEYS);
    return wrap(f(shape, dtypeCode(o?.dtype), deviceCode(o?.device), o?.requires_grad ?? false));
  };
}

type Factory = {
  (...sizeAndOpts: [...number[], FactoryOpts]): Tensor;
  (...size: number[]): Tensor;
  (size: readonly number[], opts?: FactoryOpts): Tensor;
};

export const zeros: Factory = factory('zeros');
export const ones: Factory = factory('ones');
export const empty: Factory = factory('empty');

export function full(size: readonly number[], fill_value: number | boolean, opts?: FactoryOpts): Tensor {
  kw('full', opts, FACTORY_KEYS);
  // Python infers int64 for an int fill value; JS numbers give the default float dtype.
  const dt = dtypeCode(opts?.dtype) ?? (typeof fill_value === 'boolean' ? bool.code : N.get_default_dtype());
  return wrap(N.full(size, fill_value, dt, deviceCode(opts?.device), opts?.requires_grad ?? false));
}

function likeFactory(name: string) {
  const f = N[name];
  return (input: Tensor, opts?: FactoryOpts): Tensor => {
    kw(name, opts, FACTORY_KEYS);
    return wrap(f(input._h, dtypeCode(opts?.dtype), deviceCode(opts?.device), opts?.requires_grad ?? false));
  };
}
export const zeros_like = likeFactory('zeros_like');
export const ones_like = likeFactory('ones_like');
export const empty_like = likeFactory('empty_like');
export const rand_like = likeFactory('rand_like');
export const randn_like = likeFactory('randn_like');
export function full_like(input: Tensor, fill_value: number | boolean, opts?: FactoryOpts): Tensor {
  kw('full_like', opts, FACTORY_KEYS);
  return wrap(N.full_like(input._h, fill_value, dtypeCode(opts?.dtype), deviceCode(opts?.device), opts?.requires_grad ?? false));
}

/**
 * arange(end), arange(start, end, step?): integral arguments give int64 (as Python's
 * ints do), others the default float dtype.
 */
export function arange(...args: (number | FactoryOpts)[]): Tensor {
  let opts: FactoryOpts | undefined;
  if (args.length > 0 && typeof args[args.length - 1] === 'object') opts = args.pop() as FactoryOpts;
  kw('arange', opts, FACTORY_KEYS);
  const nums = args as number[];
  let [start, end, step] = [0, 0, 1];
  if (nums.length === 1) end = nums[0];
  else if (nums.length === 2) [start, end] = nums;
  else if (nums.length === 3) [start, end, step] = nums;
  else throw new TypeError('arange(): expected (end), (start, end) or (start, end, step)');
  let dt = dtypeCode(opts?.dtype);
  if (dt === null) dt = nums.every(Number.isInteger) ? int64.code : N.get_default_dtype();
  return wrap(N.arange(start, end, step, dt, deviceCode(opts?.device), opts?.requires_grad ?? false));
}

export function linspace(start: number, end: number, steps: number, opts?: FactoryOpts): Tensor {
  kw('linspace', opts, FACTORY_KEYS);
  return wrap(N.linspace(start, end, steps, dtypeCode(opts?.dtype), deviceCode(opts?.device), opts?.requires_grad ?? false));
}
export function logspace(start: number, end: number, steps: number, opts?: FactoryOpts & { base?: number }): Tensor {
  kw('logspace', opts, [...FACTORY_KEYS, 'base']);
  return wrap(
    N.logspace(start, end, steps, opts?.base ?? 10, dtypeCode(opts?.dtype), deviceCode(opts?.device), opts?.requires_grad ?? false),
  );
}
export function eye(n: number, m?: number | FactoryOpts, opts?: FactoryOpts): Tensor {
  if (typeof m === 'object') {
    opts = m;
    m = undefined;
  }
  kw('eye', opts, FACTORY_KEYS);
  return wrap(N.eye(n, m ?? null, dtypeCode(opts?.dtype), deviceCode(opts?.device), opts?.requires_grad ?? false));
}
export function scalar_tensor(value: number | boolean, opts?: FactoryOpts): Tensor {
  kw('scalar_tensor', opts, FACTORY_KEYS);
  return wrap(N.scalar_tensor(value, dtypeCode(opts?.dtype), deviceCode(opts?.device), opts?.requires_grad ?? false));
}

setArrayIndexer((a) => tensor(a, { dtype: int64 }));
