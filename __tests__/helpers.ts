// Test helpers: compare tensors or nested arrays with expected values.
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';

export const ref = require('./fixtures/torch_reference.json');

type Nested = number | boolean | Nested[];

function flat(x: Nested, out: number[] = []): number[] {
  if (Array.isArray(x)) for (const e of x) flat(e, out);
  else out.push(typeof x === 'boolean' ? (x ? 1 : 0) : x);
  return out;
}
function shapeOf(x: Nested): number[] {
  const s: number[] = [];
  while (Array.isArray(x)) {
    s.push(x.length);
    if (x.length === 0) break;
    x = x[0];
  }
  return s;
}

/** Asserts |actual - expected| <= atol + rtol*|expected| elementwise, and equal shapes. */
export function expectClose(actual: Tensor | Nested, expected: Tensor | Nested, atol = 1e-6, rtol = 1e-6): void {
  const a = actual instanceof torch.Tensor ? actual.tolist() : actual;
  const e = expected instanceof torch.Tensor ? expected.tolist() : expected;
  expect(shapeOf(a as Nested)).toEqual(shapeOf(e as Nested));
  const fa = flat(a as Nested);
  const fe = flat(e as Nested);
  expect(fa.length).toBe(fe.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < fa.length; i++) {
    const ok = Object.is(fa[i], fe[i]) || (Number.isNaN(fa[i]) && Number.isNaN(fe[i])) || Math.abs(fa[i] - fe[i]) <= atol + rtol * Math.abs(fe[i]);
    if (!ok && Math.abs(fa[i] - fe[i]) >= worst) {
      worst = Math.abs(fa[i] - fe[i]);
      at = i;
    }
  }
  if (at >= 0) throw new Error(`values differ at flat index ${at}: got ${fa[at]}, expected ${fe[at]} (|diff| ${worst})`);
}

/** Asserts fn throws an error of the given class name (checked by name: errors made by
 * the addon belong to Node's main realm, not jest's test realm) and message. */
export function expectThrow(fn: () => unknown, name: 'Error' | 'TypeError' | 'RangeError', message?: RegExp | string): void {
  let caught: unknown = undefined;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) throw new Error(`expected a ${name} to be thrown`);
  const err = caught as Error;
  expect(err.name).toBe(name);
  if (message !== undefined) expect(err.message).toMatch(message);
}

/** Node arguments that run a helper script: jest runs the .ts through ts-node; the suites
 * compiled to JS (scripts/cuda/mini-jest on the GPU machine, which has no npm) run its
 * compiled sibling. */
export function nodeScript(tsPath: string): string[] {
  return __filename.endsWith('.js') ? [tsPath.replace(/\.ts$/, '.js')] : ['-r', 'ts-node/register/transpile-only', tsPath];
}
