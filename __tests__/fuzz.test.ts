// Calls ops with random shapes, dtypes, devices and argument kinds (thousands of calls):
// every failure must be a JS error; the process must not crash or abort.
import { writeSync } from 'fs';
import { inspect } from 'util';
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';

// A small deterministic PRNG (mulberry32) so failures reproduce.
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// TORCHOPT_NODE_FUZZ_TRACE=1 prints each call before it is made (to find one that kills
// the process on another machine).
const trace = process.env.TORCHOPT_NODE_FUZZ_TRACE
  ? (i: number, name: string, self: unknown, args: unknown[]) => {
      const show = (a: unknown) => (a instanceof torch.Tensor ? `Tensor(${JSON.stringify(a.shape)}, ${a.dtype}, ${a.device})` : inspect(a));
      writeSync(2, `${i} ${self === undefined ? '' : show(self) + '.'}${name}(${args.map(show).join(', ')})\n`);
    }
  : undefined;

const dtypes = [torch.float32, torch.float64, torch.int64, torch.int32, torch.bool, torch.float16, torch.uint8];

test('random op calls raise JS errors only', () => {
  const r = rng(1234);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const randShape = (): number[] => Array.from({ length: Math.floor(r() * 4) }, () => Math.floor(r() * 4));
  const randTensor = (): Tensor => {
    const t = torch.randn(randShape());
    return r() < 0.8 ? t.to(pick(dtypes)) : t.requires_grad_(true);
  };
  const junk: unknown[] = [undefined, null, 'x', {}, [], [1, 'a'], NaN, Infinity, -1, 2.5, 1e12, true, () => 1, Symbol('s'), 10n];
  const randArg = (): unknown => {
    const k = r();
    if (k < 0.45) return randTensor();
    if (k < 0.65) return Math.floor(r() * 7) - 3;
    if (k < 0.75) return randShape();
    if (k < 0.8) return pick(dtypes);
    if (k < 0.85) return pick(['cpu', 'cuda', 'cuda:3', 'meta']);
    return pick(junk);
  };
  const methods = Object.getOwnPropertyNames(torch.Tensor.prototype).filter((n) => {
    const d = Object.getOwnPropertyDescriptor(torch.Tensor.prototype, n)!;
    return typeof d.value === 'function' && !['constructor', 'dispose', 'register_hook', 'backward'].includes(n);
  });
  const fns = Object.keys(torch).filter((k) => typeof (torch as Record<string, unknown>)[k] === 'function' && /^[a-z]/.test(k) && !['manual_seed', 'set_num_threads', 'set_default_dtype', 'set_rng_state', 'set_grad_enabled', 'set_printoptions', 'tidy', 'set_gc_threshold'].includes(k));
  expect(methods.length).toBeGreaterThan(150);
  // A minor GC every few tensors: collections land inside ops and their error paths.
  torch.set_gc_threshold({ tensors: 5, bytes: 0, adaptive: false });
  let calls = 0;
  let errors = 0;
  for (let i = 0; i < 4000; i++) {
    const nargs = Math.floor(r() * 4);
    const args = Array.from({ length: nargs }, randArg);
    try {
      if (r() < 0.6) {
        const t = randTensor();
        const m = pick(methods);
        trace?.(i, m, t, args);
        (t as unknown as Record<string, (...a: unknown[]) => unknown>)[m](...args);
      } else {
        const f = pick(fns);
        trace?.(i, f, undefined, args);
        (torch as unknown as Record<string, (...a: unknown[]) => unknown>)[f](...args);
      }
    } catch (e) {
      errors++;
      // Every failure is an Error object with a message (native errors come from
      // Node's realm, so check the shape rather than instanceof).
      expect(typeof (e as Error).message).toBe('string');
      expect(['Error', 'TypeError', 'RangeError']).toContain((e as Error).name);
    }
    calls++;
  }
  expect(calls).toBe(4000);
  expect(errors).toBeGreaterThan(100);
});
