// Golden kind "meta_unrolled": MetaSGD/MetaAdam inner steps on nn.Linear(3, 2) with a
// meta-parameter lam in the inner loss; outer loss and meta-gradients through the steps.
import { torch, torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { CaseResult, maxAbsDiff, Nested, result, t64 } from './common';

type Problem = { weight0: Nested; bias0: Nested; X_tr: Nested; Y_tr: Nested; X_val: Nested; Y_val: Nested; lam0: number };
type MetaCase = {
  optimizer: string;
  kwargs: Record<string, unknown>;
  inner_steps: number;
  inner_losses: number[];
  inner_params: Nested[][];
  outer_loss: number;
  meta_grad_lam: number;
  meta_grad_weight0: Nested;
  meta_grad_bias0: Nested;
};

export function runMetaCase(p: Problem, c: MetaCase, extra: Record<string, unknown> = {}): { inner_losses: number[]; inner_params: Tensor[][]; outer_loss: number; meta_grad_lam: number; meta_grad_weight0: Tensor; meta_grad_bias0: Tensor } {
  const net = new torch.nn.Linear(3, 2, { dtype: torch.float64 });
  torch.no_grad(() => {
    net.weight.copy_(t64(p.weight0));
    net.bias!.copy_(t64(p.bias0));
  });
  const w0 = net.weight;
  const b0 = net.bias!;
  const lam = torch.tensor(p.lam0, { dtype: torch.float64, requires_grad: true });
  const name = c.optimizer.replace(/^torchopt\./, '');
  const Cls = (torchopt as unknown as Record<string, new (m: unknown, lr: unknown, opts: unknown) => torchopt.MetaOptimizer>)[name];
  if (typeof Cls !== 'function') throw new Error(`unknown meta-optimizer ${c.optimizer}`);
  const { lr, ...rest } = c.kwargs;
  const opt = new Cls(net, lr, { ...rest, ...extra });
  const [Xtr, Ytr, Xval, Yval] = [p.X_tr, p.Y_tr, p.X_val, p.Y_val].map(t64);
  const losses: number[] = [];
  const params: Tensor[][] = [];
  for (let k = 0; k < c.inner_steps; k++) {
    const loss = torch.nn.functional.mse_loss(net(Xtr), Ytr).add(lam.mul(net.weight.pow(2).sum()));
    losses.push(loss.item());
    opt.step(loss);
    params.push([net.weight.detach().clone(), net.bias!.detach().clone()]);
  }
  const outer = torch.nn.functional.mse_loss(net(Xval), Yval);
  const [gl, gw, gb] = torch.autograd.grad(outer, [lam, w0, b0]);
  return { inner_losses: losses, inner_params: params, outer_loss: outer.item(), meta_grad_lam: gl!.item(), meta_grad_weight0: gw!, meta_grad_bias0: gb! };
}

export function checkMetaFile(doc: { problem: Problem; cases: MetaCase[] }, tol = 1e-12): CaseResult[] {
  // MetaAdam cases run twice: plain, and through the fused op's C++ backward.
  const runs = doc.cases.flatMap((c) => (c.optimizer === 'torchopt.MetaAdam' ? [[c, {}], [c, { use_accelerated_op: true }]] : [[c, {}]])) as [MetaCase, Record<string, unknown>][];
  return runs.map(([c, extra]) => {
    const r = runMetaCase(doc.problem, c, extra);
    const err = Math.max(
      maxAbsDiff(r.inner_losses, c.inner_losses),
      maxAbsDiff(r.inner_params, c.inner_params),
      Math.abs(r.outer_loss - c.outer_loss),
      Math.abs(r.meta_grad_lam - c.meta_grad_lam),
      maxAbsDiff(r.meta_grad_weight0, c.meta_grad_weight0),
      maxAbsDiff(r.meta_grad_bias0, c.meta_grad_bias0),
    );
    return result(`${c.optimizer}(${JSON.stringify({ ...c.kwargs, ...extra })}) x${c.inner_steps}`, err, tol);
  });
}
