// torchopt.accelerated_op: the fused Adam op (values, inplace semantics, exact first and
// second order gradients) and the multi-tensor optimizers (against torch.optim 1.13 and
// against the unfused formulas written with tensor ops here).
import { execFileSync } from 'child_process';
import * as path from 'path';
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import * as ao from '../lib/torchopt/accelerated_op';
import { expectClose, expectThrow, nodeScript } from './helpers';

const fixture = require('./fixtures/fused_reference.json');
const { autograd } = torch;
const f64 = { dtype: torch.float64 };

type Hp = { b1: number; b2: number; eps: number; eps_root: number };

/** TorchOpt's Adam op, unfused, with ordinary (differentiable) tensor ops. */
function unfusedAdamOp(mu: Tensor, nu: Tensor, g: Tensor, count: number, h: Hp): [Tensor, Tensor, Tensor] {
  const a0 = 1 / (1 - h.b1 ** count);
  const a1 = 1 / (1 - h.b2 ** count);
  const mu1 = mu.mul(h.b1).add(g.mul(1 - h.b1));
  const nu1 = nu.mul(h.b2).add(g.mul(g).mul(1 - h.b2));
  const u = mu1.mul(a0).div(nu1.mul(a1).add(h.eps_root).sqrt().add(h.eps));
  return [mu1, nu1, u];
}

function randInputs(n: number, dtype = torch.float64, seed = 0): [Tensor, Tensor, Tensor] {
  torch.manual_seed(seed);
  const mu = torch.randn([n], { dtype });
  const nu = torch.rand([n], { dtype }).mul(0.5);
  const g = torch.randn([n], { dtype });
  return [mu, nu, g];
}

const HP: Hp = { b1: 0.9, b2: 0.999, eps: 1e-3, eps_root: 1e-4 };

describe('AdamOp forward', () => {
  test.each([
    ['float64', torch.float64, 1e-12],
    ['float32', torch.float32, 1e-6],
  ])('%s: several steps and counts, eps_root != 0, in place and not', (_name, dtype, tol) => {
    for (const inplace of [true, false]) {
      const op = new ao.AdamOp({ ...HP, inplace });
      let [mu, nu, g] = randInputs(37, dtype);
      let [rm, rn] = [mu.clone(), nu.clone()];
      for (const count of [1, 2, 3, 10, 1000]) {
        g = torch.randn([37], { dtype });
        const [em, en, eu] = unfusedAdamOp(rm, rn, g, count, HP);
        const [m2, n2, u2] = op.call(mu, nu, g.clone(), count);
        expectClose(m2, em, tol, tol);
        expectClose(n2, en, tol, tol);
        expectClose(u2!, eu, tol, tol);
        [mu, nu, rm, rn] = [m2, n2, em, en];
      }
    }
  });
  test('count as a 0-dim int64 tensor (TorchOpt per-leaf counts), a bigint, or one per tensor', () => {
    const [mu, nu, g] = randInputs(5);
    const op = new ao.AdamOp({ inplace: false });
    const ref = op.call(mu, nu, g, 3)[2]!;
    expectClose(op.call(mu, nu, g, torch.tensor(3, { dtype: torch.int64 }))[2]!, ref, 0, 0);
    expectClose(op.call(mu, nu, g, 3n)[2]!, ref, 0, 0);
    const [, , us] = op.call_multi([mu, mu], [nu, nu], [g, g], [torch.tensor(3, { dtype: torch.int64 }), 7]);
    expectClose(us[0]!, ref, 0, 0);
    expectClose(us[1]!, op.call(mu, nu, g, 7)[2]!, 0, 0);
  });
  test('null updates pass through: [mu, nu, null], nothing computed', () => {
    const [mu, nu] = randInputs(3);
    for (const inplace of [true, false]) {
      const op = new ao.AdamOp({ inplace });
      const [m, n, u] = op.call(mu, nu, null, 1);
      expect(m).toBe(mu);
      expect(n).toBe(nu);
      expect(u).toBeNull();
      const [ms, ns, us] = op.call_multi([mu, mu], [nu, nu], [null, mu.clone()], 1);
      expect(ms[0]).toBe(mu);
      expect(ns[0]).toBe(nu);
      expect(us[0]).toBeNull();
      expect(us[1]).not.toBeNull();
    }
  });
  test('inplace=true mutates mu, nu, updates, returns them, builds no graph', () => {
    const [mu0, nu0, g0] = randInputs(6);
    const [em, en, eu] = unfusedAdamOp(mu0, nu0, g0, 2, HP);
    const mu = mu0.clone().requires_grad_();
    const nu = nu0.clone();
    const g = g0.clone();
    const [m, n, u] = torch.no_grad(() => new ao.AdamOp({ ...HP }).call(mu, nu, g, 2));
    expect(m).toBe(mu);
    expect(n).toBe(nu);
    expect(u).toBe(g);
    expectClose(mu, em, 1e-12);
    expectClose(nu, en, 1e-12);
    expectClose(g, eu, 1e-12);
    expect(g.grad_fn).toBeNull();
    expect(nu.requires_grad).toBe(false);
  });
  test('inplace=false leaves its inputs alone and returns new tensors with one AdamOpBackward node', () => {
    const [mu, nu, g] = randInputs(4);
    const before = [mu.tolist(), nu.tolist(), g.tolist()];
    g.requires_grad_();
    const [m, n, u] = new ao.AdamOp({ inplace: false }).call(mu, nu, g, 1);
    expect([mu.tolist(), nu.tolist(), g.detach().tolist()]).toEqual(before);
    for (const t of [m, n, u!]) expect(t.grad_fn!.name()).toBe('AdamOpBackward');
    expect(m.grad_fn!.next_functions.length).toBe(3);
    // Without grad mode or without inputs requiring grad: no node.
    expect(torch.no_grad(() => new ao.AdamOp({ inplace: false }).call(mu, nu, g, 1))[2]!.grad_fn).toBeNull();
    expect(new ao.AdamOp({ inplace: false }).call(mu, nu, g.detach(), 1)[2]!.grad_fn).toBeNull();
  });
  test('float16 and bfloat16 on CPU (computed in float)', () => {
    const [mu, nu, g] = randInputs(50, torch.float32);
    const [, , eu] = unfusedAdamOp(mu, nu, g, 2, HP);
    for (const dt of [torch.float16, torch.bfloat16]) {
      const [, , u] = new ao.AdamOp({ ...HP, inplace: false }).call(mu.to(dt), nu.to(dt), g.to(dt), 2);
      expect(u!.dtype).toBe(dt);
      expectClose(u!.to(torch.float32), eu, 0.05, 0.02);
    }
  });
});

describe('AdamOp backward (exact for eps and eps_root, C++ node)', () => {
  // Loss weights for the three outputs, so that every output's gradient path is used.
  function weights(n: number): [Tensor, Tensor, Tensor] {
    torch.manual_seed(11);
    return [torch.randn([n], f64), torch.randn([n], f64), torch.randn([n], f64)];
  }
  function loss(outs: Tensor[], w: Tensor[], which: number[]): Tensor {
    let l = torch.zeros([], f64);
    for (const k of which) l = l.add(outs[k].mul(w[k]).sum());
    return l;
  }
  const cases: [string, Hp, number[]][] = [
    ['eps and eps_root, all outputs', HP, [0, 1, 2]],
    ['eps only, updates only', { b1: 0.8, b2: 0.95, eps: 1e-2, eps_root: 0 }, [2]],
    ['eps_root only, mu and updates', { b1: 0.9, b2: 0.99, eps: 0, eps_root: 1e-2 }, [0, 2]],
    ['large eps, nu only', { b1: 0.5, b2: 0.9, eps: 0.3, eps_root: 0.2 }, [1]],
  ];
  test.each(cases)('first order: %s', (_n, h, which) => {
    const n = 23;
    const w = weights(n);
    for (const count of [1, 4]) {
      const [mu0, nu0, g0] = randInputs(n, torch.float64, count);
      const ins = [mu0, nu0, g0].map((t) => t.clone().requires_grad_());
      const fused = new ao.AdamOp({ ...h, inplace: false }).call(ins[0], ins[1], ins[2], count) as Tensor[];
      const gf = autograd.grad(loss(fused, w, which), ins, { allow_unused: true });
      const refIns = [mu0, nu0, g0].map((t) => t.clone().requires_grad_());
      const gr = autograd.grad(loss(unfusedAdamOp(refIns[0], refIns[1], refIns[2], count, h), w, which), refIns, { allow_unused: true });
      for (let k = 0; k < 3; k++) {
        if (gr[k] === null) expect(gf[k] === null || gf[k]!.abs().max().item() === 0).toBe(true);
        else expectClose(gf[k]!, gr[k]!, 1e-10, 1e-10);
      }
    }
  });
  test.each(cases)('second order (grad of grad): %s', (_n, h, which) => {
    const n = 17;
    const w = weights(n);
    torch.manual_seed(5);
    const v = [torch.randn([n], f64), torch.randn([n], f64), torch.randn([n], f64)];
    const run = (f: (a: Tensor, b: Tensor, c: Tensor) => Tensor[]) => {
      const [mu0, nu0, g0] = randInputs(n, torch.float64, 3);
      const ins = [mu0, nu0, g0].map((t) => t.requires_grad_());
      const first = autograd.grad(loss(f(ins[0], ins[1], ins[2]), w, which), ins, { create_graph: true, allow_unused: true });
      // A scalar of the first-order gradients, differentiated again.
      let s = torch.zeros([], f64);
      first.forEach((gk, k) => {
        if (gk !== null) s = s.add(gk.mul(v[k]).sum()).add(gk.pow(2).sum().mul(0.1));
      });
      return autograd.grad(s, ins, { allow_unused: true });
    };
    const gf = run((a, b, c) => new ao.AdamOp({ ...h, inplace: false }).call(a, b, c, 2) as Tensor[]);
    const gr = run((a, b, c) => unfusedAdamOp(a, b, c, 2, h));
    for (let k = 0; k < 3; k++) {
      if (gr[k] === null) expect(gf[k] === null || gf[k]!.abs().max().item() === 0).toBe(true);
      else expectClose(gf[k]!, gr[k]!, 1e-9, 1e-9);
    }
  });
  test('meta-gradient through three chained steps (MetaAdam style) matches the unfused graph', () => {
    const h = { b1: 0.9, b2: 0.999, eps: 1e-8, eps_root: 1e-8 };
    const run = (step: (m: Tensor, v: Tensor, g: Tensor, c: number) => Tensor[]) => {
      torch.manual_seed(3);
      const theta = torch.randn([8], f64).requires_grad_();
      const x = torch.randn([8], f64);
      let p = theta.mul(1);
      let m = torch.zeros([8], f64);
      let v = torch.zeros([8], f64);
      for (let c = 1; c <= 3; c++) {
        const l = p.mul(x).sin().pow(2).sum();
        const [g] = autograd.grad(l, p, { create_graph: true });
        const [m2, v2, u] = step(m, v, g!, c);
        [m, v] = [m2, v2];
        p = p.sub(u.mul(0.1));
      }
      return autograd.grad(p.pow(2).sum(), theta)[0]!;
    };
    const gf = run((m, v, g, c) => new ao.AdamOp({ ...h, inplace: false }).call(m, v, g, c) as Tensor[]);
    const gr = run((m, v, g, c) => unfusedAdamOp(m, v, g, c, h));
    expectClose(gf, gr, 1e-9, 1e-9);
  });
  test('singular points (eps_root = 0, nu\' = 0): exact finite gradients where the unfused graph gives NaN', () => {
    // First step from zero moments with exact zeros in the gradient: mu' = nu' = 0 there.
    const h = { b1: 0.9, b2: 0.999, eps: 1e-8, eps_root: 0 };
    const g = torch.tensor([0.5, 0, -2], f64).requires_grad_();
    const mu = torch.zeros([3], f64).requires_grad_();
    const nu = torch.zeros([3], f64).requires_grad_();
    const [, , u] = new ao.AdamOp({ ...h, inplace: false }).call(mu, nu, g, 1);
    const [dmu, dnu, dg] = autograd.grad(u!.sum(), [mu, nu, g], { create_graph: true });
    for (const t of [dmu!, dnu!, dg!]) expect(t.isfinite().all().item()).toBe(true);
    // At g = 0: du/dmu' = (1/bc1)/eps, du/dnu' = 0 (u = 0 for every nu' when mu' = 0).
    const a0 = 1 / (1 - 0.9);
    const at1 = (t: Tensor) => (t.tolist() as number[])[1];
    expect(at1(dmu!)).toBeCloseTo(0.9 * (a0 / 1e-8), -1);
    expect(at1(dnu!)).toBe(0);
    expect(at1(dg!)).toBeCloseTo(0.1 * (a0 / 1e-8), -1);
    // The unfused formula's autograd: NaN at that element.
    const gr = g.detach().requires_grad_();
    const [, , ur] = unfusedAdamOp(mu.detach(), nu.detach(), gr, 1, h);
    expect(Number.isNaN(at1(autograd.grad(ur.sum(), gr)[0]!))).toBe(true);
    // Second order stays finite too.
    const [h2] = autograd.grad(dg!.sum(), g);
    expect(h2!.isfinite().all().item()).toBe(true);
  });
  test('backward twice fails with libtorch\'s message; a saved output changed in place is detected', () => {
    const [mu, nu, g] = randInputs(3);
    g.requires_grad_();
    const [, , u] = new ao.AdamOp({ inplace: false }).call(mu, nu, g, 1);
    const l = u!.sum();
    l.backward();
    expectThrow(() => l.backward(), 'Error', /backward through the graph a second time/);
    const [m2, , u2] = new ao.AdamOp({ inplace: false }).call(mu, nu, g, 1);
    torch.no_grad(() => m2.add_(1));
    expectThrow(() => u2!.sum().backward(), 'Error', /modified by an inplace operation/);
  });
  test('call_multi: one native call, one node per tensor, gradients per tensor', () => {
    const ins = [3, 4, 5].map((n, i) => randInputs(n, torch.float64, i).map((t) => t.requires_grad_()));
    const op = new ao.AdamOp({ ...HP, inplace: false });
    const [ms, ns, us] = op.call_multi(ins.map((x) => x[0]), ins.map((x) => x[1]), ins.map((x) => x[2]), 2);
    const l = us.reduce((acc: Tensor, u, i) => acc.add(u!.sum().mul(i + 1)).add(ms[i].sum()).add(ns[i].pow(2).sum()), torch.zeros([], f64));
    const flat = ins.flat();
    const gf = autograd.grad(l, flat);
    const ref = ins.map((x) => x.map((t) => t.detach().requires_grad_()));
    const lr = ref.reduce((acc: Tensor, x, i) => {
      const [m, n, u] = unfusedAdamOp(x[0], x[1], x[2], 2, HP);
      return acc.add(u.sum().mul(i + 1)).add(m.sum()).add(n.pow(2).sum());
    }, torch.zeros([], f64));
    const gr = autograd.grad(lr, ref.flat());
    gf.forEach((t, k) => expectClose(t!, gr[k]!, 1e-10, 1e-10));
  });
  test('strided inputs and expanded incoming gradients', () => {
    const base = torch.randn([4, 6], f64);
    const mu = base.t();
    const nu = base.abs().t().contiguous();
    const g = torch.randn([6, 4], f64).requires_grad_();
    const [, , u] = new ao.AdamOp({ ...HP, inplace: false }).call(mu, nu, g, 2);
    const [, , ue] = unfusedAdamOp(mu, nu, g, 2, HP);
    expectClose(u!, ue, 1e-12);
    // sum()'s backward hands an expanded (stride 0) gradient to the node.
    expectClose(autograd.grad(u!.sum(), g)[0]!, autograd.grad(ue.sum(), g)[0]!, 1e-10, 1e-10);
  });
});

// ---------------------------------------------------------------------------------------
// Multi-tensor optimizers
// ---------------------------------------------------------------------------------------

type State = { params: Tensor[]; bufs: Record<string, (Tensor | null)[]> };

function fresh(dtype = torch.float64): State {
  return { params: fixture.params0.map((p: number[]) => torch.tensor(p, { dtype })), bufs: {} };
}
const zerosLike = (ts: Tensor[]) => ts.map((t) => torch.zeros_like(t));

/** One fused step of torch.optim's `optim` with its options (the fixture's names). */
function fusedStep(optim: string, s: State, grads: Tensor[], opts: Record<string, unknown>, step: number): void {
  const b = s.bufs;
  if (optim === 'Adam' || optim === 'AdamW') {
    b.m ??= zerosLike(s.params);
    b.v ??= zerosLike(s.params);
    b.vmax ??= zerosLike(s.params);
    const fn = optim === 'Adam' ? ao.fused_adam_ : ao.fused_adamw_;
    fn(s.params, grads, b.m as Tensor[], b.v as Tensor[], { ...opts, count: step, max_exp_avg_sqs: b.vmax as Tensor[] });
  } else if (optim === 'SGD') {
    b.buf ??= s.params.map(() => null);
    ao.fused_sgd_(s.params, grads, b.buf, opts as never);
  } else {
    b.sq ??= zerosLike(s.params);
    b.gavg ??= zerosLike(s.params);
    b.mom ??= zerosLike(s.params);
    ao.fused_rmsprop_(s.params, grads, b.sq as Tensor[], { ...opts, grad_avgs: b.gavg as Tensor[], momentum_buffers: b.mom as Tensor[] });
  }
}

describe('multi-tensor optimizers vs torch.optim 1.13 (fixture)', () => {
  const names = Object.keys(fixture.cases);
  test.each(names)('%s: three steps, float64 to 1e-12 and float32 to 1e-6', (name) => {
    const c = fixture.cases[name];
    for (const [dtype, tol] of [[torch.float64, 1e-12], [torch.float32, 1e-6]] as const) {
      const s = fresh(dtype);
      fixture.grads.forEach((gs: number[][], t: number) => {
        fusedStep(c.optim, s, gs.map((g) => torch.tensor(g, { dtype })), c.options, t + 1);
        s.params.forEach((p, i) => expectClose(p, c.params[t][i], tol, tol));
      });
    }
  });
});

/** The unfused TorchOpt-style Adam updates (flip sign / weight decay, scale_by_adam, -lr). */
function unfusedAdamUpdates(ps: Tensor[], gs: Tensor[], m: Tensor[], v: Tensor[], o: Record<string, number | boolean>, count: number, decoupled: boolean): Tensor[] {
  const h = { b1: 0.9, b2: 0.999, eps: 1e-8, eps_root: 0, ...o } as Hp;
  return gs.map((g0, i) => {
    let g = o.maximize ? g0.neg() : g0;
    const wd = (o.weight_decay as number) ?? 0;
    if (!decoupled && wd) g = g.add(ps[i].mul(wd));
    const [m1, v1, u] = unfusedAdamOp(m[i], v[i], g, count, h);
    m[i] = m1;
    v[i] = v1;
    const step = u.mul(-(o.lr as number));
    return decoupled && wd ? step.sub(ps[i].mul((o.lr as number) * wd)) : step;
  });
}

describe('multi-tensor updates (TorchOpt style)', () => {
  test.each([
    ['adam, eps_root, weight decay, maximize', false, { lr: 0.05, eps_root: 1e-6, weight_decay: 0.1, maximize: true }],
    ['adamw', true, { lr: 0.05, weight_decay: 0.02, b1: 0.8 }],
  ] as const)('%s: returns -lr*u without touching params; in place into grads or new tensors', (_n, decoupled, o) => {
    for (const inplace of [true, false]) {
      const s = fresh();
      const p0 = s.params.map((p) => p.clone());
      const m = zerosLike(s.params);
      const v = zerosLike(s.params);
      const rm = zerosLike(s.params);
      const rv = zerosLike(s.params);
      fixture.grads.forEach((gs: number[][], t: number) => {
        const grads = gs.map((g) => torch.tensor(g, f64));
        const expected = unfusedAdamUpdates(s.params, grads, rm, rv, o, t + 1, decoupled);
        const fn = decoupled ? ao.fused_adamw : ao.fused_adam;
        const ups = fn(grads, m, v, { ...o, count: t + 1, params: s.params, inplace });
        ups.forEach((u, i) => {
          expectClose(u, expected[i], 1e-12, 1e-12);
          expect(u === grads[i]).toBe(inplace);
          expectClose(m[i], rm[i], 1e-12, 1e-12);
        });
      });
      s.params.forEach((p, i) => expect(p.equal(p0[i])).toBe(true));
    }
  });
  test('sgd and rmsprop updates equal the applied step', () => {
    for (const kind of ['sgd', 'rmsprop']) {
      const applied = fresh();
      const ret = fresh();
      const bufA: (Tensor | null)[] = [null, null];
      const bufB: (Tensor | null)[] = [null, null];
      const [sqA, sqB, gaA, gaB, mA, mB] = [0, 0, 0, 0, 0, 0].map(() => zerosLike(applied.params));
      for (const gs of fixture.grads as number[][][]) {
        const grads = gs.map((g) => torch.tensor(g, f64));
        let ups: Tensor[];
        if (kind === 'sgd') {
          const o = { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 };
          ao.fused_sgd_(applied.params, grads, bufA, o);
          ups = ao.fused_sgd(grads.map((g) => g.clone()), bufB, { ...o, params: ret.params, inplace: false });
        } else {
          const o = { lr: 0.01, centered: true, momentum: 0.5, weight_decay: 0.1 };
          ao.fused_rmsprop_(applied.params, grads, sqA, { ...o, grad_avgs: gaA, momentum_buffers: mA });
          ups = ao.fused_rmsprop(grads.map((g) => g.clone()), sqB, { ...o, grad_avgs: gaB, momentum_buffers: mB, params: ret.params });
        }
        ret.params = ret.params.map((p, i) => p.add(ups[i]));
        ret.params.forEach((p, i) => expectClose(p, applied.params[i], 1e-14, 1e-14));
      }
      if (kind === 'sgd') expect(bufA.every((b) => b !== null)).toBe(true);
    }
  });
  test('SGD first step: new buffers are set to the gradient (no dampening) and filled into the array', () => {
    const p = [torch.tensor([1, 2], f64)];
    const g = [torch.tensor([0.5, -1], f64)];
    const bufs: (Tensor | null)[] = [null];
    const out = ao.fused_sgd_(p, g, bufs, { lr: 0.1, momentum: 0.9, dampening: 0.5 });
    expect(out).toBe(bufs);
    expect(bufs[0]!.tolist()).toEqual([0.5, -1]);
    const b0 = bufs[0];
    ao.fused_sgd_(p, g, bufs, { lr: 0.1, momentum: 0.9, dampening: 0.5 });
    expect(bufs[0]).toBe(b0);
    expectClose(bufs[0]!, [0.9 * 0.5 + 0.5 * 0.5, -0.9 - 0.5], 1e-15);
  });
});

describe('multi-tensor kernels: layouts, sizes, dtypes', () => {
  function adamRef(p: Tensor, g: Tensor, m: Tensor, v: Tensor, step: number): void {
    const [m1, v1, u] = unfusedAdamOp(m, v, g, step, { b1: 0.9, b2: 0.999, eps: 1e-8, eps_root: 0 });
    m.copy_(m1);
    v.copy_(v1);
    p.sub_(u.mul(1e-2));
  }
  test('many tensors of mixed sizes incl. empty and one above the parallel grain (100k elements)', () => {
    torch.manual_seed(1);
    const sizes = [0, 1, 7, 8, 9, 33, 100000, 3];
    for (const [dtype, tol] of [[torch.float64, 1e-12], [torch.float32, 1e-6]] as const) {
      const ps = sizes.map((n) => torch.randn([n], { dtype }));
      const refs = ps.map((p) => p.clone());
      const ms = zerosLike(ps);
      const vs = zerosLike(ps);
      const rms = zerosLike(ps);
      const rvs = zerosLike(ps);
      for (let step = 1; step <= 3; step++) {
        const gs = sizes.map((n) => torch.randn([n], { dtype }));
        ao.fused_adam_(ps, gs, ms, vs, { lr: 1e-2, count: step });
        refs.forEach((r, i) => adamRef(r, gs[i], rms[i], rvs[i], step));
      }
      ps.forEach((p, i) => expectClose(p, refs[i], tol, tol));
    }
  });
  test('non-contiguous: same dense layout works in place, mixed layouts are copied and written back', () => {
    torch.manual_seed(2);
    const P = torch.randn([5, 7], f64);
    const G = torch.randn([7, 5], f64);
    const cases: [Tensor, Tensor, Tensor, Tensor][] = [
      // all transposed (dense, one layout)
      [P.clone().t(), G.clone(), torch.zeros([5, 7], f64).t(), torch.zeros([5, 7], f64).t()],
      // params a strided slice, grads expanded, moments contiguous
      [torch.zeros([7, 10], f64).get(':, ::2'), torch.randn([1, 5], f64).expand(7, 5), torch.zeros([7, 5], f64), torch.zeros([7, 5], f64)],
    ];
    for (const [p, g, m, v] of cases) {
      p.copy_(G.mul(0.3));
      const [rp, rm, rv] = [p.clone(), m.clone(), v.clone()];
      for (let step = 1; step <= 2; step++) {
        ao.fused_adam_([p], [g], [m], [v], { lr: 1e-2, count: step });
        adamRef(rp, g, rm, rv, step);
      }
      expectClose(p, rp, 1e-12);
      expectClose(m, rm, 1e-12);
      expectClose(v, rv, 1e-12);
    }
  });
  test('mixed dtypes across tensors run as separate groups; float16 works', () => {
    const ps = [torch.ones([3], f64), torch.ones([4], { dtype: torch.float32 }), torch.ones([5], { dtype: torch.float16 })];
    const gs = ps.map((p) => torch.full_like(p, 0.5));
    ao.fused_adam_(ps, gs, zerosLike(ps), zerosLike(ps), { lr: 0.1, count: 1 });
    for (const p of ps) expectClose(p.to(torch.float64), torch.full([p.numel()], 0.9, f64), 1e-3, 1e-3);
  });
  test('empty lists and empty tensors are no-ops', () => {
    ao.fused_adam_([], [], [], [], { count: 1 });
    expect(new ao.AdamOp({ inplace: false }).call_multi([], [], [], 1)).toEqual([[], [], []]);
    expect(ao.fused_sgd([], [], { lr: 0.1, momentum: 0.9 })).toEqual([]);
    const z = torch.zeros([0, 3]);
    ao.fused_adam_([z], [z], [z], [z], { count: 1 });
    expect(z.shape).toEqual([0, 3]);
  });
  test('meta tensors: checked and left alone', () => {
    const t = torch.empty([4], { device: 'meta' });
    ao.fused_adam_([t], [t], [t], [t], { count: 1 });
    const [m, n, u] = new ao.AdamOp({ inplace: false }).call(t, t, t, 1);
    for (const x of [m, n, u!]) {
      expect(x.is_meta).toBe(true);
      expect(x.shape).toEqual([4]);
    }
  });
});

describe('CPU builds', () => {
  test('the baseline build (ATEN_CPU_CAPABILITY=default) and the default choice agree', () => {
    const run = (env: Record<string, string>) =>
      JSON.parse(
        execFileSync(process.execPath, [...nodeScript(path.join(__dirname, 'scripts', 'fused_step.ts'))], {
          cwd: path.join(__dirname, '..'),
          encoding: 'utf8',
          env: { ...process.env, ...env },
        }).trim().split('\n').pop()!,
      );
    const base = run({ ATEN_CPU_CAPABILITY: 'default' });
    const best = run({});
    for (const r of [base, best]) expect(Object.keys(r).map((k) => r[k].length)).toEqual([111, 111]);
    expectClose(best['torch.float64'], base['torch.float64'], 1e-13, 1e-13);
    expectClose(best['torch.float32'], base['torch.float32'], 1e-5, 1e-5);
  }, 60000);
});

describe('is_available', () => {
  test('cpu and meta are supported; cuda only with a CUDA build and device', () => {
    expect(ao.is_available('cpu')).toBe(true);
    expect(ao.is_available(['cpu', 'meta'])).toBe(true);
    expect(ao.is_available('cuda')).toBe(torch.cuda.is_available());
    expect(ao.is_available()).toBe(torch.cuda.is_available());
    expectThrow(() => ao.is_available('tpu'), 'RangeError');
  });
});

describe('errors', () => {
  const p = () => [torch.zeros([3], f64), torch.zeros([2], f64)];
  test('list lengths, shapes, dtypes, devices, integer tensors: RangeError / TypeError / Error', () => {
    const [a, b] = p();
    expectThrow(() => ao.fused_adam_([a, b], [a], [a, b], [a, b], { count: 1 }), 'RangeError', /^fused_adam_\(\): params has 2 tensors but grads has 1$/);
    expectThrow(() => ao.fused_adam_([a, b], [a, b], [a], [a, b], { count: 1 }), 'RangeError', /exp_avgs has 1 tensors but grads has 2/);
    expectThrow(() => ao.fused_adam_([a, b], [a, a], [a, b], [a, b], { count: 1 }), 'RangeError', /params\[1\] has shape \[2\] but grads\[1\] has shape \[3\]/);
    expectThrow(() => ao.fused_adam_([a], [a], [a.float()], [a], { count: 1 }), 'TypeError', /exp_avgs\[0\] is float32 but grads\[0\] is float64/);
    const i = torch.zeros([3], { dtype: torch.int64 });
    expectThrow(() => ao.fused_sgd_([i], [i], null, { lr: 0.1 }), 'TypeError', /grads\[0\] must be a floating-point tensor, got int64/);
    expectThrow(() => ao.fused_adam_([a], [a], [torch.zeros([3], { dtype: torch.float64, device: 'meta' })], [a], { count: 1 }), 'Error', /exp_avgs\[0\] is on meta but grads\[0\] is on cpu/);
    expectThrow(() => new ao.AdamOp().call_multi([a, b], [a], [a, b], 1), 'RangeError', /^AdamOp\(\): nus has 1 tensors but mus has 2$/);
    expectThrow(() => new ao.AdamOp().call(a, b, a, 1), 'RangeError', /has shape/);
  });
  test('counts', () => {
    const [a] = p();
    expectThrow(() => new ao.AdamOp().call(a, a, a, 0), 'RangeError', /count must be >= 1/);
    expectThrow(() => new ao.AdamOp().call_multi([a, a], [a, a], [a, a], [1, 2, 3]), 'RangeError', /count has 3 entries but there are 2 tensors/);
    expectThrow(() => new ao.AdamOp().call(a, a, a, torch.ones([2], { dtype: torch.int64 })), 'TypeError', /count/);
    expectThrow(() => new ao.AdamOp().call(a, a, a, 'one' as never), 'TypeError', /count/);
    expectThrow(() => new ao.AdamOp().call(a, a, a, torch.tensor(1.5)), 'TypeError', /count/);
    // torch.optim's float32 step tensors are accepted when whole.
    const [, , u] = new ao.AdamOp({ inplace: false }).call(a, a, a.add(1), torch.tensor(2.0));
    expectClose(u!, new ao.AdamOp({ inplace: false }).call(a, a, a.add(1), 2)[2]!, 0, 0);
    expectThrow(() => ao.fused_adam_([a], [a], [a], [a], {} as never), 'TypeError', /'count'.*is required/);
  });
  test('arguments and options', () => {
    const [a] = p();
    expectThrow(() => ao.fused_adam_([a], [a, 3] as never, [a], [a], { count: 1 }), 'TypeError', /fused_adam_\(\): grads\[1\] must be a Tensor, got number/);
    expectThrow(() => ao.fused_adam_([a], a as never, [a], [a], { count: 1 }), 'TypeError', /argument 'grads' must be an array of Tensors/);
    expectThrow(() => ao.fused_adam_([a], [a], [a], [a], { count: 1, lr: -1 }), 'RangeError', /invalid lr -1/);
    expectThrow(() => new ao.AdamOp({ b1: 1 }), 'RangeError', /invalid b1 1/);
    expectThrow(() => ao.fused_adam_([a], [a], [a], [a], { count: 1, amsgrad: true }), 'TypeError', /max_exp_avg_sqs/);
    expectThrow(() => ao.fused_sgd_([a], [a], null, { lr: 0.1, nesterov: true }), 'RangeError', /Nesterov/);
    expectThrow(() => ao.fused_sgd_([a], [a], null, { lr: 0.1, momentum: 0.9 }), 'TypeError', /momentum_buffers/);
    expectThrow(() => ao.fused_rmsprop_([a], [a], [a], { centered: true }), 'TypeError', /grad_avgs/);
    expectThrow(() => ao.fused_adam([a], [a], [a], { count: 1, weight_decay: 0.1 }), 'TypeError', /params are required with weight_decay/);
    const d = torch.zeros([3], f64);
    d.dispose();
    expectThrow(() => ao.fused_adam_([a], [d], [a], [a], { count: 1 }), 'TypeError', /dispose/);
  });
});
