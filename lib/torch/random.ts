// Random numbers. The default generator is libtorch's CPU generator, so after
// torch.manual_seed(s) the same calls give the same numbers as Python's torch.
import { N, Native } from '../native';
import { dtype } from './dtype';
import { DeviceLike, deviceCode } from './device';
import { Tensor, wrap } from './tensor';
import { FactoryOpts } from './creation';
import { dtypeCode, FACTORY_KEYS, h, kw, shapeAndOpts } from './ops/util';

export class Generator {
  /** @internal */ readonly _g: unknown;
  constructor(device: DeviceLike = 'cpu') {
    this._g = N.generator_new(deviceCode(device));
  }
  manual_seed(seed: number | bigint): this {
    if (typeof seed === 'bigint') N.generator_manual_seed_i64(this._g, BigInt.asIntN(64, seed));
    else N.generator_manual_seed(this._g, Number(seed));
    return this;
  }
  seed(): number {
    return N.generator_seed(this._g);
  }
  initial_seed(): number {
    return N.generator_initial_seed(this._g);
  }
  get_state(): Tensor {
    return wrap(N.generator_get_state(this._g));
  }
  set_state(state: Tensor): this {
    N.generator_set_state(this._g, state._h);
    return this;
  }
}

export type RandOpts = FactoryOpts & { generator?: Generator | null };

function gen(o: { generator?: Generator | null } | undefined): unknown {
  return o?.generator ? o.generator._g : null;
}

/** Seeds the default CPU generator (and CUDA's). */
export function manual_seed(seed: number | bigint): void {
  if (typeof seed === 'bigint') N.manual_seed_i64(BigInt.asIntN(64, seed));
  else N.manual_seed(Number(seed));
}
export function seed(): number {
  return N.generator_seed(null);
}
export function initial_seed(): number {
  return N.generator_initial_seed(null);
}
export function get_rng_state(): Tensor {
  return wrap(N.generator_get_state(null));
}
export function set_rng_state(state: Tensor): void {
  N.generator_set_state(null, state._h);
}

type SizeOpts = (number | readonly number[] | RandOpts | undefined)[];

type RandFactory = {
  (...sizeAndOpts: [...number[], RandOpts]): Tensor;
  (...size: number[]): Tensor;
  (size: readonly number[], opts?: RandOpts): Tensor;
};

const RAND_KEYS = [...FACTORY_KEYS, 'generator'];

function randFactory(name: string, f: Native[string]): RandFactory {
  return (...args: SizeOpts) => {
    const [s, o] = shapeAndOpts<RandOpts>(args);
    kw(name, o, RAND_KEYS);
    return wrap(f(s, gen(o), dtypeCode(o?.dtype), deviceCode(o?.device), o?.requires_grad ?? false));
  };
}
export const rand = randFactory('rand', N.rand);
export const randn = randFactory('randn', N.randn);

/** randint(high, size) or randint(low, high, size), int64 unless a dtype is given. */
export function randint(...args: (number | readonly number[] | RandOpts)[]): Tensor {
  let opts: RandOpts | undefined;
  if (args.length && typeof args[args.length - 1] === 'object' && !Array.isArray(args[args.length - 1])) opts = args.pop() as RandOpts;
  kw('randint', opts, RAND_KEYS);
  let low = 0;
  let high: number;
  let size: readonly number[];
  if (args.length === 2) [high, size] = args as [number, number[]];
  else if (args.length === 3) [low, high, size] = args as [number, number, number[]];
  else throw new TypeError('randint(): expected (high, size) or (low, high, size)');
  return wrap(N.randint(low, high, size, gen(opts), dtypeCode(opts?.dtype), deviceCode(opts?.device), opts?.requires_grad ?? false));
}

export function randperm(n: number, opts?: RandOpts): Tensor {
  kw('randperm', opts, ['dtype', 'device', 'generator']);
  return wrap(N.randperm(n, gen(opts), dtypeCode(opts?.dtype), deviceCode(opts?.device)));
}

/** normal(mean, std, size) with numbers, or normal(mean, std) with tensors. */
export function normal(mean: number | Tensor, std: number | Tensor, size?: readonly number[] | RandOpts, opts?: RandOpts): Tensor {
  kw('normal', Array.isArray(size) ? opts : size, RAND_KEYS);
  if (typeof mean === 'number' && typeof std === 'number') {
    if (!Array.isArray(size)) throw new TypeError('normal(): with float mean and std, a size is required');
    return wrap(N.normal(mean, std, size, gen(opts), dtypeCode(opts?.dtype), deviceCode(opts?.device), opts?.requires_grad ?? false));
  }
  const o = (Array.isArray(size) ? opts : size) as RandOpts | undefined;
  if (mean instanceof Tensor && std instanceof Tensor) return wrap(N.normal_tensor(mean._h, std._h, gen(o)));
  if (mean instanceof Tensor) return wrap(N.normal_tensor_scalar(mean._h, std, gen(o)));
  return wrap(N.normal_scalar_tensor(mean, (std as Tensor)._h, gen(o)));
}

export function bernoulli(input: Tensor, p?: number | { p?: number; generator?: Generator }, opts?: { generator?: Generator }): Tensor {
  const o = typeof p === 'object' ? p : opts;
  kw('bernoulli', o, typeof p === 'object' ? ['p', 'generator'] : ['generator']);
  const prob = typeof p === 'number' ? p : p?.p;
  if (prob === undefined) return wrap(N.bernoulli(input._h, gen(o)));
  return wrap(N.bernoulli_p(input._h, prob, gen(o)));
}
export function multinomial(input: Tensor, num_samples: number, replacement = false, opts?: { generator?: Generator }): Tensor {
  return wrap(N.multinomial(input._h, num_samples, replacement, gen(opts)));
}
export function poisson(input: Tensor, opts?: { generator?: Generator }): Tensor {
  return wrap(N.poisson(input._h, gen(opts)));
}
/** @internal Gamma(alpha, 1) samples (for distributions). */
export function _standard_gamma(alpha: Tensor, opts?: { generator?: Generator }): Tensor {
  return wrap(N.standard_gamma(alpha._h, gen(opts)));
}

type GenOpt = { generator?: Generator | null };

declare module './tensor' {
  interface Tensor {
    uniform_(from?: number, to?: number, opts?: GenOpt): this;
    normal_(mean?: number, std?: number, opts?: GenOpt): this;
    bernoulli_(p?: number | Tensor, opts?: GenOpt): this;
    random_(from?: number, to?: number | null, opts?: GenOpt): this;
    exponential_(lambd?: number, opts?: GenOpt): this;
    geometric_(p: number, opts?: GenOpt): this;
    cauchy_(median?: number, sigma?: number, opts?: GenOpt): this;
    log_normal_(mean?: number, std?: number, opts?: GenOpt): this;
    bernoulli(opts?: GenOpt): Tensor;
    multinomial(num_samples: number, replacement?: boolean, opts?: GenOpt): Tensor;
  }
}

const T = Tensor.prototype;
T.uniform_ = function (from, to, opts) {
  N.uniform_(this._h, from ?? 0, to ?? 1, gen(opts));
  return this;
};
T.normal_ = function (mean, std, opts) {
  N.normal_(this._h, mean ?? 0, std ?? 1, gen(opts));
  return this;
};
T.bernoulli_ = function (p, opts) {
  N.bernoulli_(this._h, h(p ?? 0.5), gen(opts));
  return this;
};
T.random_ = function (from, to, opts) {
  if (to === undefined && from !== undefined) N.random_(this._h, 0, from, gen(opts));
  else N.random_(this._h, from ?? 0, to ?? null, gen(opts));
  return this;
};
T.exponential_ = function (l, opts) {
  N.exponential_(this._h, l ?? 1, gen(opts));
  return this;
};
T.geometric_ = function (p, opts) {
  N.geometric_(this._h, p, gen(opts));
  return this;
};
T.cauchy_ = function (m, s, opts) {
  N.cauchy_(this._h, m ?? 0, s ?? 1, gen(opts));
  return this;
};
T.log_normal_ = function (m, s, opts) {
  N.log_normal_(this._h, m ?? 1, s ?? 2, gen(opts));
  return this;
};
T.bernoulli = function (opts) {
  return wrap(N.bernoulli(this._h, gen(opts)));
};
T.multinomial = function (n, r, opts) {
  return wrap(N.multinomial(this._h, n, r ?? false, gen(opts)));
};

export type { dtype };
