// CUDA checks for a GPU machine (no jest there): run `bash scripts/cuda/run.sh` on the
// device (see README.md beside this file). Prints PASS/FAIL per check, timings, and
// exits non-zero on a failure.
import { torch, torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { FunctionCtx } from '../../lib/torch/autograd';

let failed = 0;
function check(name: string, fn: () => string | void): void {
  const t0 = Date.now();
  try {
    const note = fn();
    console.log(`PASS ${name} (${Date.now() - t0} ms)${note ? ` ${note}` : ''}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${(e as Error).stack ?? e}`);
  }
}
function assert(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}
function maxDiff(a: Tensor, b: Tensor): number {
  return a.cpu().double().sub(b.cpu().double()).abs().max().item();
}

check('CUDA is available', () => {
  assert(torch.cuda.is_available(), 'torch.cuda.is_available() is false');
  return `devices: ${torch.cuda.device_count()}, libtorch ${torch.libtorch_version}`;
});

check('ops and autograd on CUDA match the CPU', () => {
  torch.manual_seed(0);
  const a = torch.randn(64, 32, { dtype: torch.float64 });
  const w = torch.randn(32, 8, { dtype: torch.float64 });
  const run = (dev: string) => {
    const ww = w.to(dev).requires_grad_();
    const y = a.to(dev).matmul(ww).tanh().pow(2).sum();
    const [g] = torch.autograd.grad(y, ww, { create_graph: true });
    const [h] = torch.autograd.grad(g!.sum(), ww);
    return [y, g!, h!];
  };
  const c = run('cpu');
  const d = run('cuda');
  c.forEach((t, i) => assert(maxDiff(t, d[i]) < 1e-9, `value ${i} differs by ${maxDiff(t, d[i])}`));
});

check('custom Functions, hooks and nested grad run on the JS thread during CUDA backward', () => {
  class Cube extends torch.autograd.Function {
    static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
      ctx.save_for_backward(x);
      return x.pow(3);
    }
    static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
      const xx = ctx.saved_tensors[0].detach().requires_grad_();
      const [d] = torch.enable_grad(() => torch.autograd.grad(xx.pow(3).sum(), xx));
      return g.mul(d!);
    }
  }
  const x = torch.tensor([1.0, 2.0], { device: 'cuda', requires_grad: true });
  x.register_hook((g) => g.mul(10));
  Cube.apply(x).sum().backward();
  const got = x.grad!.cpu().tolist() as number[];
  assert(got[0] === 30 && got[1] === 120, `got ${got}`);
  class Bad extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, t: Tensor): Tensor {
      return t.mul(1);
    }
    static override backward(): Tensor {
      throw new Error('from backward');
    }
  }
  let msg = '';
  try {
    Bad.apply(torch.ones(1, { device: 'cuda', requires_grad: true })).sum().backward();
  } catch (e) {
    msg = (e as Error).message;
  }
  assert(msg === 'from backward', `error was '${msg}'`);
});

check('a sync loop of CUDA tensors that never disposes stays bounded', () => {
  torch.cuda.reset_peak_memory_stats();
  const before = torch.cuda.memory_allocated();
  for (let i = 0; i < 20000; i++) {
    torch.ones([256, 1024], { device: 'cuda' }).mul(2); // 2 MiB a round, left to the GC
  }
  const peak = torch.cuda.max_memory_allocated() - before;
  assert(peak < 2 ** 30, `allocated CUDA memory peaked ${peak} bytes above the start`);
  return `40 GB made; allocated CUDA memory peaked ${(peak / 2 ** 20).toFixed(0)} MiB above the start`;
});

check('fused Adam on CUDA matches the unfused formula (values and meta-gradients)', () => {
  for (const dtype of [torch.float32, torch.float64]) {
    torch.manual_seed(1);
    const shapes = [[3], [1000], [65, 7], [16385]];
    const mk = () => shapes.map((s) => torch.randn(s, { dtype, device: 'cuda' }));
    const params = mk();
    const grads = mk();
    const run = (fused: boolean) => {
      const opt = torchopt.adam(1e-2, { use_accelerated_op: fused, eps_root: 1e-8 });
      let st = opt.init(params);
      let p = params.map((t) => t.clone());
      for (let k = 0; k < 3; k++) {
        let u;
        [u, st] = opt.update(grads.map((g) => g.clone()), st, { params: p, inplace: false });
        p = torchopt.apply_updates(p, u, { inplace: false });
      }
      return p;
    };
    const a = run(false);
    const b = run(true);
    // Not 1e-12 for float64: the unfused path computes the bias correction 1 - b^count in
    // float32 as TorchOpt does (count is an int64 tensor), the fused op in double.
    const tol = dtype === torch.float64 ? 1e-6 : 1e-5;
    a.forEach((t, i) => assert(maxDiff(t, b[i]) < tol, `${dtype} tensor ${i} differs by ${maxDiff(t, b[i])}`));
  }
  const net = new torch.nn.Linear(4, 2).cuda();
  const x = torch.randn(8, 4, { device: 'cuda' });
  const metaGrad = (fused: boolean) => {
    const n = new torch.nn.Linear(4, 2).cuda();
    n.load_state_dict(net.state_dict());
    const lam = torch.tensor(0.3, { device: 'cuda', requires_grad: true });
    const opt = new torchopt.MetaAdam(n, 0.1, { use_accelerated_op: fused, eps_root: 1e-8 });
    for (let k = 0; k < 2; k++) opt.step(n(x).pow(2).mean().add(lam.mul(n.weight.pow(2).sum())));
    return torch.autograd.grad(n(x).sum(), lam)[0]!;
  };
  const d = maxDiff(metaGrad(false), metaGrad(true));
  assert(d < 1e-4, `meta-gradients differ by ${d}`);
});

check('fused Adam speed on CUDA (per tensor-update, and 100M-parameter bandwidth)', () => {
  const timeIt = (fn: () => void, reps: number) => {
    fn();
    torch.cuda.synchronize();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    torch.cuda.synchronize();
    return Number(process.hrtime.bigint() - t0) / reps;
  };
  const lines: string[] = [];
  for (const n of [10, 10000]) {
    const ps = Array.from({ length: 100 }, () => torch.randn(n, { device: 'cuda' }));
    const gs = ps.map((p) => torch.randn_like(p));
    const m = ps.map((p) => torch.zeros_like(p));
    const v = ps.map((p) => torch.zeros_like(p));
    let step = 0;
    const ns = timeIt(() => torchopt.accelerated_op.fused_adam_(ps, gs, m, v, { lr: 1e-3, count: ++step }), 200);
    lines.push(`${n} elements: ${(ns / 100).toFixed(0)} ns per tensor-update`);
  }
  const big = Array.from({ length: 100 }, () => torch.randn(1_000_000, { device: 'cuda' }));
  const gb = big.map((p) => torch.randn_like(p));
  const mb = big.map((p) => torch.zeros_like(p));
  const vb = big.map((p) => torch.zeros_like(p));
  let s2 = 0;
  const ns = timeIt(() => torchopt.accelerated_op.fused_adam_(big, gb, mb, vb, { lr: 1e-3, count: ++s2 }), 20);
  const gbps = (28 * 1e8) / ns; // bytes per ns = GB/s
  lines.push(`100M parameters: ${(ns / 1e6).toFixed(2)} ms (${gbps.toFixed(0)} GB/s of 28 bytes per parameter)`);
  return lines.join('; ');
});

console.log(failed === 0 ? 'all CUDA checks passed' : `${failed} CUDA check(s) failed`);
process.exit(failed ? 1 : 0);
