// Golden kind "implicit_ridge": custom_root on ridge regression with every linear solver,
// including truncated CG (maxiter=2), against TorchOpt and the closed-form gradient.
import { torch, torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { CaseResult, maxAbsDiff, Nested, result, t64 } from './common';

type Problem = { X: Nested; y: Nested; X_val: Nested; y_val: Nested; lam: number; w_init: Nested };
type ImplicitCase = { solve: string; w_star: Nested; outer_loss: number; implicit_grad_lam: number };

/** The solver from its Python spelling, e.g. "torchopt.linear_solve.solve_cg(maxiter=2)". */
export function solverFrom(spec: string): torchopt.linear_solve.LinearSolver {
  const m = /^torchopt\.linear_solve\.(\w+)\((.*)\)$/.exec(spec);
  if (!m) throw new Error(`cannot parse solver ${spec}`);
  const opts: Record<string, unknown> = {};
  for (const kv of m[2].split(',').filter((s) => s.trim())) {
    const [k, v] = kv.split('=').map((s) => s.trim());
    opts[k] = v === 'True' ? true : v === 'False' ? false : Number(v);
  }
  const f = (torchopt.linear_solve as Record<string, unknown>)[m[1]] as (o: unknown) => torchopt.linear_solve.LinearSolver;
  return f(opts);
}

export function runImplicitCase(p: Problem, solveSpec: string): { w_star: Tensor; outer_loss: number; grad_lam: number } {
  const [X, y, Xv, yv] = [p.X, p.y, p.X_val, p.y_val].map(t64);
  const objective = (w: Tensor, lam: Tensor, data: [Tensor, Tensor]) => {
    const [A, b] = data;
    return A.matmul(w).sub(b).pow(2).sum().mul(0.5).add(lam.mul(w.pow(2).sum()).mul(0.5));
  };
  // functorch.grad(objective, argnums=0): differentiable (create_graph).
  const optimality = (w: Tensor, lam: Tensor, data: [Tensor, Tensor]) =>
    torch.enable_grad(() => {
      const wr = w.requires_grad ? w : w.detach().requires_grad_(true);
      return torch.autograd.grad(objective(wr, lam, data), wr, { create_graph: true })[0]!;
    });
  const solver = torchopt.diff.implicit.custom_root(optimality, { argnums: 1, solve: solverFrom(solveSpec) })((w: Tensor, lam: Tensor, data: [Tensor, Tensor]) => {
    const [A, b] = data;
    const n = A.size(1);
    return torch.linalg.solve(A.T.matmul(A).add(torch.eye(n, { dtype: A.dtype }).mul(lam)), A.T.matmul(b));
  });
  const lam = torch.tensor(p.lam, { dtype: torch.float64, requires_grad: true });
  const wStar = solver(t64(p.w_init), lam, [X, y]) as Tensor;
  const outer = Xv.matmul(wStar).sub(yv).pow(2).sum().mul(0.5);
  const [g] = torch.autograd.grad(outer, lam);
  return { w_star: wStar, outer_loss: outer.item(), grad_lam: g!.item() };
}

export function checkImplicitFile(doc: { problem: Problem; cases: ImplicitCase[]; closed_form_grad_lam: number }, tol = 1e-10): CaseResult[] {
  return doc.cases.map((c) => {
    const r = runImplicitCase(doc.problem, c.solve);
    const err = Math.max(maxAbsDiff(r.w_star, c.w_star), Math.abs(r.outer_loss - c.outer_loss), Math.abs(r.grad_lam - c.implicit_grad_lam));
    return result(c.solve, err, tol, `closed form diff ${Math.abs(r.grad_lam - doc.closed_form_grad_lam).toExponential(2)}`);
  });
}
