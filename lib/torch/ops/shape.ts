// Shape, view, join/split, gather/scatter, conversion.
import { N } from '../../native';
import { dtype, float16, float32, float64, int16, int32, int64, int8, uint8, bool as boolT, bfloat16 } from '../dtype';
import { device, DeviceLike, deviceCode } from '../device';
import { Tensor, wrap, wrapList } from '../tensor';
import { describe, fn, h, handles, shapeArgs, TensorLike, kw } from './util';

export type ToOpts = { dtype?: dtype; device?: DeviceLike; non_blocking?: boolean; copy?: boolean };

declare module '../tensor' {
  interface Tensor {
    view(...shape: number[]): Tensor;
    view(shape: readonly number[]): Tensor;
    view(dtype: dtype): Tensor;
    view_as(other: Tensor): Tensor;
    reshape(...shape: number[]): Tensor;
    reshape(shape: readonly number[]): Tensor;
    reshape_as(other: Tensor): Tensor;
    flatten(start_dim?: number, end_dim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    ravel(): Tensor;
    squeeze(dim?: number): Tensor;
    squeeze_(dim?: number): this;
    unsqueeze(dim: number): Tensor;
    unsqueeze_(dim: number): this;
    /** Resizes in place (storage kept or grown; new elements uninitialised), as torch. */
    resize_(...shape: number[]): this;
    resize_(shape: readonly number[]): this;
    permute(...dims: number[]): Tensor;
    permute(dims: readonly number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    transpose_(dim0: number, dim1: number): this;
    swapaxes(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    t_(): this;
    readonly T: Tensor;
    readonly mT: Tensor;
    movedim(source: number | number[], destination: number | number[]): Tensor;
    expand(...sizes: number[]): Tensor;
    expand(sizes: readonly number[]): Tensor;
    expand_as(other: Tensor): Tensor;
    broadcast_to(shape: readonly number[]): Tensor;
    repeat(...repeats: number[]): Tensor;
    repeat(repeats: readonly number[]): Tensor;
    tile(...reps: number[]): Tensor;
    repeat_interleave(repeats: number | Tensor, dim?: number | null): Tensor;
    flip(...dims: number[]): Tensor;
    flip(dims: readonly number[]): Tensor;
    fliplr(): Tensor;
    flipud(): Tensor;
    roll(shifts: number | number[], dims?: number | number[]): Tensor;
    rot90(k?: number, dims?: [number, number]): Tensor;
    diag(diagonal?: number): Tensor;
    diag_embed(offset?: number, dim1?: number, dim2?: number): Tensor;
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    tril(diagonal?: number): Tensor;
    triu(diagonal?: number): Tensor;
    tril_(diagonal?: number): this;
    triu_(diagonal?: number): this;
    split(split_size_or_sections: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    tensor_split(sections: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    unfold(dimension: number, size: number, step: number): Tensor;
    as_strided(size: readonly number[], stride: readonly number[], storage_offset?: number): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: TensorLike | { value?: number; src?: Tensor }): Tensor;
    scatter_(dim: number, index: Tensor, src: TensorLike | { value?: number; src?: Tensor }): this;
    scatter_add(dim: number, index: Tensor, src: Tensor): Tensor;
    scatter_add_(dim: number, index: Tensor, src: Tensor): this;
    scatter_reduce(dim: number, index: Tensor, src: Tensor, reduce: 'sum' | 'prod' | 'mean' | 'amax' | 'amin', opts?: { include_self?: boolean }): Tensor;
    index_select(dim: number, index: Tensor): Tensor;
    index_add(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor;
    index_add_(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): this;
    index_fill(dim: number, index: Tensor, value: number): Tensor;
    index_copy(dim: number, index: Tensor, source: Tensor): Tensor;
    masked_select(mask: Tensor): Tensor;
    masked_scatter(mask: Tensor, source: Tensor): Tensor;
    take(index: Tensor): Tensor;
    take_along_dim(indices: Tensor, dim?: number | null): Tensor;

    contiguous(): Tensor;
    clone(): Tensor;
    detach(): Tensor;
    detach_(): this;
    /** to(dtype), to(device), to(other), or to({dtype, device, non_blocking, copy}). */
    to(target: dtype | DeviceLike | Tensor | ToOpts, opts?: ToOpts | dtype): Tensor;
    type_as(other: Tensor): Tensor;
    float(): Tensor;
    double(): Tensor;
    half(): Tensor;
    bfloat16(): Tensor;
    long(): Tensor;
    int(): Tensor;
    short(): Tensor;
    char(): Tensor;
    byte(): Tensor;
    bool(): Tensor;
    cpu(): Tensor;
    cuda(index?: number | DeviceLike): Tensor;
  }
}

const T = Tensor.prototype;

T.view = function (this: Tensor, ...args: unknown[]) {
  if (args.length === 1 && args[0] instanceof dtype) return wrap(N.view_dtype(this._h, (args[0] as dtype).code));
  return wrap(N.view(this._h, shapeArgs(args)));
} as Tensor['view'];
T.view_as = function (o) {
  return wrap(N.view(this._h, o.shape));
};
T.reshape = function (this: Tensor, ...args: unknown[]) {
  return wrap(N.reshape(this._h, shapeArgs(args)));
} as Tensor['reshape'];
T.reshape_as = function (o) {
  return wrap(N.reshape(this._h, o.shape));
};
T.flatten = function (start, end) {
  return wrap(N.flatten(this._h, start ?? 0, end ?? -1));
};
T.unflatten = function (dim, sizes) {
  return wrap(N.unflatten(this._h, dim, sizes));
};
T.ravel = function () {
  return wrap(N.reshape(this._h, [-1]));
};
T.squeeze = function (dim) {
  return wrap(N.squeeze(this._h, dim ?? null));
};
T.squeeze_ = function (dim) {
  N.squeeze_(this._h, dim ?? null);
  return this;
};
T.unsqueeze = function (dim) {
  return wrap(N.unsqueeze(this._h, dim));
};
T.resize_ = function (this: Tensor, ...shape: unknown[]) {
  N.resize_(this._h, shapeArgs(shape));
  return this;
} as Tensor['resize_'];

/** Whether a value of dtype `from` may be written to a tensor of dtype `to` (torch.can_cast). */
export function can_cast(from: dtype, to: dtype): boolean {
  if (!(from instanceof dtype) || !(to instanceof dtype)) throw new TypeError(`can_cast(): expected two dtypes, got ${describe(from)} and ${describe(to)}`);
  return N.can_cast(from.code, to.code);
}

T.unsqueeze_ = function (dim) {
  N.unsqueeze_(this._h, dim);
  return this;
};
T.permute = function (this: Tensor, ...args: unknown[]) {
  return wrap(N.permute(this._h, shapeArgs(args)));
} as Tensor['permute'];
T.transpose = function (a, b) {
  return wrap(N.transpose(this._h, a, b));
};
T.transpose_ = function (a, b) {
  N.transpose_(this._h, a, b);
  return this;
};
T.swapaxes = T.transpose;
T.t = function () {
  return wrap(N.t(this._h));
};
T.t_ = function () {
  N.t_(this._h);
  return this;
};
Object.defineProperty(T, 'T', {
  get(this: Tensor) {
    return wrap(N.numpy_T(this._h));
  },
});
Object.defineProperty(T, 'mT', {
  get(this: Tensor) {
    return wrap(N.mT(this._h));
  },
});
T.movedim = function (src, dst) {
  return wrap(N.movedim(this._h, typeof src === 'number' ? [src] : src, typeof dst === 'number' ? [dst] : dst));
};
T.expand = function (this: Tensor, ...args: unknown[]) {
  return wrap(N.expand(this._h, shapeArgs(args)));
} as Tensor['expand'];
T.expand_as = function (o) {
  return wrap(N.expand_as(this._h, o._h));
};
T.broadcast_to = function (shape) {
  return wrap(N.broadcast_to(this._h, shape));
};
T.repeat = function (this: Tensor, ...args: unknown[]) {
  return wrap(N.repeat(this._h, shapeArgs(args)));
} as Tensor['repeat'];
T.tile = function (...reps) {
  return wrap(N.tile(this._h, shapeArgs(reps)));
};
T.repeat_interleave = function (reps, dim) {
  return wrap(N.repeat_interleave(this._h, h(reps), dim ?? null));
};
T.flip = function (this: Tensor, ...args: unknown[]) {
  return wrap(N.flip(this._h, shapeArgs(args)));
} as Tensor['flip'];
T.fliplr = function () {
  return wrap(N.flip(this._h, [1]));
};
T.flipud = function () {
  return wrap(N.flip(this._h, [0]));
};
T.roll = function (shifts, dims) {
  const s = typeof shifts === 'number' ? [shifts] : shifts;
  const d = dims === undefined ? [] : typeof dims === 'number' ? [dims] : dims;
  return wrap(N.roll(this._h, s, d));
};
T.rot90 = function (k, dims) {
  return wrap(N.rot90(this._h, k ?? 1, dims ?? [0, 1]));
};
T.diag = function (d) {
  return wrap(N.diag(this._h, d ?? 0));
};
T.diag_embed = function (o, d1, d2) {
  return wrap(N.diag_embed(this._h, o ?? 0, d1 ?? -2, d2 ?? -1));
};
T.diagonal = function (o, d1, d2) {
  return wrap(N.diagonal(this._h, o ?? 0, d1 ?? 0, d2 ?? 1));
};
T.tril = function (d) {
  return wrap(N.tril(this._h, d ?? 0));
};
T.triu = function (d) {
  return wrap(N.triu(this._h, d ?? 0));
};
T.tril_ = function (d) {
  N.tril_(this._h, d ?? 0);
  return this;
};
T.triu_ = function (d) {
  N.triu_(this._h, d ?? 0);
  return this;
};
T.split = function (s, dim) {
  if (typeof s === 'number') return wrapList(N.split(this._h, s, dim ?? 0));
  return wrapList(N.split_with_sizes(this._h, s, dim ?? 0));
};
T.chunk = function (c, dim) {
  return wrapList(N.chunk(this._h, c, dim ?? 0));
};
T.tensor_split = function (s, dim) {
  return wrapList(N.tensor_split(this._h, s, dim ?? 0));
};
T.unbind = function (dim) {
  return wrapList(N.unbind(this._h, dim ?? 0));
};
T.narrow = function (dim, start, length) {
  return wrap(N.narrow(this._h, dim, start, length));
};
T.select = function (dim, index) {
  return wrap(N.select(this._h, dim, index));
};
T.unfold = function (d, s, st) {
  return wrap(N.unfold(this._h, d, s, st));
};
T.as_strided = function (size, stride, off) {
  return wrap(N.as_strided(this._h, size, stride, off ?? null));
};
T.gather = function (dim, index) {
  return wrap(N.gather(this._h, dim, index._h));
};
function scatterSrc(src: unknown): unknown {
  if (src instanceof Tensor) return src._h;
  if (src !== null && typeof src === 'object') {
    const o = src as { value?: number; src?: Tensor };
    return o.src !== undefined ? o.src._h : o.value;
  }
  return src;
}
T.scatter = function (dim, index, src) {
  return wrap(N.scatter(this._h, dim, index._h, scatterSrc(src)));
};
T.scatter_ = function (dim, index, src) {
  N.scatter_(this._h, dim, index._h, scatterSrc(src));
  return this;
};
T.scatter_add = function (dim, index, src) {
  return wrap(N.scatter_add(this._h, dim, index._h, src._h));
};
T.scatter_add_ = function (dim, index, src) {
  N.scatter_add_(this._h, dim, index._h, src._h);
  return this;
};
T.scatter_reduce = function (dim, index, src, reduce, opts) {
  kw('scatter_reduce', opts, ['include_self']);
  return wrap(N.scatter_reduce(this._h, dim, index._h, src._h, reduce, opts?.include_self ?? true));
};
T.index_select = function (dim, index) {
  return wrap(N.index_select(this._h, dim, index._h));
};
T.index_add = function (dim, index, source, opts) {
  kw('index_add', opts, ['alpha']);
  return wrap(N.index_add(this._h, dim, index._h, source._h, opts?.alpha ?? 1));
};
T.index_add_ = function (dim, index, source, opts) {
  kw('index_add_', opts, ['alpha']);
  N.index_add_(this._h, dim, index._h, source._h, opts?.alpha ?? 1);
  return this;
};
T.index_fill = function (dim, index, value) {
  return wrap(N.index_fill(this._h, dim, index._h, value));
};
T.index_copy = function (dim, index, source) {
  return wrap(N.index_copy(this._h, dim, index._h, source._h));
};
T.masked_select = function (mask) {
  return wrap(N.masked_select(this._h, mask._h));
};
T.masked_scatter = function (mask, source) {
  return wrap(N.masked_scatter(this._h, mask._h, source._h));
};
T.take = function (index) {
  return wrap(N.take(this._h, index._h));
};
T.take_along_dim = function (indices, dim) {
  return wrap(N.take_along_dim(this._h, indices._h, dim ?? null));
};

T.contiguous = function () {
  return wrap(N.contiguous(this._h));
};
T.clone = function () {
  return wrap(N.clone(this._h));
};
T.detach = function () {
  return wrap(N.detach(this._h));
};
T.detach_ = function () {
  N.detach_(this._h);
  return this;
};
T.to = function (target, opts) {
  let dt: number | null = null;
  let dev: number | null = null;
  let nonBlocking = false;
  let copy = false;
  if (target instanceof Tensor) return wrap(N.to_as(this._h, target._h, false, false));
  if (target instanceof dtype) dt = target.code;
  else if (typeof target === 'string' || target instanceof device) dev = deviceCode(target);
  else if (target !== null && typeof target === 'object') opts = target as ToOpts;
  else throw new TypeError(`to(): expected a dtype, a device, a Tensor or options, got ${describe(target)}`);
  kw('to', opts, ['copy', 'device', 'dtype', 'non_blocking']);
  if (opts instanceof dtype) dt = opts.code;
  else if (opts !== undefined) {
    if (opts.dtype !== undefined) dt = opts.dtype.code;
    if (opts.device !== undefined) dev = deviceCode(opts.device);
    nonBlocking = opts.non_blocking ?? false;
    copy = opts.copy ?? false;
  }
  return wrap(N.to(this._h, dt, dev, nonBlocking, copy));
};
T.type_as = function (o) {
  return wrap(N.to(this._h, N.dtype(o._h), null, false, false));
};
const casts: [string, dtype][] = [
  ['float', float32], ['double', float64], ['half', float16], ['bfloat16', bfloat16], ['long', int64],
  ['int', int32], ['short', int16], ['char', int8], ['byte', uint8], ['bool', boolT],
];
for (const [name, d] of casts) {
  const code = d.code;
  (T as unknown as Record<string, unknown>)[name] = function (this: Tensor) {
    return wrap(N.to(this._h, code, null, false, false));
  };
}
T.cpu = function () {
  return wrap(N.to(this._h, null, 0 << 8 | 0xff, false, false));
};
T.cuda = function (index) {
  const dev = index === undefined ? 'cuda' : typeof index === 'number' ? `cuda:${index}` : index;
  return wrap(N.to(this._h, null, deviceCode(dev), false, false));
};

// ---------------------------------------------------------------------------
// torch.* functions
// ---------------------------------------------------------------------------
export const reshape = fn('reshape');
export const flatten = fn('flatten');
export const unflatten = fn('unflatten');
export const ravel = fn('ravel');
export const squeeze = fn('squeeze');
export const unsqueeze = fn('unsqueeze');
export const permute = fn('permute');
export const transpose = fn('transpose');
export const swapaxes = fn('transpose');
export const t = fn('t');
export const movedim = fn('movedim');
export const broadcast_to = fn('broadcast_to');
export const tile = fn('tile');
export const repeat_interleave = fn('repeat_interleave');
export const flip = fn('flip');
export const fliplr = fn('fliplr');
export const flipud = fn('flipud');
export const roll = fn('roll');
export const rot90 = fn('rot90');
export const diag = fn('diag');
export const diag_embed = fn('diag_embed');
export const diagonal = fn('diagonal');
export const tril = fn('tril');
export const triu = fn('triu');
export const split = fn('split');
export const chunk = fn('chunk');
export const tensor_split = fn('tensor_split');
export const unbind = fn('unbind');
export const narrow = fn('narrow');
export const select = fn('select');
export const gather = fn('gather');
export const scatter = fn('scatter');
export const scatter_add = fn('scatter_add');
export const scatter_reduce = fn('scatter_reduce');
export const index_select = fn('index_select');
export const index_add = fn('index_add');
export const masked_select = fn('masked_select');
export const take = fn('take');
export const take_along_dim = fn('take_along_dim');
export const clone = fn('clone');
export const detach = fn('detach');
export const as_strided = fn('as_strided');

export function cat(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return wrap(N.cat(handles(tensors), typeof dim === 'number' ? dim : (dim.dim ?? 0)));
}
export const concat = cat;
export const concatenate = cat;
export function stack(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return wrap(N.stack(handles(tensors), typeof dim === 'number' ? dim : (dim.dim ?? 0)));
}
export function hstack(tensors: readonly Tensor[]): Tensor {
  return wrap(N.hstack(handles(tensors)));
}
export function vstack(tensors: readonly Tensor[]): Tensor {
  return wrap(N.vstack(handles(tensors)));
}
export const row_stack = vstack;
export function dstack(tensors: readonly Tensor[]): Tensor {
  return wrap(N.dstack(handles(tensors)));
}
export function column_stack(tensors: readonly Tensor[]): Tensor {
  return hstack(tensors.map((x) => (x.dim() <= 1 ? x.reshape(-1, 1) : x)));
}
export function broadcast_tensors(...tensors: Tensor[]): Tensor[] {
  return wrapList(N.broadcast_tensors(handles(tensors)));
}
export function broadcast_shapes(...shapes: (number | readonly number[])[]): number[] {
  let out: number[] = [];
  for (const s of shapes) out = N.broadcast_shapes2(out, typeof s === 'number' ? [s] : s);
  return out;
}
export function meshgrid(tensors: readonly Tensor[], opts?: { indexing?: 'ij' | 'xy' }): Tensor[] {
  kw('meshgrid', opts, ['indexing']);
  return wrapList(N.meshgrid(handles(tensors), opts?.indexing ?? 'ij'));
}
export function block_diag(...tensors: Tensor[]): Tensor {
  return wrap(N.block_diag(handles(tensors)));
}
export function cartesian_prod(...tensors: Tensor[]): Tensor {
  return wrap(N.cartesian_prod(handles(tensors)));
}
export function combinations(input: Tensor, r = 2, opts?: { with_replacement?: boolean }): Tensor {
  kw('combinations', opts, ['with_replacement']);
  return wrap(N.combinations(input._h, r, opts?.with_replacement ?? false));
}
export function searchsorted(sorted_sequence: Tensor, values: Tensor, opts?: { right?: boolean }): Tensor {
  kw('searchsorted', opts, ['right']);
  return wrap(N.searchsorted(sorted_sequence._h, values._h, opts?.right ?? false));
}
export function bucketize(input: Tensor, boundaries: Tensor, opts?: { right?: boolean }): Tensor {
  kw('bucketize', opts, ['right']);
  return wrap(N.bucketize(input._h, boundaries._h, opts?.right ?? false));
}
