// Reductions, scans, products and sorting.
import { N } from '../../native';
import { dtype } from '../dtype';
import { Tensor, wrap, wrapList } from '../tensor';
import { describe, Dims, dimList, dtypeCode, fn, handles, kw, OutOpt, valuesIndices, ValuesIndices, flag } from './util';

export type ReduceOpts = { dim?: Dims | null; keepdim?: boolean; dtype?: dtype | null };
export type DimOpts = { dim?: number; keepdim?: boolean };
export type VarOpts = { dim?: Dims | null; unbiased?: boolean; correction?: number; keepdim?: boolean };
export type NormP = number | 'fro' | 'nuc' | null;

function isOpts(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Tensor);
}

/** Python's `(dim=None, keepdim=False, dtype=None)` from positional or option forms. */
function reduceArgs(name: string, a: unknown, b: unknown): [number[] | null, boolean, number | null] {
  if (isOpts(a)) {
    kw(name, a, ['dim', 'keepdim', 'dtype']);
    const o = a as ReduceOpts;
    return [dimList(o.dim), o.keepdim ?? false, dtypeCode(o.dtype)];
  }
  const dims = dimList(a as Dims | null | undefined);
  if (isOpts(b)) {
    kw(name, b, ['keepdim', 'dtype']);
    const o = b as ReduceOpts;
    return [dims, o.keepdim ?? false, dtypeCode(o.dtype)];
  }
  return [dims, (b as boolean | undefined) ?? false, null];
}

const VAR_KEYS = ['dim', 'unbiased', 'correction', 'keepdim'];

function varArgs(name: string, a: unknown, b: unknown): [number[] | null, number, boolean] {
  if (isOpts(a)) kw(name, a, VAR_KEYS);
  if (isOpts(b)) kw(name, b, VAR_KEYS);
  let o: VarOpts = {};
  let dims: number[] | null = null;
  if (typeof a === 'boolean') o = { unbiased: a, ...(isOpts(b) ? (b as VarOpts) : { keepdim: b as boolean | undefined }) };
  else if (isOpts(a)) {
    o = a as VarOpts;
    dims = dimList(o.dim);
  } else {
    dims = dimList(a as Dims | null | undefined);
    if (isOpts(b)) o = b as VarOpts;
    else if (typeof b === 'boolean') o = { unbiased: b };
  }
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  return [dims, correction, o.keepdim ?? false];
}

function dimKeep(name: string, a: unknown, b: unknown): [number | null, boolean] {
  if (isOpts(a)) {
    kw(name, a, ['dim', 'keepdim']);
    const o = a as DimOpts;
    return [o.dim ?? null, o.keepdim ?? false];
  }
  return [(a as number | undefined | null) ?? null, (b as boolean | undefined) ?? false];
}

/** amax/amin's `(dim=(), keepdim=False)`: no dim means all dims. */
function dimsKeep(name: string, a: unknown, b: unknown): [number[], boolean] {
  if (isOpts(a)) {
    kw(name, a, ['dim', 'keepdim']);
    const o = a as { dim?: Dims | null; keepdim?: boolean };
    return [dimList(o.dim) ?? [], o.keepdim ?? false];
  }
  return [dimList(a as Dims | null | undefined) ?? [], (b as boolean | undefined) ?? false];
}

declare module '../tensor' {
  interface Tensor {
    sum(dim?: Dims | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor;
    nansum(dim?: Dims | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor;
    mean(dim?: Dims | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor;
    nanmean(dim?: Dims | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor;
    prod(dim?: number | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor;
    /** max() over all elements; max(dim) gives (values, indices); max(other) is maximum. */
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(dim: number | DimOpts, keepdim?: boolean): ValuesIndices;
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(dim: number | DimOpts, keepdim?: boolean): ValuesIndices;
    amax(dim?: Dims | DimOpts | null, keepdim?: boolean): Tensor;
    amin(dim?: Dims | DimOpts | null, keepdim?: boolean): Tensor;
    argmax(dim?: number | DimOpts | null, keepdim?: boolean): Tensor;
    argmin(dim?: number | DimOpts | null, keepdim?: boolean): Tensor;
    norm(p?: NormP | { p?: NormP; dim?: Dims | null; keepdim?: boolean; dtype?: dtype }, dim?: Dims | null, keepdim?: boolean): Tensor;
    std(dim?: Dims | boolean | VarOpts | null, opts?: VarOpts | boolean): Tensor;
    var(dim?: Dims | boolean | VarOpts | null, opts?: VarOpts | boolean): Tensor;
    logsumexp(dim: Dims, keepdim?: boolean | { keepdim?: boolean }): Tensor;
    all(dim?: number | DimOpts | null, keepdim?: boolean): Tensor;
    any(dim?: number | DimOpts | null, keepdim?: boolean): Tensor;
    count_nonzero(dim?: Dims | null): Tensor;
    median(): Tensor;
    median(dim: number, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
    cumsum(dim: number | { dim: number; dtype?: dtype }, opts?: { dtype?: dtype }): Tensor;
    cumprod(dim: number | { dim: number; dtype?: dtype }, opts?: { dtype?: dtype }): Tensor;
    cummax(dim: number): ValuesIndices;
    cummin(dim: number): ValuesIndices;
    logcumsumexp(dim: number): Tensor;
    sort(dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, descending?: boolean): ValuesIndices;
    argsort(dim?: number | { dim?: number; descending?: boolean }, descending?: boolean): Tensor;
    topk(k: number, dim?: number | { dim?: number; largest?: boolean; sorted?: boolean }, largest?: boolean, sorted?: boolean): ValuesIndices;
    kthvalue(k: number, dim?: number, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
    nonzero(): Tensor;
    nonzero(opts: { as_tuple: true }): Tensor[];
    unique(opts?: { sorted?: boolean; return_inverse?: boolean; return_counts?: boolean }): Tensor | Tensor[];
    bincount(opts?: { weights?: Tensor | null; minlength?: number }): Tensor;
    histc(bins?: number, min?: number, max?: number): Tensor;
    dot(other: Tensor): Tensor;
    vdot(other: Tensor): Tensor;
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    mv(vec: Tensor): Tensor;
    outer(other: Tensor): Tensor;
    ger(other: Tensor): Tensor;
    addmm(mat1: Tensor, mat2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    kron(other: Tensor): Tensor;
    cross(other: Tensor, dim?: number): Tensor;
    trace(): Tensor;
  }
}

const T = Tensor.prototype;

T.sum = function (a, b) {
  const [d, k, dt] = reduceArgs('sum', a, b);
  return wrap(N.sum(this._h, d, k, dt));
};
T.nansum = function (a, b) {
  const [d, k, dt] = reduceArgs('nansum', a, b);
  return wrap(N.nansum(this._h, d, k, dt));
};
T.mean = function (a, b) {
  const [d, k, dt] = reduceArgs('mean', a, b);
  return wrap(N.mean(this._h, d, k, dt));
};
T.nanmean = function (a, b) {
  const [d, k, dt] = reduceArgs('nanmean', a, b);
  return wrap(N.nanmean(this._h, d, k, dt));
};
T.prod = function (a, b) {
  const [d, k, dt] = reduceArgs('prod', a, b);
  if (d !== null && d.length !== 1) throw new TypeError('prod(): dim must be a single integer');
  return wrap(N.prod(this._h, d === null ? null : d[0], k, dt));
};
T.max = function (this: Tensor, a?: unknown, b?: boolean) {
  if (a === undefined) return wrap(N.max_all(this._h));
  if (a instanceof Tensor) return wrap(N.maximum(this._h, a._h));
  const [d, k] = dimKeep('max', a, b);
  return valuesIndices(N.max_dim(this._h, d, k));
} as Tensor['max'];
T.min = function (this: Tensor, a?: unknown, b?: boolean) {
  if (a === undefined) return wrap(N.min_all(this._h));
  if (a instanceof Tensor) return wrap(N.minimum(this._h, a._h));
  const [d, k] = dimKeep('min', a, b);
  return valuesIndices(N.min_dim(this._h, d, k));
} as Tensor['min'];
T.amax = function (a, b) {
  const [d, k] = dimsKeep('amax', a, b);
  return wrap(N.amax(this._h, d, k));
};
T.amin = function (a, b) {
  const [d, k] = dimsKeep('amin', a, b);
  return wrap(N.amin(this._h, d, k));
};
T.argmax = function (a, b) {
  const [d, k] = dimKeep('argmax', a, b);
  return wrap(N.argmax(this._h, d, k));
};
T.argmin = function (a, b) {
  const [d, k] = dimKeep('argmin', a, b);
  return wrap(N.argmin(this._h, d, k));
};
T.norm = function (p, dim, keepdim) {
  let ord: NormP | undefined = p as NormP;
  let d = dim;
  let k = keepdim ?? false;
  let dt: number | null = null;
  if (isOpts(p)) {
    kw('norm', p, ['p', 'dim', 'keepdim', 'dtype']);
    const o = p as { p?: NormP; dim?: Dims | null; keepdim?: boolean; dtype?: dtype };
    ord = o.p;
    d = o.dim;
    k = o.keepdim ?? false;
    dt = dtypeCode(o.dtype);
  }
  if (ord === undefined || ord === null || ord === 'fro') {
    if (ord === 'fro' && d !== undefined && d !== null && dimList(d)!.length === 2) {
      return wrap(N.linalg_matrix_norm(this._h, 'fro', dimList(d), k));
    }
    ord = 2;
  }
  if (ord === 'nuc') return wrap(N.linalg_matrix_norm(this._h, 'nuc', dimList(d) ?? [-2, -1], k));
  return wrap(N.vector_norm(this._h, ord, dimList(d), k, dt));
};
T.std = function (a, b) {
  const [d, c, k] = varArgs('std', a, b);
  return wrap(N.std(this._h, d, c, k));
};
T.var = function (a, b) {
  const [d, c, k] = varArgs('var', a, b);
  return wrap(N.var(this._h, d, c, k));
};
T.logsumexp = function (dim, keepdim) {
  return wrap(N.logsumexp(this._h, dimList(dim), flag('logsumexp', keepdim, 'keepdim')));
};
T.all = function (a, b) {
  const [d, k] = dimKeep('all', a, b);
  return wrap(N.all(this._h, d, k));
};
T.any = function (a, b) {
  const [d, k] = dimKeep('any', a, b);
  return wrap(N.any(this._h, d, k));
};
T.count_nonzero = function (dim) {
  return wrap(N.count_nonzero(this._h, dimList(dim)));
};
T.median = function (this: Tensor, dim?: number, keepdim?: boolean | { keepdim?: boolean }) {
  if (dim === undefined) return wrap(N.median(this._h));
  return valuesIndices(N.median_dim(this._h, dim, flag('median', keepdim, 'keepdim')));
} as Tensor['median'];
T.cumsum = function (dim, opts) {
  const o = typeof dim === 'number' ? { dim, dtype: opts?.dtype } : dim;
  return wrap(N.cumsum(this._h, o.dim, dtypeCode(o.dtype)));
};
T.cumprod = function (dim, opts) {
  const o = typeof dim === 'number' ? { dim, dtype: opts?.dtype } : dim;
  return wrap(N.cumprod(this._h, o.dim, dtypeCode(o.dtype)));
};
T.cummax = function (dim) {
  return valuesIndices(N.cummax(this._h, dim));
};
T.cummin = function (dim) {
  return valuesIndices(N.cummin(this._h, dim));
};
T.logcumsumexp = function (dim) {
  return wrap(N.logcumsumexp(this._h, dim));
};
T.sort = function (dim, descending) {
  const o = isOpts(dim) ? (dim as { dim?: number; descending?: boolean; stable?: boolean }) : { dim: dim as number | undefined, descending };
  return valuesIndices(N.sort(this._h, o.dim ?? -1, o.descending ?? false, (o as { stable?: boolean }).stable ?? false));
};
T.argsort = function (dim, descending) {
  const o = isOpts(dim) ? (dim as { dim?: number; descending?: boolean }) : { dim: dim as number | undefined, descending };
  return wrap(N.argsort(this._h, o.dim ?? -1, o.descending ?? false));
};
T.topk = function (k, dim, largest, sorted) {
  const o = isOpts(dim) ? (dim as { dim?: number; largest?: boolean; sorted?: boolean }) : { dim: dim as number | undefined, largest, sorted };
  return valuesIndices(N.topk(this._h, k, o.dim ?? -1, o.largest ?? true, o.sorted ?? true));
};
T.kthvalue = function (k, dim, keepdim) {
  return valuesIndices(N.kthvalue(this._h, k, dim ?? -1, flag('kthvalue', keepdim, 'keepdim')));
};
T.nonzero = function (this: Tensor, opts?: { as_tuple?: boolean }) {
  const nz = wrap(N.nonzero(this._h));
  if (opts?.as_tuple) return nz.unbind(1);
  return nz;
} as Tensor['nonzero'];
T.unique = function (opts) {
  const [u, inv, counts] = wrapList(N.unique(this._h, opts?.sorted ?? true, opts?.return_inverse ?? false, opts?.return_counts ?? false));
  if (!opts?.return_inverse && !opts?.return_counts) return u;
  const out = [u];
  if (opts.return_inverse) out.push(inv);
  if (opts.return_counts) out.push(counts);
  return out;
};
T.bincount = function (opts) {
  return wrap(N.bincount(this._h, opts?.weights ? opts.weights._h : null, opts?.minlength ?? 0));
};
T.histc = function (bins, min, max) {
  return wrap(N.histc(this._h, bins ?? 100, min ?? 0, max ?? 0));
};
T.dot = function (o) {
  return wrap(N.dot(this._h, o._h));
};
T.vdot = function (o) {
  return wrap(N.vdot(this._h, o._h));
};
T.matmul = function (o) {
  return wrap(N.matmul(this._h, o._h));
};
T.mm = function (o) {
  return wrap(N.mm(this._h, o._h));
};
T.bmm = function (o) {
  return wrap(N.bmm(this._h, o._h));
};
T.mv = function (o) {
  return wrap(N.mv(this._h, o._h));
};
T.outer = function (o) {
  return wrap(N.outer(this._h, o._h));
};
T.ger = T.outer;
T.addmm = function (m1, m2, opts) {
  return wrap(N.addmm(this._h, m1._h, m2._h, opts?.beta ?? 1, opts?.alpha ?? 1));
};
T.kron = function (o) {
  return wrap(N.kron(this._h, o._h));
};
T.cross = function (o, dim) {
  return wrap(N.cross(this._h, o._h, dim ?? -1));
};
T.trace = function () {
  return wrap(N.trace(this._h));
};

// ---------------------------------------------------------------------------
// torch.* functions
// ---------------------------------------------------------------------------
export const sum = fn('sum');
export const nansum = fn('nansum');
export const mean = fn('mean');
export const nanmean = fn('nanmean');
export const prod = fn('prod');
// fn() would type only Tensor.max's last overload; these keep all of Python's forms:
// max(t) (a 0-dim tensor), max(a, b) (elementwise), max(t, dim, keepdim?) ({values, indices}).
type MaxMin = {
  (input: Tensor): Tensor;
  (input: Tensor, other: Tensor): Tensor;
  (input: Tensor, dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ValuesIndices;
  (input: Tensor, dim: number, keepdim: boolean, opts: OutOpt): ValuesIndices;
};
export const max = fn('max') as MaxMin;
export const min = fn('min') as MaxMin;
export const amax = fn('amax');
export const amin = fn('amin');
export const argmax = fn('argmax');
export const argmin = fn('argmin');
export const std = fn('std');
export const var_ = fn('var');
export const logsumexp = fn('logsumexp');
export const all = fn('all');
export const any = fn('any');
export const count_nonzero = fn('count_nonzero');
export const median = fn('median');
export const cumsum = fn('cumsum');
export const cumprod = fn('cumprod');
export const cummax = fn('cummax');
export const cummin = fn('cummin');
export const logcumsumexp = fn('logcumsumexp');
export const sort = fn('sort');
export const argsort = fn('argsort');
export const topk = fn('topk');
export const kthvalue = fn('kthvalue');
export const nonzero = fn('nonzero');
export const unique = fn('unique');
export const bincount = fn('bincount');
export const histc = fn('histc');
export const dot = fn('dot');
export const vdot = fn('vdot');
export const matmul = fn('matmul');
export const mm = fn('mm');
export const bmm = fn('bmm');
export const mv = fn('mv');
export const outer = fn('outer');
export const ger = fn('outer');
export const addmm = fn('addmm');
export const kron = fn('kron');
export const cross = fn('cross');
export const trace = fn('trace');

/** torch.norm(input, p='fro', dim=None, keepdim=False). */
export const norm = fn('norm');

export function std_mean(input: Tensor, dim?: Dims | VarOpts | null, opts?: VarOpts): [Tensor, Tensor] {
  const [d, c, k] = varArgs('std_mean', dim, opts);
  return wrapList(N.std_mean(input._h, d, c, k)) as [Tensor, Tensor];
}
export function var_mean(input: Tensor, dim?: Dims | VarOpts | null, opts?: VarOpts): [Tensor, Tensor] {
  const [d, c, k] = varArgs('var_mean', dim, opts);
  return wrapList(N.var_mean(input._h, d, c, k)) as [Tensor, Tensor];
}
export function aminmax(input: Tensor, opts?: { dim?: number; keepdim?: boolean }): { min: Tensor; max: Tensor } {
  const [mn, mx] = wrapList(N.aminmax(input._h, opts?.dim ?? null, opts?.keepdim ?? false));
  return { min: mn, max: mx };
}

export function einsum(equation: string, ...operands: (Tensor | Tensor[])[]): Tensor {
  if (typeof equation !== 'string') throw new TypeError(`einsum(): argument 'equation' must be a string, got ${describe(equation)}`);
  const ts = operands.length === 1 && Array.isArray(operands[0]) ? (operands[0] as Tensor[]) : (operands as Tensor[]);
  return wrap(N.einsum(equation, handles(ts)));
}

export function tensordot(a: Tensor, b: Tensor, dims: number | [number[], number[]] = 2): Tensor {
  let da: number[];
  let db: number[];
  if (typeof dims === 'number') {
    da = Array.from({ length: dims }, (_, i) => a.dim() - dims + i);
    db = Array.from({ length: dims }, (_, i) => i);
  } else [da, db] = dims;
  return wrap(N.tensordot(a._h, b._h, da, db));
}

export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor {
  return wrap(N.cdist(x1._h, x2._h, p));
}
