// Golden kind "zero_order": naive and antithetic estimates with a fixed noise sequence;
// 'forward' against the documented estimator (not Python TorchOpt's defective code).
import { torch, torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { CaseResult, maxAbsDiff, Nested, result, t64 } from './common';

type Problem = { theta: Nested; c: Nested; noise: Nested[] };
type ZOCase = { method: 'naive' | 'forward' | 'antithetic'; sigma: number; num_samples: number; value: number; grad_estimate: Nested };

export function runZeroOrder(p: Problem, method: ZOCase['method'], sigma: number, num_samples: number): { value: number; grad: Tensor } {
  const c = t64(p.c);
  let call = 0;
  const dist = (shape: number[]) => {
    const n = t64(p.noise[call++ % p.noise.length]);
    return n.reshape(shape);
  };
  const f = torchopt.diff.zero_order.zero_order(dist, { method, num_samples, sigma })((theta: Tensor) => theta.sub(c).pow(2).sum().add(theta.pow(3).sum()));
  const theta = t64(p.theta).requires_grad_(true);
  const v = f(theta);
  v.backward();
  return { value: v.item(), grad: theta.grad! };
}

/** The documented forward-difference estimator, computed directly. */
export function forwardEstimate(p: Problem, sigma: number, num_samples: number): number[] {
  const c = t64(p.c);
  const f = (t: Tensor) => t.sub(c).pow(2).sum().add(t.pow(3).sum()).item();
  const theta = t64(p.theta);
  const f0 = f(theta);
  const acc = new Array(theta.numel()).fill(0);
  for (let k = 0; k < num_samples; k++) {
    const u = t64(p.noise[k % p.noise.length]);
    const d = (f(theta.add(u.mul(sigma))) - f0) / sigma;
    (u.tolist() as number[]).forEach((ui, i) => (acc[i] += d * ui));
  }
  return acc.map((a) => a / num_samples);
}

export function checkZeroOrderFile(doc: { problem: Problem; cases: ZOCase[] }, tol = 1e-12): CaseResult[] {
  return doc.cases.map((c) => {
    const r = runZeroOrder(doc.problem, c.method, c.sigma, c.num_samples);
    const expected = c.method === 'forward' ? forwardEstimate(doc.problem, c.sigma, c.num_samples) : c.grad_estimate;
    const err = Math.max(maxAbsDiff(r.grad, expected), Math.abs(r.value - c.value));
    return result(`${c.method} sigma=${c.sigma} n=${c.num_samples}`, err, tol, c.method === 'forward' ? 'vs the documented estimator' : undefined);
  });
}
