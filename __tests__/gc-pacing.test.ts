// GC pacing: minor collections every few thousand tensors (or MiB) made and left to the
// GC, adapting to how much garbage they find (lib/torch/gc.ts, csrc/core/gc_pacing.cpp).
import * as vm from 'vm';
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import type { FunctionCtx } from '../lib/torch/autograd';
import { expectThrow } from './helpers';

const DEFAULT = { tensors: 1000, bytes: 4 << 20, adaptive: true };

afterEach(() => torch.set_gc_threshold(DEFAULT));

test('pacing is on by default with the documented thresholds', () => {
  expect(torch.get_gc_threshold()).toEqual(DEFAULT);
});

test('a loop that leaves its results to the GC stays within the tensor threshold', () => {
  torch.set_gc_threshold({ tensors: 200, bytes: 0, adaptive: false });
  const a = torch.ones(3);
  const before = torch.memory();
  const c0 = torch.gc_stats().collections;
  let peak = 0;
  for (let i = 0; i < 5000; i++) {
    a.add(1);
    peak = Math.max(peak, torch.memory().tensors - before.tensors);
  }
  const s = torch.gc_stats();
  // One collection per 200 tensors made, each freeing the 200 before it.
  expect(s.collections - c0).toBeGreaterThanOrEqual(20);
  expect(s.tensors).toBe(200);
  expect(peak).toBeLessThanOrEqual(200 + 5);
  expect(torch.memory().collected - before.collected).toBeGreaterThanOrEqual(4500);
});

test('the byte threshold collects large results', () => {
  torch.set_gc_threshold({ tensors: 0, bytes: 1 << 20, adaptive: false });
  const a = torch.ones(100, 100); // 40 KB results: a collection every ~25
  const c0 = torch.gc_stats().collections;
  const before = torch.memory();
  let peakBytes = 0;
  for (let i = 0; i < 500; i++) {
    a.mul(2);
    peakBytes = Math.max(peakBytes, torch.memory().bytes - before.bytes);
  }
  expect(torch.gc_stats().collections - c0).toBeGreaterThanOrEqual(15);
  expect(peakBytes).toBeLessThan((1 << 20) + 50000);
  expect(torch.gc_stats().tensors).toBe(0);
});

test('collections that find no garbage back off; garbage brings the thresholds back', () => {
  torch.set_gc_threshold({ tensors: 100, bytes: 0, adaptive: true });
  const a = torch.arange(4);
  const kept: Tensor[] = [];
  for (let i = 0; i < 20000; i++) kept.push(a.add(i));
  const high = torch.gc_stats().tensors;
  expect(high).toBeGreaterThanOrEqual(1600); // doubled at least four times
  expect(high).toBeLessThanOrEqual(6400); // 64x at most
  // Nothing kept was freed, and every value is what was computed.
  let sum = 0;
  for (let i = 0; i < kept.length; i += 997) sum += kept[i].sum().item();
  let expected = 0;
  for (let i = 0; i < kept.length; i += 997) expected += 6 + 4 * i;
  expect(sum).toBe(expected);
  kept.length = 0;
  for (let i = 0; i < 100000 && torch.gc_stats().tensors > 100; i++) a.add(1);
  expect(torch.gc_stats().tensors).toBe(100);
});

class Square extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.save_for_backward(x);
    return x.mul(x);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.saved_tensors;
    return g.mul(x).mul(2);
  }
}

test('collections inside ops leave every result intact (a collection per tensor)', () => {
  // A small MLP's forward, first and second order gradients, with a minor GC after every
  // tensor made: the values equal those of the same computation without pacing.
  const run = () => {
    torch.manual_seed(3);
    const net = new torch.nn.Sequential(new torch.nn.Linear(5, 8), new torch.nn.Tanh(), new torch.nn.Linear(8, 2));
    const x = torch.randn(4, 5);
    // A JS Function and a hook: tensors wrapped while the engine runs JS.
    const h = Square.apply(net.forward(x) as Tensor);
    h.register_hook((g) => g.mul(0.5));
    const loss = torch.nn.functional.cross_entropy(h, torch.tensor([0, 1, 1, 0], { dtype: torch.int64 }));
    const grads = torch.autograd.grad(loss, [...net.parameters()], { create_graph: true });
    const gg = torch.autograd.grad(grads.map((g) => g!.pow(2).sum()).reduce((p, q) => p.add(q)), [...net.parameters()]);
    const parts = torch.split(torch.cat(gg.map((g) => g!.flatten())), 7);
    return { loss: loss.item(), gg: torch.cat(parts).tolist() as number[] };
  };
  torch.set_gc_threshold(null);
  const ref = run();
  torch.set_gc_threshold({ tensors: 1, bytes: 0, adaptive: false });
  const c0 = torch.gc_stats().collections;
  const got = run();
  expect(torch.gc_stats().collections - c0).toBeGreaterThan(20);
  expect(got).toEqual(ref);
});

test('null turns pacing off; bad thresholds are TypeErrors and RangeErrors', () => {
  torch.set_gc_threshold(null);
  expect(torch.get_gc_threshold()).toBeNull();
  const c0 = torch.gc_stats().collections;
  const a = torch.ones(1);
  for (let i = 0; i < 3000; i++) a.add(1);
  expect(torch.gc_stats().collections).toBe(c0);
  expect(torch.gc_stats().tensors).toBe(0);
  torch.set_gc_threshold({ bytes: 1 << 22 });
  expect(torch.get_gc_threshold()).toEqual({ tensors: 1000, bytes: 1 << 22, adaptive: true });
  expectThrow(() => torch.set_gc_threshold({ tensors: -1 }), 'RangeError', /tensors/);
  expectThrow(() => torch.set_gc_threshold({ tensors: 1.5 }), 'RangeError', /tensors/);
  expectThrow(() => torch.set_gc_threshold({ bytes: '1' as unknown as number }), 'TypeError', /bytes/);
  expectThrow(() => torch.set_gc_threshold({ adaptive: 1 as unknown as boolean }), 'TypeError', /adaptive/);
  expectThrow(() => torch.set_gc_threshold(5 as unknown as null), 'TypeError');
  expect(torch.get_gc_threshold()).toEqual({ tensors: 1000, bytes: 1 << 22, adaptive: true });
});

test('pacing leaves no gc() in this or later contexts', () => {
  // The flag that exposes V8's gc() is set only while lib/torch/gc.ts makes its context.
  if (process.execArgv.some((a) => /expose[-_]gc/.test(a))) return;
  expect(vm.runInNewContext('typeof gc')).toBe('undefined');
});
