// Implicit differentiation, linear solvers and linalg beyond the goldens.
import { torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const f64 = { dtype: torch.float64 };
const { linalg, linear_solve } = torchopt;
const { custom_root } = torchopt.diff.implicit;

describe('linalg', () => {
  const A = torch.tensor([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]], f64);
  const b = torch.tensor([1.0, -2.0, 0.5], f64);
  const exact = torch.linalg.solve(A, b);
  test('cg on a matrix and on a matvec, with a preconditioner, over pytrees', () => {
    expectClose(linalg.cg(A, b), exact, 1e-5);
    expectClose(linalg.cg((x: Tensor) => A.matmul(x), b, null, { rtol: 1e-12 }), exact, 1e-10);
    const Minv = torch.diag(A.diag().reciprocal());
    expectClose(linalg.cg(A, b, null, { M: Minv, rtol: 1e-12 }), exact, 1e-10);
    const tree = linalg.cg({ a: A, b: torch.eye(2, f64).mul(2) }, { a: b, b: torch.tensor([2.0, 4.0], f64) }, null, { rtol: 1e-12 });
    expectClose(tree.a, exact, 1e-10);
    expectClose(tree.b, [1, 2], 1e-12);
  });
  test('cg default maxiter is 10 x the number of unknowns (not the sum of dims)', () => {
    // A 2x3 unknown (6 entries): CG on a well-conditioned SPD operator converges.
    const M = torch.eye(6, f64).mul(3).add(torch.ones(6, 6, f64).mul(0.1));
    const bb = torch.arange(6, f64).reshape(2, 3);
    const x = linalg.cg((v: Tensor) => M.matmul(v.reshape(-1)).reshape(2, 3), bb, null, { rtol: 1e-12 });
    expectClose(x.reshape(-1), torch.linalg.solve(M, bb.reshape(-1)), 1e-10);
    expectThrow(() => linalg.cg(A, b, torch.zeros(2, f64)), 'RangeError', /matching shapes/);
  });
  test('ns and ns_inv: Neumann series (ns has maxiter+1 terms, ns_inv maxiter)', () => {
    const B = torch.tensor([[0.9, 0.1], [0.05, 1.1]], f64);
    const bb = torch.tensor([1.0, 1.0], f64);
    expectClose(linalg.ns(B, bb, 60), torch.linalg.solve(B, bb), 1e-10);
    expectClose(linalg.ns((x: Tensor) => B.matmul(x), bb, 60), torch.linalg.solve(B, bb), 1e-10);
    expectClose(linalg.ns_inv(B, 60), torch.linalg.inv(B), 1e-10);
    // One term: ns gives b + (I - B) b, ns_inv gives I.
    expectClose(linalg.ns(B, bb, 1), bb.add(bb.sub(B.matmul(bb))), 1e-15);
    expectClose(linalg.ns_inv(B, 1), torch.eye(2, f64), 1e-15);
    expectClose(linalg.ns(B.mul(10), bb, 80, { alpha: 0.1 }), torch.linalg.solve(B.mul(10), bb), 1e-9);
  });
});

describe('linear_solve', () => {
  const A = torch.tensor([[3.0, 1.0], [0.5, 2.0]], f64); // not symmetric
  const mv = (x: Tensor) => A.matmul(x);
  const b = torch.tensor([1.0, 2.0], f64);
  const exact = torch.linalg.solve(A, b);
  test('solve_normal_cg handles non-symmetric A; ridge shifts the system', () => {
    expectClose(linear_solve.solve_normal_cg({ rtol: 1e-14 })(mv, b), exact, 1e-10);
    const ridge = linear_solve.solve_cg({ ridge: 1.0, rtol: 1e-14 })((x: Tensor) => torch.eye(2, f64).mul(2).matmul(x), b);
    expectClose(ridge, b.div(3), 1e-12);
  });
  test('solve_inv: exact, Neumann, scalar; it keeps coupling between leaves (TorchOpt uses only diagonal blocks)', () => {
    expectClose(linear_solve.solve_inv()(mv, b), exact, 1e-12);
    expectClose(linear_solve.solve_inv()((x: Tensor) => x.mul(4), torch.tensor(2.0, f64)), 0.5, 1e-15);
    // Two leaves coupled: [x1; x2] -> [2 x1 + x2; x1 + 3 x2].
    const coupled = (t: { p: Tensor; q: Tensor }) => ({ p: t.p.mul(2).add(t.q), q: t.p.add(t.q.mul(3)) });
    const sol = linear_solve.solve_inv()(coupled as never, { p: torch.tensor([1.0], f64), q: torch.tensor([2.0], f64) }) as { p: Tensor; q: Tensor };
    expectClose(sol.p, [0.2], 1e-12);
    expectClose(sol.q, [0.6], 1e-12);
  });
});

describe('custom_root', () => {
  // Solution of x = argmin 0.5*||x - a||^2 + 0.5*k*||x||^2  =>  x* = a / (1 + k).
  const optimality = (x: Tensor, a: Tensor, k: Tensor) => x.sub(a).add(x.mul(k));
  test('gradients w.r.t. several argnums, has_aux, and an unused non-argnums tensor', () => {
    const solver = custom_root(optimality, { argnums: [1, 2], has_aux: true })((x0: Tensor, a: Tensor, k: Tensor) => [a.div(k.add(1)), { iters: 1 }]);
    const a = torch.tensor([1.0, 2.0], { ...f64, requires_grad: true });
    const k = torch.tensor(0.5, { ...f64, requires_grad: true });
    const [x, aux] = solver(torch.zeros(2, f64), a, k) as [Tensor, { iters: number }];
    expect(aux).toEqual({ iters: 1 });
    expect(x.requires_grad).toBe(true);
    x.sum().backward();
    expectClose(a.grad!, [1 / 1.5, 1 / 1.5], 1e-8);
    // d/dk sum(a/(1+k)) = -sum(a)/(1+k)^2
    expectClose(k.grad!, -3 / 2.25, 1e-8);
  });
  test('array arguments and array solutions', () => {
    const opt2 = (x: Tensor[], ps: Tensor[]) => [x[0].sub(ps[0].mul(2)), x[1].sub(ps[1].pow(2))];
    const solver = custom_root(opt2, { argnums: 1, solve: linear_solve.solve_cg({ rtol: 1e-14 }) })((_x0: Tensor[], ps: Tensor[]) => [ps[0].mul(2), ps[1].pow(2)]);
    const p0 = torch.tensor([1.0], { ...f64, requires_grad: true });
    const p1 = torch.tensor([3.0], { ...f64, requires_grad: true });
    const [y0, y1] = solver([torch.zeros(1, f64), torch.zeros(1, f64)], [p0, p1]) as Tensor[];
    y0.add(y1).sum().backward();
    expectClose(p0.grad!, [2], 1e-10);
    expectClose(p1.grad!, [6], 1e-10);
  });
  test('argnums 0 is refused; argnums arguments must be tensors', () => {
    expectThrow(() => custom_root(optimality, { argnums: 0 }), 'RangeError', /argnums/);
    const solver = custom_root(optimality, { argnums: 1 })((_x: Tensor, a: unknown) => a as Tensor);
    expectThrow(() => solver(torch.zeros(1), 'nope'), 'TypeError', /should be a Tensor/);
  });
});
