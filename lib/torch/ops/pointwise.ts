// Elementwise ops as Tensor methods and torch.* functions.
import { N } from '../../native';
import { Tensor, wrap } from '../tensor';
import { fn, h, TensorLike, kw, flag } from './util';

// Unary ops with an in-place twin (the addon defines both from one list).
const UNARY = [
  'neg', 'abs', 'sqrt', 'rsqrt', 'square', 'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'sigmoid', 'relu', 'sign', 'sgn', 'reciprocal', 'floor', 'ceil', 'round', 'trunc', 'frac', 'erf',
  'erfc', 'erfinv', 'logical_not', 'bitwise_not', 'lgamma', 'digamma', 'i0', 'deg2rad', 'rad2deg',
] as const;
type UnaryName = (typeof UNARY)[number];

// Binary ops whose operand may be a Tensor or a scalar, with an in-place twin.
const BINARY = [
  'mul', 'remainder', 'fmod', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'bitwise_and', 'bitwise_or',
  'bitwise_xor', 'floor_divide', 'xlogy',
] as const;
type BinaryName = (typeof BINARY)[number];

// Binary ops on two tensors.
const BINARY_T = [
  'atan2', 'maximum', 'minimum', 'fmax', 'fmin', 'logical_and', 'logical_or', 'logical_xor', 'hypot', 'copysign',
] as const;
type BinaryTName = (typeof BINARY_T)[number];

type UnaryMethods = { [K in UnaryName]: () => Tensor } & { [K in UnaryName as `${K}_`]: () => Tensor };
type BinaryMethods = { [K in BinaryName]: (other: TensorLike) => Tensor } & {
  [K in BinaryName as `${K}_`]: (other: TensorLike) => Tensor;
};
type BinaryTMethods = { [K in BinaryTName]: (other: Tensor) => Tensor };

declare module '../tensor' {
  interface Tensor extends UnaryMethods, BinaryMethods, BinaryTMethods {
    add(other: TensorLike, opts?: { alpha?: number }): Tensor;
    add_(other: TensorLike, opts?: { alpha?: number }): this;
    sub(other: TensorLike, opts?: { alpha?: number }): Tensor;
    sub_(other: TensorLike, opts?: { alpha?: number }): this;
    /** Python's `scalar - t`. */
    rsub(other: number): Tensor;
    div(other: TensorLike, opts?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor;
    div_(other: TensorLike): this;
    /** Python's `scalar / t`. */
    rdiv(other: number): Tensor;
    pow(exponent: TensorLike): Tensor;
    pow_(exponent: TensorLike): this;
    float_power(exponent: TensorLike): Tensor;
    addcmul(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number }): Tensor;
    addcmul_(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number }): this;
    addcdiv(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number }): Tensor;
    addcdiv_(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number }): this;
    lerp(end: Tensor, weight: TensorLike): Tensor;
    lerp_(end: Tensor, weight: TensorLike): this;
    clamp(min?: TensorLike | null | ClampOpts, max?: TensorLike | null): Tensor;
    clamp_(min?: TensorLike | null | ClampOpts, max?: TensorLike | null): this;
    clip(min?: TensorLike | null | ClampOpts, max?: TensorLike | null): Tensor;
    clip_(min?: TensorLike | null | ClampOpts, max?: TensorLike | null): this;
    clamp_min(min: TensorLike): Tensor;
    clamp_max(max: TensorLike): Tensor;
    nan_to_num(nan?: number | NanToNumOpts | null, posinf?: number | null, neginf?: number | null): Tensor;
    nan_to_num_(nan?: number | NanToNumOpts | null, posinf?: number | null, neginf?: number | null): this;
    isnan(): Tensor;
    isinf(): Tensor;
    isfinite(): Tensor;
    isposinf(): Tensor;
    isneginf(): Tensor;
    signbit(): Tensor;
    logit(eps?: number | null): Tensor;
    /** Python's `x.where(condition, y)`: x where condition, else y. */
    where(condition: Tensor, other: TensorLike): Tensor;
    isclose(other: Tensor, opts?: CloseOpts): Tensor;
    allclose(other: Tensor, opts?: CloseOpts): boolean;
    equal(other: Tensor): boolean;
    fill_(value: TensorLike): this;
    zero_(): this;
    copy_(src: Tensor, non_blocking?: boolean | { non_blocking?: boolean }): this;
    masked_fill(mask: Tensor, value: TensorLike): Tensor;
    masked_fill_(mask: Tensor, value: TensorLike): this;
    // Python aliases
    absolute(): Tensor;
    negative(): Tensor;
    multiply(other: TensorLike): Tensor;
    divide(other: TensorLike, opts?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor;
    true_divide(other: TensorLike): Tensor;
    subtract(other: TensorLike, opts?: { alpha?: number }): Tensor;
    greater(other: TensorLike): Tensor;
    greater_equal(other: TensorLike): Tensor;
    less(other: TensorLike): Tensor;
    less_equal(other: TensorLike): Tensor;
    not_equal(other: TensorLike): Tensor;
    arccos(): Tensor;
    arcsin(): Tensor;
    arctan(): Tensor;
    arctan2(other: Tensor): Tensor;
    fix(): Tensor;
  }
}

export type ClampOpts = { min?: TensorLike | null; max?: TensorLike | null };
export type NanToNumOpts = { nan?: number | null; posinf?: number | null; neginf?: number | null };
export type CloseOpts = { rtol?: number; atol?: number; equal_nan?: boolean };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const P = Tensor.prototype as any;

for (const name of UNARY) {
  const f = N[name];
  const f_ = N[`${name}_`];
  P[name] = function (this: Tensor) {
    return wrap(f(this._h));
  };
  P[`${name}_`] = function (this: Tensor) {
    f_(this._h);
    return this;
  };
}
for (const name of BINARY) {
  const f = N[name];
  const f_ = N[`${name}_`];
  P[name] = function (this: Tensor, other: TensorLike) {
    return wrap(f(this._h, h(other)));
  };
  P[`${name}_`] = function (this: Tensor, other: TensorLike) {
    f_(this._h, h(other));
    return this;
  };
}
for (const name of BINARY_T) {
  const f = N[name];
  P[name] = function (this: Tensor, other: Tensor) {
    return wrap(f(this._h, h(other)));
  };
}

const T = Tensor.prototype;

// The hottest methods are written out so V8 sees one monomorphic call each; their option
// keys are constants so that the per-op path allocates nothing for them.
const ALPHA = ['alpha'];
const VALUE = ['value'];
const CLOSE = ['atol', 'equal_nan', 'rtol'];
const ROUNDING = ['rounding_mode'];
T.add = function (other, opts) {
  kw('add', opts, ALPHA);
  const o = other instanceof Tensor ? other._h : other;
  return wrap(opts?.alpha === undefined ? N.add(this._h, o) : N.add_alpha(this._h, o, opts.alpha));
};
T.add_ = function (other, opts) {
  kw('add_', opts, ALPHA);
  const o = other instanceof Tensor ? other._h : other;
  if (opts?.alpha === undefined) N.add_(this._h, o);
  else N.add_alpha_(this._h, o, opts.alpha);
  return this;
};
T.sub = function (other, opts) {
  kw('sub', opts, ALPHA);
  return wrap(opts?.alpha === undefined ? N.sub(this._h, h(other)) : N.sub_alpha(this._h, h(other), opts.alpha));
};
T.sub_ = function (other, opts) {
  kw('sub_', opts, ALPHA);
  if (opts?.alpha === undefined) N.sub_(this._h, h(other));
  else N.sub_alpha_(this._h, h(other), opts.alpha);
  return this;
};
T.mul = function (other) {
  return wrap(N.mul(this._h, other instanceof Tensor ? other._h : other));
};
T.mul_ = function (other) {
  N.mul_(this._h, other instanceof Tensor ? other._h : other);
  return this;
};
T.rsub = function (other) {
  return wrap(N.rsub(this._h, other));
};
T.div = function (other, opts) {
  kw('div', opts, ROUNDING);
  const mode = opts?.rounding_mode;
  if (mode === undefined || mode === null) return wrap(N.div(this._h, h(other)));
  return wrap(N.div_mode(this._h, h(other), mode));
};
T.div_ = function (other) {
  N.div_(this._h, h(other));
  return this;
};
T.rdiv = function (other) {
  return wrap(N.rdiv(this._h, other));
};
T.pow = function (e) {
  return wrap(N.pow(this._h, h(e)));
};
T.pow_ = function (e) {
  N.pow_(this._h, h(e));
  return this;
};
T.float_power = function (e) {
  return wrap(N.float_power(this._h, h(e)));
};
T.addcmul = function (t1, t2, opts) {
  kw('addcmul', opts, VALUE);
  return wrap(N.addcmul(this._h, t1._h, t2._h, opts?.value ?? 1));
};
T.addcmul_ = function (t1, t2, opts) {
  kw('addcmul_', opts, VALUE);
  N.addcmul_(this._h, t1._h, t2._h, opts?.value ?? 1);
  return this;
};
T.addcdiv = function (t1, t2, opts) {
  kw('addcdiv', opts, VALUE);
  return wrap(N.addcdiv(this._h, t1._h, t2._h, opts?.value ?? 1));
};
T.addcdiv_ = function (t1, t2, opts) {
  kw('addcdiv_', opts, VALUE);
  N.addcdiv_(this._h, t1._h, t2._h, opts?.value ?? 1);
  return this;
};
T.lerp = function (end, w) {
  return wrap(N.lerp(this._h, end._h, h(w)));
};
T.lerp_ = function (end, w) {
  N.lerp_(this._h, end._h, h(w));
  return this;
};

function clampArgs(min: unknown, max: unknown): [unknown, unknown] {
  if (min !== null && typeof min === 'object' && !(min instanceof Tensor)) {
    const o = min as ClampOpts;
    return [o.min, o.max];
  }
  return [min, max];
}
T.clamp = function (min, max) {
  const [lo, hi] = clampArgs(min, max);
  const hasLo = lo !== undefined && lo !== null;
  const hasHi = hi !== undefined && hi !== null;
  if (!hasLo && !hasHi) throw new TypeError("clamp(): at least one of 'min' or 'max' must not be None");
  return wrap(N.clamp(this._h, hasLo ? h(lo as TensorLike) : 0, hasHi ? h(hi as TensorLike) : 0, hasLo, hasHi));
};
T.clamp_ = function (min, max) {
  const [lo, hi] = clampArgs(min, max);
  const hasLo = lo !== undefined && lo !== null;
  const hasHi = hi !== undefined && hi !== null;
  if (!hasLo && !hasHi) throw new TypeError("clamp_(): at least one of 'min' or 'max' must not be None");
  N.clamp_(this._h, hasLo ? h(lo as TensorLike) : 0, hasHi ? h(hi as TensorLike) : 0, hasLo, hasHi);
  return this;
};
T.clip = T.clamp;
T.clip_ = T.clamp_;
T.clamp_min = function (min) {
  return this.clamp(min, null);
};
T.clamp_max = function (max) {
  return this.clamp(null, max);
};

function nanArgs(nan: unknown, posinf: unknown, neginf: unknown): [unknown, unknown, unknown] {
  if (nan !== null && typeof nan === 'object') {
    const o = nan as NanToNumOpts;
    return [o.nan ?? 0, o.posinf ?? null, o.neginf ?? null];
  }
  return [nan ?? 0, posinf ?? null, neginf ?? null];
}
T.nan_to_num = function (nan, posinf, neginf) {
  return wrap(N.nan_to_num(this._h, ...nanArgs(nan, posinf, neginf)));
};
T.nan_to_num_ = function (nan, posinf, neginf) {
  N.nan_to_num_(this._h, ...nanArgs(nan, posinf, neginf));
  return this;
};
T.isnan = function () {
  return wrap(N.isnan(this._h));
};
T.isinf = function () {
  return wrap(N.isinf(this._h));
};
T.isfinite = function () {
  return wrap(N.isfinite(this._h));
};
T.isposinf = function () {
  return wrap(N.isposinf(this._h));
};
T.isneginf = function () {
  return wrap(N.isneginf(this._h));
};
T.signbit = function () {
  return wrap(N.signbit(this._h));
};
T.logit = function (eps) {
  return wrap(N.logit(this._h, eps ?? null));
};
T.where = function (condition, other) {
  return wrap(N.where(condition._h, this._h, h(other)));
};
T.isclose = function (other, opts) {
  kw('isclose', opts, CLOSE);
  return wrap(N.isclose(this._h, other._h, opts?.rtol ?? 1e-5, opts?.atol ?? 1e-8, opts?.equal_nan ?? false));
};
T.allclose = function (other, opts) {
  kw('allclose', opts, CLOSE);
  return N.allclose(this._h, other._h, opts?.rtol ?? 1e-5, opts?.atol ?? 1e-8, opts?.equal_nan ?? false);
};
T.equal = function (other) {
  return N.equal(this._h, other._h);
};
T.fill_ = function (v) {
  N.fill_(this._h, h(v));
  return this;
};
T.zero_ = function () {
  N.zero_(this._h);
  return this;
};
T.copy_ = function (src, non_blocking) {
  N.copy_(this._h, src._h, flag('copy_', non_blocking, 'non_blocking'));
  return this;
};
T.masked_fill = function (mask, v) {
  return wrap(N.masked_fill(this._h, mask._h, h(v)));
};
T.masked_fill_ = function (mask, v) {
  N.masked_fill_(this._h, mask._h, h(v));
  return this;
};

// Python aliases.
P.absolute = P.abs;
P.negative = P.neg;
T.multiply = T.mul;
T.divide = T.div;
T.true_divide = T.div;
T.subtract = T.sub;
T.greater = P.gt;
T.greater_equal = P.ge;
T.less = P.lt;
T.less_equal = P.le;
T.not_equal = P.ne;
T.arccos = P.acos;
T.arcsin = P.asin;
T.arctan = P.atan;
T.arctan2 = P.atan2;
T.fix = P.trunc;

// ---------------------------------------------------------------------------
// torch.* functions
// ---------------------------------------------------------------------------
export const add = fn('add');
export const sub = fn('sub');
export const subtract = fn('sub');
export const mul = fn('mul');
export const multiply = fn('mul');
export const div = fn('div');
export const divide = fn('div');
export const true_divide = fn('div');
export const remainder = fn('remainder');
export const fmod = fn('fmod');
export const floor_divide = fn('floor_divide');
export const float_power = fn('float_power');
export const addcmul = fn('addcmul');
export const addcdiv = fn('addcdiv');
export const lerp = fn('lerp');
export const clamp = fn('clamp');
export const clip = fn('clamp');
export const clamp_min = fn('clamp_min');
export const clamp_max = fn('clamp_max');
export const nan_to_num = fn('nan_to_num');
export const nan_to_num_ = fn('nan_to_num_');
export const isnan = fn('isnan');
export const isinf = fn('isinf');
export const isfinite = fn('isfinite');
export const isposinf = fn('isposinf');
export const isneginf = fn('isneginf');
export const signbit = fn('signbit');
export const logit = fn('logit');
export const isclose = fn('isclose');
export const allclose = fn('allclose');
export const equal = fn('equal');
export const masked_fill = fn('masked_fill');
export const xlogy = fn('xlogy');
export const eq = fn('eq');
export const ne = fn('ne');
export const lt = fn('lt');
export const le = fn('le');
export const gt = fn('gt');
export const ge = fn('ge');
export const greater = fn('gt');
export const greater_equal = fn('ge');
export const less = fn('lt');
export const less_equal = fn('le');
export const not_equal = fn('ne');
export const bitwise_and = fn('bitwise_and');
export const bitwise_or = fn('bitwise_or');
export const bitwise_xor = fn('bitwise_xor');
export const atan2 = fn('atan2');
export const arctan2 = fn('atan2');
export const maximum = fn('maximum');
export const minimum = fn('minimum');
export const fmax = fn('fmax');
export const fmin = fn('fmin');
export const logical_and = fn('logical_and');
export const logical_or = fn('logical_or');
export const logical_xor = fn('logical_xor');
export const hypot = fn('hypot');
export const copysign = fn('copysign');

export const neg = fn('neg');
export const negative = fn('neg');
export const abs = fn('abs');
export const absolute = fn('abs');
export const sqrt = fn('sqrt');
export const rsqrt = fn('rsqrt');
export const square = fn('square');
export const exp = fn('exp');
export const exp2 = fn('exp2');
export const expm1 = fn('expm1');
export const log = fn('log');
export const log2 = fn('log2');
export const log10 = fn('log10');
export const log1p = fn('log1p');
export const sin = fn('sin');
export const cos = fn('cos');
export const tan = fn('tan');
export const asin = fn('asin');
export const acos = fn('acos');
export const atan = fn('atan');
export const arcsin = fn('asin');
export const arccos = fn('acos');
export const arctan = fn('atan');
export const sinh = fn('sinh');
export const cosh = fn('cosh');
export const tanh = fn('tanh');
export const asinh = fn('asinh');
export const acosh = fn('acosh');
export const atanh = fn('atanh');
export const sigmoid = fn('sigmoid');
export const relu = fn('relu');
export const sign = fn('sign');
export const sgn = fn('sgn');
export const reciprocal = fn('reciprocal');
export const floor = fn('floor');
export const ceil = fn('ceil');
export const round = fn('round');
export const trunc = fn('trunc');
export const fix = fn('trunc');
export const frac = fn('frac');
export const erf = fn('erf');
export const erfc = fn('erfc');
export const erfinv = fn('erfinv');
export const logical_not = fn('logical_not');
export const bitwise_not = fn('bitwise_not');
export const lgamma = fn('lgamma');
export const digamma = fn('digamma');
export const i0 = fn('i0');
export const deg2rad = fn('deg2rad');
export const rad2deg = fn('rad2deg');
export const exp_ = fn('exp_');
export const sigmoid_ = fn('sigmoid_');
export const relu_ = fn('relu_');
export const neg_ = fn('neg_');
export const sqrt_ = fn('sqrt_');

/** torch.pow(input, exponent), where either may be a scalar. */
export function pow(input: TensorLike, exponent: TensorLike): Tensor {
  if (input instanceof Tensor) return input.pow(exponent);
  if (exponent instanceof Tensor) return wrap(N.rpow(input, exponent._h));
  throw new TypeError('pow(): at least one of input and exponent must be a Tensor');
}

/**
 * torch.where(condition, input, other), or torch.where(condition) (= nonzero as a
 * list of index tensors).
 */
export function where(condition: Tensor): Tensor[];
export function where(condition: Tensor, input: TensorLike, other: TensorLike): Tensor;
export function where(condition: Tensor, input?: TensorLike, other?: TensorLike): Tensor | Tensor[] {
  if (input === undefined) return condition.nonzero({ as_tuple: true });
  if (other === undefined) throw new TypeError("where(): missing argument 'other'");
  return wrap(N.where(condition._h, h(input), h(other)));
}
