// Per-op overhead: JS call -> libtorch -> back, beside Python torch 1.13 in the same run.
// Run: npx ts-node scripts/bench/overhead.ts
import { torch } from '../../lib';
import { interleaved, PY_PRELUDE, table, timeNs } from './common';

torch.set_num_threads(1);
const N = 200000;
const a = torch.ones(1);
const b = torch.ones(1);
const A = torch.ones(100, 100);
const B = torch.ones(100, 100);
const c = torch.ones(1);

// Collects the garbage of the previous measurement first (run.js passes --expose-gc): a
// loop that leaves 1.4M tensors to the GC would otherwise bill their collection to the
// loop measured after it. The GC-path loops still pay for their own garbage.
const settle = (f: () => number): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return f();
};

function ours(): Record<string, number> {
  return {
    add_gc: settle(() => timeNs(() => void a.add(b), N)),
    add_dispose: settle(() => timeNs(() => a.add(b).dispose(), N)),
    add_tidy: settle(() => timeNs(() => torch.tidy(() => {
      for (let i = 0; i < 100; i++) a.add(b);
    }), N / 100) / 100),
    add_inplace: settle(() => timeNs(() => void c.add_(b), N)),
    mul100_gc: settle(() => timeNs(() => void A.mul(B), N / 10)),
  };
}

const py = `${PY_PRELUDE}
a = torch.ones(1); b = torch.ones(1); c = torch.ones(1)
A = torch.ones(100, 100); B = torch.ones(100, 100)
N = ${N}
r = {}
r['add'] = bench(lambda: a + b, N)
r['add_inplace'] = bench(lambda: c.add_(b), N)
r['mul100'] = bench(lambda: torch.mul(A, B), N // 10)
print(json.dumps(r))
`;

const { J, P } = interleaved(py, ours);

const ok = table('Per-op overhead (median ns per call, 1 thread)', [
  { name: 'a.add(b), 1 element, result left to the GC', ours: J('add_gc'), peer: P('add'), target: 1.2 },
  { name: 'a.add(b), 1 element, then dispose()', ours: J('add_dispose'), peer: P('add'), target: 1.0 },
  { name: 'a.add(b), 1 element, inside torch.tidy', ours: J('add_tidy'), peer: P('add'), target: 1.0 },
  { name: 'a.add_(b), 1 element, in place', ours: J('add_inplace'), peer: P('add_inplace'), target: 0.7 },
  { name: 'a.mul(b), 100x100, result left to the GC', ours: J('mul100_gc'), peer: P('mul100'), target: 2.0 },
]);
console.log(`\nlibtorch ${torch.libtorch_version}; Node ${process.version}`);
process.exitCode = ok ? 0 : 1;
