// torch.utils.data: Dataset, TensorDataset, Subset, random_split, samplers, DataLoader and
// default_collate, drawing random numbers in Python's order so that a seeded shuffle gives
// Python's batches.
//
//   const loader = new torch.utils.data.DataLoader(new TensorDataset(x, y), { batch_size: 64, shuffle: true });
//   for (const [xs, ys] of loader) { ... }
//
// A dataset is an array, or an object with Python's protocol: `__getitem__(index)` and
// `__len__()` (a `length` property also works for the size).
import { Tensor } from '../tensor';
import { tensor, empty } from '../creation';
import { bool, float64, int64 } from '../dtype';
import { Generator, randperm, randint } from '../random';
import { stack } from '../ops/shape';
import { itemBigInt } from '../extras';
import { describe } from '../ops/util';

export interface MapDataset<T = unknown> {
  __getitem__(index: number): T;
  __len__?(): number;
  readonly length?: number;
}
export type DatasetLike<T = unknown> = MapDataset<T> | readonly T[];

function getItem<T>(ds: DatasetLike<T>, i: number): T {
  if (Array.isArray(ds)) return (ds as T[])[i];
  return (ds as MapDataset<T>).__getitem__(i);
}
/** Python's len(dataset). */
export function len(ds: DatasetLike | { __len__(): number } | { length: number }): number {
  const d = ds as { __len__?: () => number; length?: number };
  if (typeof d.__len__ === 'function') return d.__len__();
  if (typeof d.length === 'number') return d.length;
  throw new TypeError(`object of type '${describe(ds)}' has no len()`);
}

/** Base class of map-style datasets (Python's torch.utils.data.Dataset). */
export abstract class Dataset<T = unknown> implements MapDataset<T> {
  abstract __getitem__(index: number): T;
  __len__(): number {
    throw new Error(`${this.constructor.name} does not implement __len__`);
  }
  get length(): number {
    return this.__len__();
  }
}

/** Python's TensorDataset: item i is [t[i] for t of tensors]. */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length > 0) {
      const n = tensors[0].size(0);
      if (!tensors.every((t) => t instanceof Tensor && t.size(0) === n)) throw new RangeError('Size mismatch between tensors');
    }
    this.tensors = tensors;
  }
  __getitem__(index: number): Tensor[] {
    return this.tensors.map((t) => t.get(index));
  }
  override __len__(): number {
    return this.tensors[0].size(0);
  }
}

/** Python's Subset(dataset, indices). */
export class Subset<T = unknown> extends Dataset<T> {
  constructor(readonly dataset: DatasetLike<T>, readonly indices: readonly number[]) {
    super();
  }
  __getitem__(index: number): T {
    return getItem(this.dataset, this.indices[index]);
  }
  override __len__(): number {
    return this.indices.length;
  }
}

/** Python's ConcatDataset(datasets). */
export class ConcatDataset<T = unknown> extends Dataset<T> {
  readonly cumulative_sizes: number[];
  constructor(readonly datasets: readonly DatasetLike<T>[]) {
    super();
    if (datasets.length === 0) throw new RangeError('datasets should not be an empty iterable');
    let s = 0;
    this.cumulative_sizes = datasets.map((d) => (s += len(d)));
  }
  __getitem__(index: number): T {
    const n = this.cumulative_sizes[this.cumulative_sizes.length - 1];
    if (index < 0) {
      if (-index > n) throw new RangeError('absolute value of index should not exceed dataset length');
      index += n;
    }
    let k = 0;
    while (index >= this.cumulative_sizes[k]) k++;
    const off = k === 0 ? 0 : this.cumulative_sizes[k - 1];
    return getItem(this.datasets[k], index - off);
  }
  override __len__(): number {
    return this.cumulative_sizes[this.cumulative_sizes.length - 1];
  }
}

/**
 * Python's random_split(dataset, lengths, generator=default_generator): lengths are sizes
 * or fractions summing to 1; indices come from randperm with the generator.
 */
export function random_split<T>(dataset: DatasetLike<T>, lengths: readonly number[], generator?: Generator | null): Subset<T>[] {
  const n = len(dataset);
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9 && total <= 1 && sizes.some((x) => !Number.isInteger(x))) {
    sizes = sizes.map((f) => {
      if (f < 0 || f > 1) throw new RangeError(`Fraction at index ${sizes.indexOf(f)} is not between 0 and 1`);
      return Math.floor(n * f);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) throw new RangeError('Sum of input lengths does not equal the length of the input dataset!');
  const perm = (randperm(n, { generator: generator ?? null }).tolist() as number[]);
  const out: Subset<T>[] = [];
  let off = 0;
  for (const s of sizes) {
    out.push(new Subset(dataset, perm.slice(off, off + s)));
    off += s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Samplers
// ---------------------------------------------------------------------------------------------

export interface Sampler<T = number> extends Iterable<T> {
  __len__?(): number;
}

export class SequentialSampler implements Sampler<number> {
  constructor(readonly data_source: DatasetLike) {}
  *[Symbol.iterator](): Iterator<number> {
    const n = len(this.data_source);
    for (let i = 0; i < n; i++) yield i;
  }
  __len__(): number {
    return len(this.data_source);
  }
}

/**
 * Python's RandomSampler. Without a generator, each pass draws a seed from the default
 * generator (`torch.empty((), dtype=torch.int64).random_()`) and shuffles with a new
 * Generator seeded with it, exactly as Python does.
 */
export class RandomSampler implements Sampler<number> {
  readonly replacement: boolean;
  readonly generator: Generator | null;
  private readonly _num_samples: number | null;
  constructor(readonly data_source: DatasetLike, opts?: { replacement?: boolean; num_samples?: number | null; generator?: Generator | null }) {
    this.replacement = opts?.replacement ?? false;
    this._num_samples = opts?.num_samples ?? null;
    this.generator = opts?.generator ?? null;
    if (typeof this.replacement !== 'boolean') throw new TypeError(`replacement should be a boolean value, but got replacement=${this.replacement}`);
    const ns = this.num_samples;
    if (!Number.isInteger(ns) || ns <= 0) throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${ns}`);
  }
  get num_samples(): number {
    return this._num_samples ?? len(this.data_source);
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = len(this.data_source);
    let generator = this.generator;
    if (generator === null) {
      const seed = itemBigInt(empty([], { dtype: int64 }).random_());
      generator = new Generator().manual_seed(seed);
    }
    const ns = this.num_samples;
    if (this.replacement) {
      for (let k = 0; k < Math.floor(ns / 32); k++) yield* randint(0, n, [32], { dtype: int64, generator }).tolist() as number[];
      yield* randint(0, n, [ns % 32], { dtype: int64, generator }).tolist() as number[];
    } else {
      for (let k = 0; k < Math.floor(ns / n); k++) yield* randperm(n, { generator }).tolist() as number[];
      yield* (randperm(n, { generator }).tolist() as number[]).slice(0, ns % n);
    }
  }
  __len__(): number {
    return this.num_samples;
  }
}

/** Python's SubsetRandomSampler(indices, generator). */
export class SubsetRandomSampler implements Sampler<number> {
  constructor(readonly indices: readonly number[], readonly generator: Generator | null = null) {}
  *[Symbol.iterator](): Iterator<number> {
    for (const i of randperm(this.indices.length, { generator: this.generator }).tolist() as number[]) yield this.indices[i];
  }
  __len__(): number {
    return this.indices.length;
  }
}

/** Python's BatchSampler(sampler, batch_size, drop_last). */
export class BatchSampler implements Sampler<number[]> {
  constructor(readonly sampler: Iterable<number> & { __len__?(): number }, readonly batch_size: number, readonly drop_last: boolean) {
    if (!Number.isInteger(batch_size) || typeof batch_size === 'boolean' || batch_size <= 0) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${batch_size}`);
    }
    if (typeof drop_last !== 'boolean') throw new RangeError(`drop_last should be a boolean value, but got drop_last=${drop_last}`);
  }
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batch_size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.drop_last) yield batch;
  }
  __len__(): number {
    const n = len(this.sampler as unknown as MapDataset);
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
  }
}

// ---------------------------------------------------------------------------------------------
// Collation
// ---------------------------------------------------------------------------------------------

/**
 * Python's default_collate: tensors are stacked, numbers become a tensor (int64 when all
 * are integers, float64 otherwise, bool for booleans), strings stay, arrays and objects
 * are collated position by position / key by key.
 */
export function default_collate(batch: readonly unknown[]): unknown {
  const elem = batch[0];
  if (elem instanceof Tensor) return stack(batch as Tensor[], 0);
  if (typeof elem === 'number') {
    const nums = batch as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? int64 : float64 });
  }
  if (typeof elem === 'bigint') return tensor(batch as bigint[], { dtype: int64 });
  if (typeof elem === 'boolean') return tensor(batch as boolean[], { dtype: bool });
  if (typeof elem === 'string') return batch;
  if (ArrayBuffer.isView(elem)) return stack((batch as ArrayLike<number>[]).map((a) => tensor(a as never)), 0);
  if (elem instanceof Map) {
    const out = new Map();
    for (const k of elem.keys()) out.set(k, default_collate(batch.map((d) => (d as Map<unknown, unknown>).get(k))));
    return out;
  }
  if (Array.isArray(elem)) {
    const n = elem.length;
    if (!batch.every((e) => (e as unknown[]).length === n)) throw new RangeError('each element in list of batch should be of equal size');
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(default_collate(batch.map((e) => (e as unknown[])[i])));
    return out;
  }
  if (elem !== null && typeof elem === 'object' && (Object.getPrototypeOf(elem) === Object.prototype || Object.getPrototypeOf(elem) === null)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(elem)) out[k] = default_collate(batch.map((d) => (d as Record<string, unknown>)[k]));
    return out;
  }
  throw new TypeError(`default_collate: batch must contain tensors, numbers, dicts or lists; found ${describe(elem)}`);
}

// ---------------------------------------------------------------------------------------------
// DataLoader
// ---------------------------------------------------------------------------------------------

export type DataLoaderOpts<T> = {
  batch_size?: number | null;
  shuffle?: boolean;
  sampler?: Iterable<number> | null;
  batch_sampler?: Iterable<number[]> | null;
  num_workers?: number;
  collate_fn?: ((batch: T[]) => unknown) | null;
  drop_last?: boolean;
  generator?: Generator | null;
  pin_memory?: boolean;
};

/**
 * Python's DataLoader (single process): `for (const batch of loader)`, `loader.length`
 * (Python's len(loader)). Each pass draws the loader's base seed from the generator first,
 * as Python does, so random streams stay aligned with Python's.
 */
/** The type default_collate makes of a batch of T. */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | bigint | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends Map<infer K, infer V>
          ? Map<K, Collated<V>>
          : T extends object
            ? { [K in keyof T]: Collated<T[K]> }
            : unknown;

export class DataLoader<T = unknown, B = Collated<T>> implements Iterable<B> {
  readonly dataset: DatasetLike<T>;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly sampler: Iterable<number>;
  readonly batch_sampler: Iterable<number[]> | null;
  readonly generator: Generator | null;
  readonly collate_fn: (batch: T[]) => unknown;
  readonly num_workers = 0;

  constructor(dataset: DatasetLike<T>, batch_size_or_opts?: number | null | DataLoaderOpts<T>, opts?: DataLoaderOpts<T>) {
    const o: DataLoaderOpts<T> =
      batch_size_or_opts !== null && typeof batch_size_or_opts === 'object' ? batch_size_or_opts : { ...(opts ?? {}), batch_size: batch_size_or_opts === undefined ? (opts?.batch_size ?? 1) : batch_size_or_opts };
    if ((o.num_workers ?? 0) !== 0) throw new RangeError('DataLoader: only num_workers=0 is supported (batches are loaded in the main thread)');
    this.dataset = dataset;
    this.generator = o.generator ?? null;
    const shuffle = o.shuffle ?? false;
    let batch_size = o.batch_size === undefined ? 1 : o.batch_size;
    let drop_last = o.drop_last ?? false;
    if (o.sampler && shuffle) throw new RangeError('sampler option is mutually exclusive with shuffle');
    if (o.batch_sampler) {
      if (batch_size !== 1 || shuffle || o.sampler || drop_last) {
        throw new RangeError('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
      }
      batch_size = null;
      drop_last = false;
    } else if (batch_size === null && drop_last) {
      throw new RangeError('batch_size=None option disables auto-batching and is mutually exclusive with drop_last');
    }
    this.sampler = o.sampler ?? (shuffle ? new RandomSampler(dataset, { generator: this.generator }) : new SequentialSampler(dataset));
    this.batch_sampler = o.batch_sampler ?? (batch_size !== null ? new BatchSampler(this.sampler, batch_size, drop_last) : null);
    this.batch_size = batch_size;
    this.drop_last = drop_last;
    this.collate_fn = o.collate_fn ?? (batch_size === null && !o.batch_sampler ? (x: T[]) => x as unknown : (default_collate as (b: T[]) => unknown));
    this.autoCollation = this.batch_sampler !== null;
    this.defaultCollate = o.collate_fn === undefined || o.collate_fn === null;
  }
  private readonly autoCollation: boolean;
  private readonly defaultCollate: boolean;

  [Symbol.iterator](): Iterator<B> {
    // Python's _BaseDataLoaderIter.__init__ draws the base seed (for workers) first.
    empty([], { dtype: int64 }).random_(undefined, undefined, { generator: this.generator });
    return this.batches();
  }

  private *batches(): Generator_<B> {
    if (!this.autoCollation) {
      for (const i of this.sampler) yield (this.collate_fn as (x: unknown) => unknown)(getItem(this.dataset, i)) as B;
      return;
    }
    const fast = this.defaultCollate && this.dataset instanceof TensorDataset;
    for (const idx of this.batch_sampler!) {
      if (fast) {
        // Same values as stacking the items: one index_select per tensor.
        const ix = tensor(idx, { dtype: int64 });
        yield (this.dataset as TensorDataset).tensors.map((t) => t.index_select(0, ix)) as unknown as B;
      } else yield this.collate_fn(idx.map((i) => getItem(this.dataset, i))) as B;
    }
  }

  /** Python's len(loader): the number of batches. */
  __len__(): number {
    if (this.batch_sampler !== null) return len(this.batch_sampler as unknown as MapDataset);
    return len(this.sampler as unknown as MapDataset);
  }
  get length(): number {
    return this.__len__();
  }
}
type Generator_<T> = globalThis.Generator<T, void, unknown>;
