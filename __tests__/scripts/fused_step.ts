// Child process of accelerated_op.test.ts: one step of every fused kernel on fixed data,
// printed as JSON, so that the test can compare the baseline and the AVX2 CPU builds
// (chosen once per process; ATEN_CPU_CAPABILITY=default forces the baseline).
import { torch } from '../../lib';
import * as ao from '../../lib/torchopt/accelerated_op';

const out: Record<string, number[]> = {};
for (const dtype of [torch.float32, torch.float64]) {
  const n = 37; // four full vectors of float32 and a tail
  const mk = (s: number) => torch.arange(n, { dtype }).mul(s).sin();
  const [p, g, m, v] = [mk(0.3), mk(0.7), mk(0.11).mul(0.1), mk(0.13).abs().mul(0.01)];
  const name = dtype.toString();
  ao.fused_adam_([p], [g], [m], [v], { lr: 0.1, count: 3, weight_decay: 0.1, eps_root: 1e-6 });
  const bufs: (torch.Tensor | null)[] = [mk(0.5)];
  ao.fused_sgd_([p], [g], bufs, { lr: 0.1, momentum: 0.9, nesterov: true });
  ao.fused_rmsprop_([p], [g], [v], { lr: 0.01, centered: true, grad_avgs: [mk(0.2).mul(0.01)], momentum: 0.5, momentum_buffers: [mk(0.9)] });
  const [mu, nu, u] = new ao.AdamOp({ inplace: false, eps_root: 1e-4 }).call(m, v, g.requires_grad_(), 2);
  const [dg] = torch.autograd.grad(u!.sum().add(mu.sum()).add(nu.sum()), g);
  out[name] = [...(p.tolist() as number[]), ...(u!.tolist() as number[]), ...(dg!.tolist() as number[])];
}
console.log(JSON.stringify(out));
