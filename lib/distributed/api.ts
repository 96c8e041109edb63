// Map-reduce calls over the world (torchopt.distributed.api): partitioners split the
// arguments into one call per partition, each runs on its worker (rank 0 runs its own
// partitions locally, after sending the others, so they overlap), and a reducer
// combines the results on the caller.
import * as torch from '../torch';
import { Tensor } from '../torch/tensor';
import { tree_flatten, tree_unflatten } from '../pytree';
import { DistributedError } from './errors';
import { DistAutogradContext, current_context, link_remote, touch_worker } from './autograd';
import { function_name, lookup_function, register_function } from './registry';
import { decode, localize } from './serialize';
import * as rpc from './rpc';
import { get_world_rank, get_world_size, get_worker_id } from './world';
import { checkKeys } from '../torchopt/kwargs';

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One call: the worker (rank or worker name), the positional arguments, and optional keyword arguments. */
export type Partition = [worker: number | string, args: unknown[], kwargs?: Record<string, unknown> | null];
/** Splits a call's arguments into partitions. */
export type Partitioner = (...args: unknown[]) => Partition[];
export type Reducer<R = any> = (results: any[]) => R; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Python's TensorDimensionPartitioner(dim, exclusive=False, keepdim=False, workers=None):
 * splits every tensor among the arguments along `dim` (they must agree on its size);
 * other values go to every partition. Exclusive: one partition per index (the dim is
 * dropped unless keepdim). Otherwise one slice per index when there are no more
 * indices than workers, else one contiguous chunk per worker (the last takes the rest).
 * Partition i goes to workers[i % workers.length] (all ranks by default).
 */
export class TensorDimensionPartitioner {
  readonly dim: number;
  readonly exclusive: boolean;
  readonly keepdim: boolean;
  readonly workers: (number | string)[] | null;
  constructor(dim: number, opts: { exclusive?: boolean; keepdim?: boolean; workers?: readonly (number | string)[] | null } = {}) {
    checkKeys('TensorDimensionPartitioner', opts, ['exclusive', 'keepdim', 'workers']);
    const exclusive = opts.exclusive ?? false;
    const keepdim = opts.keepdim ?? false;
    if (!keepdim && !exclusive) throw new RangeError('keepdim=false should be used only when exclusive=true');
    this.dim = dim;
    this.exclusive = exclusive;
    this.keepdim = keepdim;
    this.workers = opts.workers ? [...opts.workers] : null;
  }

  call(...args: unknown[]): Partition[] {
    const [leaves, spec] = tree_flatten(args);
    let batch: number | null = null;
    for (const leaf of leaves) {
      if (leaf instanceof Tensor) {
        const b = leaf.size(this.dim);
        if (batch === null) batch = b;
        else if (b !== batch) throw new RangeError(`todist: the tensors to partition have different sizes on dim ${this.dim} (${batch} and ${b})`);
      }
    }
    if (batch === null) return [[get_world_rank(), args]];
    const workers = (this.workers ?? Array.from({ length: get_world_size() }, (_, i) => i)).map((w) => get_worker_id(w));
    const nw = workers.length;
    const dim = this.dim;
    let n: number;
    let slice: (t: Tensor, i: number) => Tensor;
    if (this.exclusive) {
      n = batch;
      slice = this.keepdim ? (t, i) => t.narrow(dim, i, 1) : (t, i) => t.select(dim, i);
    } else if (batch <= nw) {
      n = batch;
      slice = (t, i) => t.narrow(dim, i, 1);
    } else {
      n = nw;
      const chunk = Math.floor(batch / nw);
      slice = (t, i) => (i === nw - 1 ? t.narrow(dim, i * chunk, batch - i * chunk) : t.narrow(dim, i * chunk, chunk));
    }
    const out: Partition[] = [];
    for (let i = 0; i < n; i++) {
      const part = tree_unflatten(spec, leaves.map((l) => (l instanceof Tensor ? slice(l, i) : l))) as unknown[];
      out.push([workers[i % nw], part]);
    }
    return out;
  }
}

/** A partitioner along `dim` (Python's dim_partitioner(dim=0, exclusive=False, keepdim=True, workers=None)). */
export function dim_partitioner(dim = 0, opts: { exclusive?: boolean; keepdim?: boolean; workers?: readonly (number | string)[] | null } = {}): Partitioner {
  checkKeys('dim_partitioner', opts, ['exclusive', 'keepdim', 'workers']);
  const p = new TensorDimensionPartitioner(dim, { exclusive: opts.exclusive ?? false, keepdim: opts.keepdim ?? true, workers: opts.workers ?? null });
  return (...args: unknown[]) => p.call(...args);
}

/** Splits along dim 0 into one chunk per worker (Python's batch_partitioner). */
export const batch_partitioner: Partitioner = dim_partitioner(0, { keepdim: true, exclusive: false });
/** One partition per index of dim 0, keeping the dim (Python's exclusive_batch_partitioner). */
export const exclusive_batch_partitioner: Partitioner = dim_partitioner(0, { keepdim: true, exclusive: true });

/** The mean of the results: torch.mean(torch.stack(results), 0). */
export function mean_reducer(results: Tensor[]): Tensor {
  return torch.mean(torch.stack(results), 0);
}
/** The sum of the results: torch.sum(torch.stack(results), 0). */
export function sum_reducer(results: Tensor[]): Tensor {
  return torch.sum(torch.stack(results), 0);
}

export type CallOptions = {
  args?: unknown[];
  /** Keyword arguments: appended to args as a last object argument. */
  kwargs?: Record<string, unknown> | null;
  /** A partitioner, a worker (rank or name) for a single call, or null for batch_partitioner. */
  partitioner?: Partitioner | number | string | null;
  reducer?: Reducer | null;
  /** Milliseconds to wait for each worker's answer (default: the world's timeout). */
  timeout?: number | null;
};

type Plan = { name: string; fn: AnyFn; parts: [number, unknown[]][]; reducer: Reducer | null; timeout: number | undefined };

function plan(func: AnyFn | string, opts: CallOptions): Plan {
  const name = function_name(func);
  const fn = lookup_function(name);
  let args = [...(opts.args ?? [])];
  if (opts.kwargs !== undefined && opts.kwargs !== null) args.push(opts.kwargs);
  const p = opts.partitioner ?? batch_partitioner;
  let parts: Partition[];
  if (typeof p === 'number' || typeof p === 'string') parts = [[p, args]];
  else if (typeof p === 'function') parts = p(...args);
  else throw new TypeError(`todist: partitioner must be a function, a rank or a worker name, got ${typeof p}`);
  if (!Array.isArray(parts) || parts.length === 0) throw new RangeError('todist: the partitioner returned no partition');
  const norm: [number, unknown[]][] = parts.map((q) => {
    const [w, a, kw] = q;
    const full = [...(a ?? [])];
    if (kw !== undefined && kw !== null && Object.keys(kw).length > 0) full.push(kw);
    return [get_worker_id(w), full];
  });
  return { name, fn, parts: norm, reducer: opts.reducer ?? null, timeout: opts.timeout ?? undefined };
}

type Sent = { index: number; rank: number; id: number; rgIns: Tensor[]; what: string; ctx: DistAutogradContext | null };

function dispatch(pl: Plan): { sent: Sent[]; local: [number, unknown[]][] } {
  const me = get_world_rank();
  const sent: Sent[] = [];
  const local: [number, unknown[]][] = [];
  const ctx = current_context();
  // Requests followed by local work wait (briefly) to be on their way first.
  const settle = pl.parts.some(([rank]) => rank === me) ? rpc.SETTLE_MS : 0;
  pl.parts.forEach(([rank, args], index) => {
    if (rank === me) {
      local.push([index, args]);
      return;
    }
    if (me !== 0) throw new DistributedError(`todist: only rank 0 makes remote calls (rank ${me} serves them); '${pl.name}' was called on rank ${me} with a partition for rank ${rank}`, me);
    const { meta, tensors, rgIns } = rpc.encode_call(pl.name, args, ctx === null ? null : ctx.id);
    const id = rpc.request(rank, rpc.Kind.CALL, meta, tensors, settle);
    if (ctx !== null && rgIns.length > 0) touch_worker(ctx, rank);
    sent.push({ index, rank, id, rgIns, what: `call ${id} of '${pl.name}'`, ctx });
  });
  return { sent, local };
}

function finish(s: Sent, m: rpc.Message): unknown {
  const ctx = s.ctx;
  const rg = (m.meta.rg as boolean[] | undefined) ?? [];
  let tensors = m.tensors;
  if (ctx !== null && s.rgIns.length > 0 && rg.some((x) => x)) tensors = link_remote(ctx, s.rank, s.id, s.what, s.rgIns, tensors, rg);
  return decode(m.meta.v, tensors);
}

/**
 * Calls a registered function on the workers given by the partitioner and returns the
 * reduced results (or the list of results without a reducer). Blocks until every
 * worker has answered; throws RemoteError when a remote call threw, DistributedError
 * when a worker died, DistributedTimeoutError when one did not answer in time.
 */
export function remote_sync_call(func: AnyFn | string, opts: CallOptions = {}): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const pl = plan(func, opts);
  const results: unknown[] = new Array(pl.parts.length);
  const { sent, local } = dispatch(pl);
  let error: unknown = null;
  for (const [index, args] of local) {
    try {
      const r = pl.fn(...localize(args, false));
      if (rpc.isThenable(r)) throw new TypeError(`todist: '${pl.name}' returned a Promise; call it with remote_async_call / parallelize_async`);
      results[index] = r;
    } catch (e) {
      if (error === null) error = e;
    }
  }
  for (const s of sent) {
    try {
      results[s.index] = finish(s, rpc.wait_reply(s.rank, s.id, s.what, pl.timeout));
    } catch (e) {
      if (error === null) error = e;
    }
  }
  if (error !== null) throw error;
  return pl.reducer === null ? results : pl.reducer(results);
}

/** The asynchronous form of remote_sync_call: a Promise of the reduced results. */
export async function remote_async_call(func: AnyFn | string, opts: CallOptions = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const pl = plan(func, opts);
  const results: unknown[] = new Array(pl.parts.length);
  const { sent, local } = dispatch(pl);
  const waits = sent.map((s) => rpc.wait_reply_async(s.rank, s.id, s.what, pl.timeout));
  let error: unknown = null;
  for (const [index, args] of local) {
    try {
      results[index] = await pl.fn(...localize(args, true));
    } catch (e) {
      if (error === null) error = e;
    }
  }
  const settled = await Promise.allSettled(waits);
  settled.forEach((r, k) => {
    if (r.status === 'rejected') {
      if (error === null) error = r.reason;
      return;
    }
    try {
      results[sent[k].index] = finish(sent[k], r.value);
    } catch (e) {
      if (error === null) error = e;
    }
  });
  if (error !== null) throw error;
  return pl.reducer === null ? results : pl.reducer(results);
}

export type ParallelizeOptions = {
  partitioner?: Partitioner | number | string | null;
  reducer?: Reducer | null;
  timeout?: number | null;
  /** The name the function is registered under (default: its own name). */
  name?: string;
};

type Parallelized<F extends AnyFn, R> = ((...args: Parameters<F>) => R) & { unwrapped: F; __todist_name__: string };

function resolveDefaults(opts: ParallelizeOptions): { partitioner: Partitioner | number | string; reducer: Reducer | null } {
  if (opts.partitioner === undefined || opts.partitioner === null) return { partitioner: batch_partitioner, reducer: opts.reducer ?? mean_reducer };
  return { partitioner: opts.partitioner, reducer: opts.reducer ?? null };
}

// Registers fn and wraps it so that a call runs `call` over the world (parallelize and
// parallelize_async differ only in that function).
function parallelized<F extends AnyFn, R>(fn: F, opts: ParallelizeOptions, call: (name: string, opts: CallOptions) => R): Parallelized<F, R> {
  const name = opts.name ?? fn.name;
  if (!name) throw new TypeError('todist.parallelize: the function has no name; pass {name}');
  register_function(name, fn);
  const { partitioner, reducer } = resolveDefaults(opts);
  const wrapped = ((...args: unknown[]) => call(name, { args, partitioner, reducer, timeout: opts.timeout })) as unknown as Parallelized<F, R>;
  Object.defineProperty(wrapped, 'name', { value: name });
  wrapped.unwrapped = fn;
  wrapped.__todist_name__ = name;
  return wrapped;
}

/**
 * Python's @todist.parallelize(partitioner, reducer, timeout) (= parallelize_sync):
 * registers fn under its name (define it at module level, so that every rank has it)
 * and returns a function that runs it over the world and returns the reduced result.
 * Without a partitioner: batch_partitioner and mean_reducer.
 */
export function parallelize(opts: ParallelizeOptions = {}) {
  return <F extends AnyFn>(fn: F): Parallelized<F, any> => parallelized(fn, opts, remote_sync_call); // eslint-disable-line @typescript-eslint/no-explicit-any
}
export const parallelize_sync = parallelize;

/** Like parallelize, but the function returns a Promise (the function itself may be async). */
export function parallelize_async(opts: ParallelizeOptions = {}) {
  return <F extends AnyFn>(fn: F): Parallelized<F, Promise<any>> => parallelized(fn, opts, remote_async_call); // eslint-disable-line @typescript-eslint/no-explicit-any
}
