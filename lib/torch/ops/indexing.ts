// Python-like indexing: `t[i, :, None]` is `t.get(i, ':', null)` and
// `t[mask] = 0` is `t.set(mask, 0)`; a string may hold a whole index ("1:, ..., 0").
// Reads are views where Python's are, writes are in place, autograd flows through both.
import { N } from '../../native';
import { Tensor, wrap } from '../tensor';
import { describe, h, TensorLike, flag } from './util';

/** A Python slice `start:stop:step` (nulls for omitted parts). */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
  toString(): string {
    return `${this.start ?? ''}:${this.stop ?? ''}${this.step === null ? '' : `:${this.step}`}`;
  }
}

/** Python's slice(stop) / slice(start, stop[, step]). */
export function slice(startOrStop: number | null, stop?: number | null, step?: number | null): Slice {
  if (stop === undefined) return new Slice(null, startOrStop, null);
  return new Slice(startOrStop, stop, step ?? null);
}

/** One index item: an integer, null (a new axis), a boolean, a Tensor (advanced
 * indexing), a Slice, an array (converted to an int64 tensor), or a string such as
 * ':', '1:3', '::2', '...', 'None', or several separated by commas. */
export type Index = number | null | boolean | Tensor | Slice | string | readonly number[];

type Encoded = number | null | boolean | unknown /* handle */ | string | [number | null, number | null, number | null];

const ELLIPSIS = '...';

function parseItem(s: string, out: Encoded[]): void {
  const p = s.trim();
  if (p === '...' || p === 'Ellipsis') out.push(ELLIPSIS);
  else if (p === 'None' || p === 'null') out.push(null);
  else if (p.includes(':')) {
    const parts = p.split(':').map((x) => x.trim());
    if (parts.length > 3) throw new RangeError(`index: bad slice '${p}'`);
    const num = (x: string | undefined): number | null => {
      if (x === undefined || x === '') return null;
      const n = Number(x);
      if (!Number.isInteger(n)) throw new RangeError(`index: bad slice '${p}'`);
      return n;
    };
    out.push([num(parts[0]), num(parts[1]), num(parts[2])]);
  } else {
    const n = Number(p);
    if (p === '' || !Number.isInteger(n)) throw new RangeError(`index: cannot parse '${p}' (expected an integer, a slice like '1:3', '...' or 'None')`);
    out.push(n);
  }
}

// Index arrays (Python lists of ints) become int64 tensors; a hook so that this module
// needs no factory import (creation.ts sets it).
let arrayToIndexTensor: (a: readonly number[]) => Tensor = () => {
  throw new Error('indexing: creation module not loaded');
};
/** @internal */
export function setArrayIndexer(f: (a: readonly number[]) => Tensor): void {
  arrayToIndexTensor = f;
}

// String indices parsed once: loops index with the same few strings (`':, 0'`).
const parsed = new Map<string, readonly Encoded[]>();
function parseString(s: string): readonly Encoded[] {
  let p = parsed.get(s);
  if (p === undefined) {
    const out: Encoded[] = [];
    for (const part of s.split(',')) parseItem(part, out);
    if (parsed.size >= 256) parsed.clear();
    parsed.set(s, (p = out));
  }
  return p;
}

function encode(indices: readonly Index[]): readonly Encoded[] {
  if (indices.length === 1 && typeof indices[0] === 'string') return parseString(indices[0]);
  const out: Encoded[] = [];
  for (const ix of indices) {
    if (typeof ix === 'number') {
      if (!Number.isInteger(ix)) throw new TypeError(`index: ${ix} is not an integer`);
      out.push(ix);
    } else if (ix === null || typeof ix === 'boolean') out.push(ix);
    else if (ix instanceof Tensor) out.push(ix._h);
    else if (ix instanceof Slice) out.push([ix.start, ix.stop, ix.step]);
    else if (typeof ix === 'string') out.push(...parseString(ix));
    else if (Array.isArray(ix)) out.push(arrayToIndexTensor(ix)._h);
    else throw new TypeError(`index: unsupported index of type ${describe(ix)}`);
  }
  return out;
}

declare module '../tensor' {
  interface Tensor {
    /** Python's `t[...]`: `t.get(0)`, `t.get(':', 1)`, `t.get('..., -1')`, `t.get(mask)`. */
    get(...indices: Index[]): Tensor;
    /** Python's `t[...] = value`, in place: `t.set(':, 0', v)`, `t.set(mask, 0)`. Returns t. */
    set(...indicesAndValue: [...Index[], TensorLike]): this;
    /** Python's `t.index_put_(indices, values, accumulate)`. */
    index_put_(indices: readonly (Tensor | null)[], values: Tensor, accumulate?: boolean | { accumulate?: boolean }): this;
    index_put(indices: readonly (Tensor | null)[], values: Tensor, accumulate?: boolean | { accumulate?: boolean }): Tensor;
  }
}

const T = Tensor.prototype;

T.get = function (...indices) {
  // Fast path for one integer (trajectory[-1]).
  if (indices.length === 1 && typeof indices[0] === 'number') return wrap(N.select(this._h, 0, indices[0]));
  return wrap(N.index(this._h, encode(indices)));
};
T.set = function (...args) {
  if (args.length < 2) throw new TypeError('set(): expected one or more indices and a value');
  const value = args[args.length - 1] as TensorLike;
  const indices = args.slice(0, -1) as Index[];
  N.index_put_(this._h, encode(indices), h(value));
  return this;
};
T.index_put_ = function (indices, values, accumulate) {
  N.index_put_list_(this._h, indices.map((x) => (x === null ? null : x._h)), values._h, flag('index_put_', accumulate, 'accumulate'));
  return this;
};
T.index_put = function (indices, values, accumulate) {
  return wrap(N.index_put(this._h, indices.map((x) => (x === null ? null : x._h)), values._h, flag('index_put', accumulate, 'accumulate')));
};
