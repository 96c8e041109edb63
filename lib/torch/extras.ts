// Python-like extras that ports use: Tensor.new_* factories, t.real / t.imag, t.type(),
// torch.Size, torch.iinfo / torch.finfo, numeric constants, deterministic-algorithm
// switches and the torch.random namespace.
import { N } from '../native';
import { dtype, float32, int64 } from './dtype';
import { DeviceLike } from './device';
import { Tensor, wrapOrNull } from './tensor';
import { FactoryOpts, TensorData, tensor as makeTensor, empty, full, ones, zeros } from './creation';
import { describe, shapeAndOpts, kw } from './ops/util';
import * as random_ from './random';

type NewOpts = { dtype?: dtype | null; device?: DeviceLike | null; requires_grad?: boolean };
type SizeAndOpts = (number | readonly number[] | NewOpts | undefined)[];

declare module './tensor' {
  interface Tensor {
    /** Python's x.new_zeros(size, dtype=x.dtype, device=x.device). */
    new_zeros(...sizeAndOpts: SizeAndOpts): Tensor;
    new_ones(...sizeAndOpts: SizeAndOpts): Tensor;
    new_empty(...sizeAndOpts: SizeAndOpts): Tensor;
    new_full(size: readonly number[], fill_value: number | boolean, opts?: NewOpts): Tensor;
    /** Python's x.new_tensor(data): a copy of data with x's dtype and device (unless given). */
    new_tensor(data: TensorData, opts?: NewOpts): Tensor;
    /** The tensor itself for real dtypes (complex tensors are not supported). */
    readonly real: Tensor;
    /** Raises for real dtypes, as Python does. */
    readonly imag: Tensor;
    /** Python's t.type(): 'torch.FloatTensor', ...; t.type(dtype) converts. */
    type(): string;
    type(dt: dtype): Tensor;
    /** Whether this tensor is a view of another (Python's t._is_view()). */
    _is_view(): boolean;
    /** The tensor this one is a view of, or null (Python's t._base). */
    readonly _base: Tensor | null;
  }
}

// Python's new_* defaults: self's dtype and device.
function newOpts(self: Tensor, opts: NewOpts | undefined): FactoryOpts {
  return { dtype: opts?.dtype ?? self.dtype, device: opts?.device ?? self.device, requires_grad: opts?.requires_grad ?? false };
}

const T = Tensor.prototype;
T.new_zeros = function (...args) {
  const [s, o] = shapeAndOpts<NewOpts>(args);
  return zeros(s, newOpts(this, o));
};
T.new_ones = function (...args) {
  const [s, o] = shapeAndOpts<NewOpts>(args);
  return ones(s, newOpts(this, o));
};
T.new_empty = function (...args) {
  const [s, o] = shapeAndOpts<NewOpts>(args);
  return empty(s, newOpts(this, o));
};
T.new_full = function (size, fill_value, opts) {
  return full(size, fill_value, newOpts(this, opts));
};
T.new_tensor = function (data, opts) {
  return makeTensor(data, newOpts(this, opts));
};
T._is_view = function () {
  return N.is_view(this._h);
};
Object.defineProperties(T, {
  _base: {
    get(this: Tensor) {
      return wrapOrNull(N.view_base(this._h));
    },
  },
  real: {
    get(this: Tensor) {
      return this;
    },
  },
  imag: {
    get(this: Tensor): never {
      throw new Error('imag is not implemented for tensors with non-complex dtypes.');
    },
  },
});

const LEGACY: Record<string, string> = {
  float32: 'FloatTensor',
  float64: 'DoubleTensor',
  float16: 'HalfTensor',
  bfloat16: 'BFloat16Tensor',
  int64: 'LongTensor',
  int32: 'IntTensor',
  int16: 'ShortTensor',
  int8: 'CharTensor',
  uint8: 'ByteTensor',
  bool: 'BoolTensor',
};
/** @internal Python's Tensor.type() string. */
export function legacyTypeName(t: Tensor): string {
  return `torch.${t.is_cuda ? 'cuda.' : ''}${LEGACY[t.dtype.name] ?? `${t.dtype.name}Tensor`}`;
}
T.type = function (this: Tensor, dt?: dtype) {
  if (dt === undefined) return legacyTypeName(this);
  return this.to(dt);
} as Tensor['type'];

/** Python's torch.typename(obj): 'torch.FloatTensor' for tensors, the type's name otherwise. */
export function typename(x: unknown): string {
  if (x instanceof Tensor) return legacyTypeName(x);
  if (x === null || x === undefined) return 'NoneType';
  switch (typeof x) {
    case 'number':
      return Number.isInteger(x) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'function':
      return (x as { name?: string }).name || 'function';
    default:
      if (Array.isArray(x)) return 'list';
      if (x instanceof Map) return 'dict';
      if (x instanceof Set) return 'set';
      return describe(x);
  }
}

/**
 * Python's torch.Size(sizes): shapes are plain arrays of numbers here, so this returns a
 * copy of `sizes` (or `[]`). `torch.Size()` is the empty shape.
 */
export function Size(sizes: Iterable<number> = []): number[] {
  const out = [...sizes];
  for (const s of out) if (!Number.isInteger(s)) throw new TypeError(`torch.Size() takes an iterable of 'int' (item ${out.indexOf(s)} is '${typename(s)}')`);
  return out;
}
/** The number of elements of a shape (Python's torch.Size.numel()). */
export function size_numel(sizes: readonly number[]): number {
  let n = 1;
  for (const s of sizes) n *= s;
  return n;
}

// --- iinfo / finfo -------------------------------------------------------------------------
export class iinfo {
  readonly bits: number;
  /** int64 bounds are BigInts (exact); other integer dtypes give numbers. */
  readonly max: number | bigint;
  readonly min: number | bigint;
  readonly dtype: string;
  constructor(type: dtype) {
    const table: Record<string, [number, number | bigint, number | bigint]> = {
      uint8: [8, 0, 255],
      int8: [8, -128, 127],
      int16: [16, -32768, 32767],
      int32: [32, -2147483648, 2147483647],
      int64: [64, -(2n ** 63n), 2n ** 63n - 1n],
      bool: [8, 0, 1],
    };
    const e = table[type.name];
    if (e === undefined) throw new TypeError('torch.iinfo() requires an integer input type. Use torch.finfo to handle \'' + type.name + "'");
    [this.bits, this.min, this.max] = e;
    this.dtype = type.name;
    Object.freeze(this);
  }
  toString(): string {
    return `iinfo(min=${this.min}, max=${this.max}, dtype=${this.dtype})`;
  }
}

export class finfo {
  readonly bits: number;
  readonly eps: number;
  readonly max: number;
  readonly min: number;
  readonly tiny: number;
  readonly smallest_normal: number;
  readonly resolution: number;
  readonly dtype: string;
  constructor(type: dtype = float32) {
    const table: Record<string, [number, number, number, number, number]> = {
      float16: [16, 0.0009765625, 65504.0, 6.103515625e-5, 0.001],
      bfloat16: [16, 0.0078125, 3.3895313892515355e38, 1.1754943508222875e-38, 0.01],
      float32: [32, 1.1920928955078125e-7, 3.4028234663852886e38, 1.1754943508222875e-38, 1e-6],
      float64: [64, 2.220446049250313e-16, 1.7976931348623157e308, 2.2250738585072014e-308, 1e-15],
    };
    const e = table[type.name];
    if (e === undefined) throw new TypeError('torch.finfo() requires a floating point input type. Use torch.iinfo to handle \'torch.finfo\'');
    [this.bits, this.eps, this.max, this.tiny, this.resolution] = e;
    this.min = -this.max;
    this.smallest_normal = this.tiny;
    this.dtype = type.name;
    Object.freeze(this);
  }
  toString(): string {
    return `finfo(resolution=${this.resolution}, min=${this.min}, max=${this.max}, eps=${this.eps}, smallest_normal=${this.tiny}, tiny=${this.tiny}, dtype=${this.dtype})`;
  }
}

// --- constants ---------------------------------------------------------------------------
export const nan = NaN;
export const inf = Infinity;
export const pi = Math.PI;
export const e = Math.E;

export function is_complex(t: Tensor): boolean {
  if (!(t instanceof Tensor)) throw new TypeError(`is_complex(): argument 'input' must be Tensor, not ${typename(t)}`);
  return false;
}
export function is_nonzero(t: Tensor): boolean {
  if (t.numel() !== 1) {
    throw new Error(t.numel() === 0 ? 'Boolean value of Tensor with no values is ambiguous' : 'Boolean value of Tensor with more than one value is ambiguous');
  }
  const v = t.item() as number | boolean;
  return v !== 0 && v !== false;
}

// --- determinism ----------------------------------------------------------------------------
export function use_deterministic_algorithms(mode: boolean, opts?: { warn_only?: boolean }): void {
  kw('use_deterministic_algorithms', opts, ['warn_only']);
  N.use_deterministic_algorithms(mode, opts?.warn_only ?? false);
}
export function are_deterministic_algorithms_enabled(): boolean {
  return N.are_deterministic_algorithms_enabled();
}
export function is_deterministic_algorithms_warn_only_enabled(): boolean {
  return N.is_deterministic_algorithms_warn_only_enabled();
}

// --- torch.random -----------------------------------------------------------------------------
/**
 * Python's torch.random.fork_rng as a callback: runs fn and restores the default CPU
 * generator's state afterwards.
 */
export function fork_rng<R>(fn: () => R, opts?: { enabled?: boolean }): R {
  if (opts?.enabled === false) return fn();
  const state = random_.get_rng_state();
  try {
    return fn();
  } finally {
    random_.set_rng_state(state);
  }
}
export const random = {
  manual_seed: random_.manual_seed,
  seed: random_.seed,
  initial_seed: random_.initial_seed,
  get_rng_state: random_.get_rng_state,
  set_rng_state: random_.set_rng_state,
  fork_rng,
};

/** @internal A 0-dim int64 tensor's exact value as a BigInt. */
export function itemBigInt(t: Tensor): bigint {
  const a = t.to(int64).toTypedArray() as BigInt64Array;
  return a[0];
}

/**
 * Python's repr() of a float: '1.0', '0.1', '1e-05', '1.3e-06', '1e+16', 'nan', 'inf'.
 * With `intLike` (default false), integral values print without '.0' (Python ints).
 */
export function pyFloatRepr(x: number, intLike = false): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (intLike && Number.isInteger(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const digits = mant.replace('-', '').replace('.', '');
  const neg = x < 0 ? '-' : '';
  let s: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    s = `${intPart}.${frac === '' ? '0' : frac}`;
  } else s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  return neg + s;
}
