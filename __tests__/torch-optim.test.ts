// torch.optim against Python torch 1.13: several steps of SGD (momentum, dampening,
// nesterov, weight decay, maximize), Adam (amsgrad, weight decay, maximize), AdamW,
// RMSprop, Adagrad, Adamax, Adadelta, RAdam and param groups; state_dict round trips;
// option validation; zero_grad; step(closure); learning-rate schedulers.
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const O = require('./fixtures/torch_surface.json').optim;
const optim = torch.optim;
type Make = (p: Tensor[]) => InstanceType<typeof optim.Optimizer>;

const x = torch.tensor(O.x);
const y = torch.tensor(O.y);
const lossOf = (w: Tensor, b: Tensor) => x.matmul(w).add(b).sub(y).pow(2).mean();

function run(make: Make, steps: number): [Tensor, Tensor][] {
  const w = torch.tensor(O.w0).requires_grad_();
  const b = torch.tensor(O.b0).requires_grad_();
  const opt = make([w, b]);
  const hist: [Tensor, Tensor][] = [];
  for (let i = 0; i < steps; i++) {
    opt.zero_grad();
    lossOf(w, b).backward();
    opt.step();
    hist.push([w.detach().clone(), b.detach().clone()]);
  }
  return hist;
}

const configs: Record<string, [Make, number]> = {
  sgd: [(p) => new optim.SGD(p, { lr: 0.1 }), 5],
  sgd_momentum: [(p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1 }), 5],
  sgd_nesterov_wd: [(p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 0.01 }), 5],
  sgd_maximize: [(p) => new optim.SGD(p, 0.01, { maximize: true }), 3],
  adam: [(p) => new optim.Adam(p, { lr: 0.01 }), 5],
  adam_amsgrad_wd: [(p) => new optim.Adam(p, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6, weight_decay: 0.1, amsgrad: true }), 5],
  adam_maximize: [(p) => new optim.Adam(p, { lr: 0.01, maximize: true }), 3],
  adamw: [(p) => new optim.AdamW(p, { lr: 0.01, weight_decay: 0.1 }), 5],
  adamw_amsgrad: [(p) => new optim.AdamW(p, { lr: 0.01, amsgrad: true }), 5],
  rmsprop: [(p) => new optim.RMSprop(p, { lr: 0.01 }), 5],
  rmsprop_full: [(p) => new optim.RMSprop(p, { lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true, weight_decay: 0.01 }), 5],
  adagrad: [(p) => new optim.Adagrad(p, { lr: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.1 }), 5],
  adamax: [(p) => new optim.Adamax(p, { lr: 0.01, weight_decay: 0.01 }), 5],
  adadelta: [(p) => new optim.Adadelta(p, { lr: 1.0, rho: 0.8 }), 5],
  radam: [(p) => new optim.RAdam(p, { lr: 0.01, weight_decay: 0.01 }), 8],
  groups: [(p) => new optim.SGD([{ params: [p[0]] }, { params: [p[1]], lr: 0.01 }], { lr: 0.1, momentum: 0.9 }), 4],
};

describe('update rules match torch.optim step by step', () => {
  test.each(Object.keys(configs))('%s', (name) => {
    const [make, steps] = configs[name];
    const hist = run(make, steps);
    const ref = O.runs[name];
    expect(hist.length).toBe(ref.length);
    hist.forEach(([w, b], i) => {
      expectClose(w, ref[i][0], 1e-6, 1e-5);
      expectClose(b, ref[i][1], 1e-6, 1e-5);
    });
  });
});

describe('Optimizer API', () => {
  test('state_dict packs params as indices, keeps Python keys; load_state_dict restores the state', () => {
    const w = torch.tensor(O.w0).requires_grad_();
    const b = torch.tensor(O.b0).requires_grad_();
    const opt = new optim.Adam([{ params: [w] }, { params: [b], lr: 0.1 }], { lr: 0.01 });
    lossOf(w, b).backward();
    opt.step();
    const sd = opt.state_dict();
    const ref = O.adam_state_dict;
    const keys: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(sd.state)) keys[k] = Object.keys(v).sort();
    expect(keys).toEqual(ref.state_keys);
    expect((sd.state[0].step as Tensor).item()).toBe(ref.step);
    expectClose(sd.state[0].exp_avg as Tensor, ref.exp_avg0, 1e-7, 1e-6);
    expect(sd.param_groups).toEqual(ref.groups);
    // Round trip into a fresh optimizer: the next step is the same as continuing.
    const w2 = w.detach().clone().requires_grad_();
    const b2 = b.detach().clone().requires_grad_();
    const opt2 = new optim.Adam([{ params: [w2] }, { params: [b2], lr: 0.5 }], { lr: 0.5 });
    opt2.load_state_dict(sd);
    expect(opt2.param_groups[1].lr).toBe(0.1);
    expect(opt2.state.get(w2)!.exp_avg).not.toBe(sd.state[0].exp_avg);
    for (const [o, ww, bb] of [[opt, w, b], [opt2, w2, b2]] as const) {
      o.zero_grad();
      lossOf(ww, bb).backward();
      o.step();
    }
    expect(w2.equal(w)).toBe(true);
    expect(b2.equal(b)).toBe(true);
    expectThrow(() => opt2.load_state_dict({ ...sd, param_groups: sd.param_groups.slice(1) }), 'RangeError', 'loaded state dict has a different number of parameter groups');
  });
  test('zero_grad (set_to_none by default), step(closure) returns the loss, add_param_group, repr', () => {
    const w = torch.tensor(O.w0).requires_grad_();
    const b = torch.tensor(O.b0).requires_grad_();
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    expect(String(opt)).toBe(O.repr);
    const loss = opt.step(() => {
      opt.zero_grad();
      const l = lossOf(w, b);
      l.backward();
      return l;
    }) as Tensor;
    expect(loss.item()).toBeCloseTo(lossOf(torch.tensor(O.w0), torch.tensor(O.b0)).item(), 6);
    opt.zero_grad(false);
    expect(w.grad!.abs().sum().item()).toBe(0);
    opt.zero_grad();
    expect(w.grad).toBeNull();
    opt.add_param_group({ params: b, lr: 0.5 });
    expect(opt.param_groups[1]).toMatchObject({ lr: 0.5, momentum: 0.9, nesterov: false });
    expect(opt.param_groups[1].params[0]).toBe(b);
  });
  test('option and parameter validation with Python messages', () => {
    const w = torch.zeros(2, { requires_grad: true });
    expectThrow(() => new optim.SGD([w], { lr: -1 }), 'RangeError', O.err_lr[1]);
    expectThrow(() => new optim.SGD([], { lr: 0.1 }), 'RangeError', O.err_empty[1]);
    expectThrow(() => new optim.SGD([w], { lr: 0.1, nesterov: true }), 'RangeError', O.err_nesterov[1]);
    expectThrow(() => new optim.Adam([w], { betas: [1.0, 0.9] }), 'RangeError', O.err_beta[1]);
    expectThrow(() => new optim.SGD([{ params: [w] }, { params: [w] }], { lr: 0.1 }), 'RangeError', O.err_dup_group[1]);
    expectThrow(() => new optim.SGD([w]), 'RangeError', O.err_required[1]);
    expectThrow(() => new optim.SGD([w.mul(2)], { lr: 0.1 }), 'RangeError', "can't optimize a non-leaf Tensor");
    expectThrow(() => new optim.SGD(w as unknown as Tensor[], { lr: 0.1 }), 'TypeError', /should be an iterable of Tensors or dicts, but got torch.FloatTensor/);
  });
  test('parameters without gradients are skipped', () => {
    const w = torch.ones(2, { requires_grad: true });
    const v = torch.ones(2, { requires_grad: true });
    const opt = new optim.Adam([w, v], { lr: 0.1 });
    w.sum().backward();
    opt.step();
    expect(v.tolist()).toEqual([1, 1]);
    expect(opt.state.has(v)).toBe(false);
    expect(w.get(0).item()).toBeCloseTo(0.9, 6);
  });
});

describe('lr_scheduler', () => {
  const sch = optim.lr_scheduler;
  const cases: Record<string, (o: InstanceType<typeof optim.SGD>) => InstanceType<typeof sch.LRScheduler>> = {
    linear: (o) => new sch.LinearLR(o, { start_factor: 0.5, total_iters: 4 }),
    step: (o) => new sch.StepLR(o, 2, 0.5),
    exp: (o) => new sch.ExponentialLR(o, 0.9),
    multistep: (o) => new sch.MultiStepLR(o, [2, 5], 0.1),
    lambda: (o) => new sch.LambdaLR(o, (e) => 1.0 / (e + 1)),
  };
  test.each(Object.keys(cases))('%s', (name) => {
    const w = torch.zeros(2, { requires_grad: true });
    const o = new optim.SGD([w], { lr: 0.1 });
    const s = cases[name](o);
    const lrs = [o.param_groups[0].lr as number];
    for (let i = 0; i < 7; i++) {
      o.step();
      s.step();
      lrs.push(o.param_groups[0].lr as number);
    }
    expectClose(lrs, O.sched[name], 1e-15, 1e-12);
    expect(s.get_last_lr()).toEqual([lrs[lrs.length - 1]]);
  });
});
