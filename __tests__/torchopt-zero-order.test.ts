// Zero-order differentiation beyond the goldens: estimators converge to the analytic
// gradient, the forward estimator follows its documented formula, options and errors.
import { torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const { zero_order } = torchopt.diff.zero_order;
const f64 = { dtype: torch.float64 };

// f(θ) = Σ (θ - c)² has gradient 2(θ - c).
const c = torch.tensor([0.5, -1.0, 2.0], f64);
const quad = (theta: Tensor) => theta.sub(c).pow(2).sum();

describe.each(['naive', 'forward', 'antithetic'] as const)('%s', (method) => {
  test('with many samples the estimate approaches the analytic gradient', () => {
    const g = new torch.Generator().manual_seed(1);
    const sample = (shape: number[]) => torch.randn(shape, { dtype: torch.float64, generator: g });
    const n = method === 'naive' ? 40000 : 20000;
    const f = zero_order(sample, { method, num_samples: n, sigma: 0.1 })(quad);
    const theta = torch.tensor([1.0, 0.0, 1.0], { ...f64, requires_grad: true });
    f(theta).backward();
    const exact = theta.detach().sub(c).mul(2);
    // Standard error ~ |f|/σ/sqrt(n) for naive (large), much smaller with baselines.
    const tol = method === 'naive' ? 1.5 : method === 'forward' ? 0.15 : 0.1; // ~4 standard errors
    expect(theta.grad!.sub(exact).abs().max().item()).toBeLessThan(tol);
  });
});

test('the forward estimator is mean_k (f(θ+σu_k) - f(θ)) / σ · u_k', () => {
  const noises = [torch.tensor([1.0, 0.0, -1.0], f64), torch.tensor([0.5, 2.0, 0.0], f64)];
  let k = 0;
  const f = zero_order(() => noises[k++], { method: 'forward', num_samples: 2, sigma: 0.5 })(quad);
  const theta = torch.tensor([1.0, 0.0, 1.0], { ...f64, requires_grad: true });
  f(theta).backward();
  const f0 = quad(theta.detach()).item();
  const expected = noises.map((u) => u.mul((quad(theta.detach().add(u.mul(0.5))).item() - f0) / 0.5)).reduce((a, b) => a.add(b)).div(2);
  expectClose(theta.grad!, expected, 1e-12);
});

test('argnums choose the differentiated arguments; a distribution object with sample(shape)', () => {
  const dist = { sample: (shape: number[] = []) => torch.ones(shape, f64) };
  const f = zero_order(dist, { method: 'antithetic', argnums: [1], num_samples: 1, sigma: 1.0 })((a: Tensor, b: Tensor) => a.mul(b).sum());
  const a = torch.tensor([2.0, 3.0], { ...f64, requires_grad: true });
  const b = torch.tensor([1.0, 1.0], { ...f64, requires_grad: true });
  f(a, b).backward();
  // (f(b+1) - f(b-1)) / 2 · 1 = sum(a) = 5 per entry.
  expectClose(b.grad!, [5, 5], 1e-12);
  expect(a.grad).toBeNull();
});

test('errors: non-scalar output, bad method, bad distribution', () => {
  const f = zero_order(() => torch.zeros(2), {})((t: Tensor) => t.mul(2));
  expectThrow(() => f(torch.ones(2, { requires_grad: true })), 'RangeError', /scalar/);
  expectThrow(() => zero_order(() => 0, { method: 'bad' as never }), 'RangeError', /method/);
  expectThrow(() => zero_order(42 as never), 'TypeError', /distribution/);
});
