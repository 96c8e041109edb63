// World / process information, read once from the environment set by the launcher
// (torchopt-node-run) or torchrun: RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE.
// Defaults describe a single process (0/1/0/1), as in Python TorchOpt.

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`todist: environment variable ${name} must be a non-negative integer, got '${v}'`);
  return n;
}

export type WorkerNameFormat = (rank: number, world_size: number) => string;

/** The default worker name: `worker{rank}` zero-padded to the width of world_size. */
export const default_worker_name_format: WorkerNameFormat = (rank, world_size) => `worker${String(rank).padStart(String(world_size).length, '0')}`;

let nameFormat: WorkerNameFormat = default_worker_name_format;
/** @internal Set by auto_init_rpc. */
export function _set_worker_name_format(f: WorkerNameFormat): void {
  nameFormat = f;
}

/** Python's WorldInfo(world_rank, world_size, local_rank, local_world_size). */
export class WorldInfo {
  constructor(
    readonly world_rank: number,
    readonly world_size: number,
    readonly local_rank: number,
    readonly local_world_size: number,
  ) {
    Object.freeze(this);
  }
  /** Alias of world_rank. */
  get rank(): number {
    return this.world_rank;
  }
  /** This process's worker name (`worker0`, `worker1`, ...). */
  get worker_name(): string {
    return nameFormat(this.world_rank, this.world_size);
  }
  toString(): string {
    return `WorldInfo(world_rank=${this.world_rank}, world_size=${this.world_size}, local_rank=${this.local_rank}, local_world_size=${this.local_world_size})`;
  }
}

let info: WorldInfo | null = null;

/** The world of this process, read from the environment once. */
export function get_world_info(): WorldInfo {
  if (info === null) {
    const world_size = envInt('WORLD_SIZE', 1);
    const world_rank = envInt('RANK', 0);
    const local_world_size = envInt('LOCAL_WORLD_SIZE', world_size);
    const local_rank = envInt('LOCAL_RANK', world_rank % Math.max(1, local_world_size));
    if (world_rank >= world_size) throw new RangeError(`todist: RANK=${world_rank} is not below WORLD_SIZE=${world_size}`);
    info = new WorldInfo(world_rank, world_size, local_rank, local_world_size);
  }
  return info;
}

export function get_world_rank(): number {
  return get_world_info().world_rank;
}
export const get_rank = get_world_rank;
export function get_world_size(): number {
  return get_world_info().world_size;
}
export function get_local_rank(): number {
  return get_world_info().local_rank;
}
export function get_local_world_size(): number {
  return get_world_info().local_world_size;
}

/**
 * A worker's rank from its id: a rank passes through; a name (`worker1`, or any name
 * the worker-name format gives) is looked up; null/undefined is this process.
 */
export function get_worker_id(id?: string | number | null): number {
  if (id === null || id === undefined) return get_world_rank();
  if (typeof id === 'number') {
    if (!Number.isInteger(id) || id < 0 || id >= get_world_size()) throw new RangeError(`todist: no worker with id ${id} (world size ${get_world_size()})`);
    return id;
  }
  const n = get_world_size();
  for (let r = 0; r < n; r++) if (nameFormat(r, n) === id) return r;
  throw new RangeError(`todist: no worker named '${id}'`);
}

type Fn = (...args: never[]) => unknown;

function runOn<F extends Fn>(pred: (rank: number) => boolean, func: F): (...args: Parameters<F>) => ReturnType<F> | undefined {
  const wrapped = function (this: unknown, ...args: Parameters<F>): ReturnType<F> | undefined {
    if (pred(get_world_rank())) return func.apply(this, args) as ReturnType<F>;
    return undefined;
  };
  Object.defineProperty(wrapped, 'name', { value: func.name });
  return wrapped;
}

/** A decorator: the function runs only on the given ranks (elsewhere it returns undefined). */
export function on_rank(...ranks: number[]) {
  const set = new Set(ranks);
  return <F extends Fn>(func: F) => runOn((r) => set.has(r), func);
}
/** A decorator: the function runs everywhere except on the given ranks. */
export function not_on_rank(...ranks: number[]) {
  const set = new Set(ranks);
  return <F extends Fn>(func: F) => runOn((r) => !set.has(r), func);
}
/** Runs the function only on rank 0. */
export function rank_zero_only<F extends Fn>(func: F): (...args: Parameters<F>) => ReturnType<F> | undefined {
  return runOn((r) => r === 0, func);
}
/** Runs the function on every rank but 0. */
export function rank_non_zero_only<F extends Fn>(func: F): (...args: Parameters<F>) => ReturnType<F> | undefined {
  return runOn((r) => r !== 0, func);
}
/** Runs the function on every rank (Python's rank_all). */
export function rank_all<F extends Fn>(func: F): (...args: Parameters<F>) => ReturnType<F> | undefined {
  return runOn(() => true, func);
}
