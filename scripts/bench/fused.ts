// Fused optimizer kernels: cost of one Adam step per tensor (ns per step per tensor) for
// 100 tensors of 10 and of 10k float32 elements, 1 thread, beside Python torch 1.13 in the
// same run. Then a 100M-parameter float32 step for information.
// Run: npm run bench -- fused
import { N } from '../../lib/native';
import { torch } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { fused_adam_ } from '../../lib/torchopt/accelerated_op';
import { interleaved, PY_PRELUDE, python, table, timeNs } from './common';

torch.set_num_threads(1);
const T = 100;
const [B1, B2, EPS, LR] = [0.9, 0.999, 1e-8, 1e-3];

type Model = { p: Tensor[]; g: Tensor[]; m: Tensor[]; v: Tensor[] };
function model(n: number, count = T): Model {
  torch.manual_seed(0);
  const p = Array.from({ length: count }, () => torch.randn([n]));
  return { p, g: p.map(() => torch.randn([n]).mul(1e-2)), m: p.map((x) => torch.zeros_like(x)), v: p.map((x) => torch.zeros_like(x)) };
}

// Our multi-tensor kernel: one native call per step.
function fusedStep(s: Model): () => void {
  let step = 0;
  return () => fused_adam_(s.p, s.g, s.m, s.v, { lr: LR, b1: B1, b2: B2, eps: EPS, count: ++step });
}

// The same step as a per-tensor JS loop of in-place tensor ops (torch.optim's single-tensor Adam).
function unfusedStep(s: Model): () => void {
  let step = 0;
  return () => {
    step++;
    const bc1 = 1 - B1 ** step;
    const bc2sqrt = Math.sqrt(1 - B2 ** step);
    for (let i = 0; i < s.p.length; i++) {
      s.m[i].mul_(B1).add_(s.g[i], { alpha: 1 - B1 });
      s.v[i].mul_(B2).addcmul_(s.g[i], s.g[i], { value: 1 - B2 });
      const denom = s.v[i].sqrt().div_(bc2sqrt).add_(EPS);
      s.p[i].addcdiv_(s.m[i], denom, { value: -LR / bc1 });
      denom.dispose();
    }
  };
}

const iters = (n: number) => (n <= 10 ? 2000 : 40);

function ours(): Record<string, number> {
  const r: Record<string, number> = {};
  for (const n of [10, 10000]) {
    r[`fused_${n}`] = timeNs(fusedStep(model(n)), iters(n)) / T;
    r[`unfused_${n}`] = timeNs(unfusedStep(model(n)), iters(n) / 4) / T;
  }
  return r;
}

const py = `${PY_PRELUDE}
import math
T = ${T}
def model(n):
    torch.manual_seed(0)
    p = [torch.randn(n) for _ in range(T)]
    return p, [torch.randn(n) * 1e-2 for _ in p], [torch.zeros_like(x) for x in p], [torch.zeros_like(x) for x in p]
def foreach_step(p, g, m, v):
    st = [0]
    def f():
        st[0] += 1
        step = st[0]
        torch._foreach_mul_(m, ${B1}); torch._foreach_add_(m, g, alpha=1 - ${B1})
        torch._foreach_mul_(v, ${B2}); torch._foreach_addcmul_(v, g, g, 1 - ${B2})
        bc1 = 1 - ${B1} ** step; bc2sqrt = math.sqrt(1 - ${B2} ** step)
        denom = torch._foreach_sqrt(v); torch._foreach_div_(denom, bc2sqrt); torch._foreach_add_(denom, ${EPS})
        torch._foreach_addcdiv_(p, m, denom, -${LR} / bc1)
    return f
def optim_step(p, g):
    ps = [x.clone().requires_grad_() for x in p]
    for x, gi in zip(ps, g): x.grad = gi
    opt = torch.optim.Adam(ps, lr=${LR}, foreach=True)
    return opt.step
r = {}
for n in (10, 10000):
    it = 2000 if n <= 10 else 40
    p, g, m, v = model(n)
    r['foreach_%d' % n] = bench(foreach_step(p, g, m, v), it // 4) / T
    p, g, m, v = model(n)
    r['optim_%d' % n] = bench(optim_step(p, g), it // 4) / T
print(json.dumps(r))
`;

const { J, P } = interleaved(py, ours);

let ok = true;
for (const n of [10, 10000]) {
  ok =
    table(`Adam step, 100 tensors of ${n} float32 elements (ns per step per tensor, 1 thread)`, [
      { name: 'ours fused vs torch.optim.Adam(foreach=True)', ours: J(`fused_${n}`), peer: P(`optim_${n}`), target: n <= 10 ? 0.2 : 0.8 },
      { name: 'ours fused vs Python torch._foreach_* loop', ours: J(`fused_${n}`), peer: P(`foreach_${n}`) },
      { name: 'ours unfused (JS loop of in-place ops) vs foreach', ours: J(`unfused_${n}`), peer: P(`foreach_${n}`) },
    ]) && ok;
}

// 100M float32 parameters as 100 tensors of 1M: ours at 1 thread and at all threads.
{
  // Collect first: allocating 1.6 GB while many handles await finalization trips a V8
  // check in napi_adjust_external_memory (core issue, seen without the fused ops too).
  (globalThis as { gc?: () => void }).gc?.();
  const s = model(1_000_000);
  const step = fusedStep(s);
  const t1 = timeNs(step, 3, 3);
  const threads = require('os').cpus().length;
  torch.set_num_threads(threads);
  const tn = timeNs(step, 3, 3);
  torch.set_num_threads(1);
  for (const t of [...s.p, ...s.g, ...s.m, ...s.v]) t.dispose();
  // Python torch.optim.Adam(foreach=True) on the same model, 1 thread, for context.
  const peer = python(`${PY_PRELUDE}
ps = [torch.randn(1000000).requires_grad_() for _ in range(100)]
for p in ps: p.grad = torch.randn(1000000) * 1e-2
opt = torch.optim.Adam(ps, lr=1e-3, foreach=True)
print(json.dumps({'t': bench(opt.step, 2, 3)}))
`);
  // 28 bytes move per parameter: p, g, m, v read, p, m, v written.
  const gbs = (ns: number) => (2.8e9 / ns).toFixed(1);
  console.log(
    `\n100M float32 parameters (100 x 1M), one fused Adam step: ${(t1 / 1e6).toFixed(1)} ms at 1 thread (${gbs(t1)} GB/s), ` +
      `${(tn / 1e6).toFixed(1)} ms at ${threads} threads (${gbs(tn)} GB/s); ` +
      `Python torch.optim.Adam(foreach=True) at 1 thread: ${peer ? `${(peer.t / 1e6).toFixed(1)} ms` : '-'}`,
  );
}
console.log(`\nlibtorch ${torch.libtorch_version}; Node ${process.version}; fused CPU kernels: ${N.fused_cpu_kernels()}`);
process.exitCode = ok ? 0 : 1;
