// Shared pieces of the golden checks: tensors from JSON, error measures, results.
import { torch } from '../../lib';
import type { Tensor } from '../../lib/torch';

export type Nested = number | Nested[];
export type CaseResult = { name: string; maxErr: number; tol: number; pass: boolean; note?: string };

export function t64(x: Nested): Tensor {
  return torch.tensor(x as number[], { dtype: torch.float64 });
}

export function flatNums(x: unknown, out: number[] = []): number[] {
  if (Array.isArray(x)) for (const e of x) flatNums(e, out);
  else if (x instanceof torch.Tensor) flatNums(x.tolist(), out);
  else out.push(x as number);
  return out;
}

/** Largest |a - b| over two trees of tensors/numbers (Infinity if the sizes differ). */
export function maxAbsDiff(actual: unknown, expected: unknown): number {
  const a = flatNums(actual);
  const e = flatNums(expected);
  if (a.length !== e.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (Number.isNaN(d)) return Infinity;
    if (d > m) m = d;
  }
  return m;
}

export function result(name: string, maxErr: number, tol: number, note?: string): CaseResult {
  return { name, maxErr, tol, pass: maxErr <= tol, note };
}
