// OO and meta optimizers, FuncOptimizer, state utilities; TorchOpt tutorial closed forms.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow, nodeScript } from './helpers';

const { nn } = torch;
const F = torch.nn.functional;

class Net extends nn.Module {
  declare a: Tensor;
  constructor(a = 1.0) {
    super();
    this.a = new nn.Parameter(torch.tensor(a));
  }
  override forward(x: Tensor): Tensor {
    return this.a.mul(x.pow(2));
  }
}

describe('torchopt.Optimizer', () => {
  test('SGD/Adam step from p.grad match the functional golden semantics; zero_grad keeps zeros', () => {
    const p = torch.tensor([1.0, 2.0], { dtype: torch.float64, requires_grad: true });
    const opt = new torchopt.SGD([p], 0.1, { momentum: 0.9 });
    for (let i = 0; i < 2; i++) {
      opt.zero_grad();
      p.pow(2).sum().backward();
      opt.step();
    }
    // momentum: step1 p -= 0.1*2p; step2 buf = 0.9*g1 + g2.
    expectClose(p, [0.46, 0.92], 1e-12);
    opt.zero_grad();
    expect(p.grad!.tolist()).toEqual([0, 0]);
    opt.zero_grad(true);
    expect(p.grad).toBeNull();
  });
  test('closure, param groups, state_dict round trip, TypeError for a non-transformation', () => {
    const a = torch.tensor([1.0], { requires_grad: true });
    const b = torch.tensor([2.0], { requires_grad: true });
    const opt = new torchopt.Adam([a], 0.1);
    opt.add_param_group([b]);
    const loss = opt.step(() => {
      const l = a.mul(b).sum();
      l.backward();
      return l;
    });
    expect(loss!.item()).toBe(2);
    expect(opt.state_groups.length).toBe(2);
    const sd = opt.state_dict();
    opt.load_state_dict(sd);
    expect(opt.state_dict()[0]).toBe(sd[0]);
    expectThrow(() => new torchopt.Optimizer([a], {} as never), 'TypeError', /is not a GradientTransformation/);
  });
  test('Tutorial 1: one Adam step lr=1 on Linear(1,1): torchopt gives w=6.6757e-06 (float32 bias correction)', () => {
    const net = new nn.Linear(1, 1);
    nn.init.ones_(net.weight);
    nn.init.zeros_(net.bias!);
    const x = torch.tensor([[2.0]]);
    const y = torch.tensor([[1.0]]);
    const opt = new torchopt.Adam(net.parameters(), 1.0);
    opt.zero_grad();
    F.mse_loss(net(x), y).backward();
    opt.step();
    expect(net.weight.item()).toBeCloseTo(6.6757e-6, 9);
    expect(net.bias!.item()).toBeCloseTo(-1.0, 4);
  });
});

describe('MetaOptimizer', () => {
  test('Tutorial 3: MetaSGD(lr=1) on a*x^2 gives x.grad = -28', () => {
    const net = new Net();
    const x = new nn.Parameter(torch.tensor(2.0));
    const optim = new torchopt.MetaSGD(net, 1.0);
    optim.step(net(x));
    net(x).backward();
    expect(x.grad!.item()).toBe(-28);
  });
  test('Tutorial 3: two tasks from a referenced state accumulate x.grad to -31; SGD state prints as EmptyState', () => {
    class Net2Tasks extends nn.Module {
      declare a: Tensor;
      constructor() {
        super();
        this.a = new nn.Parameter(torch.tensor(1.0));
      }
      task1(x: Tensor): Tensor {
        return this.a.mul(x.pow(2));
      }
      task2(x: Tensor): Tensor {
        return this.a.mul(x);
      }
    }
    const net = new Net2Tasks();
    const x = new nn.Parameter(torch.tensor(2.0));
    const optim = new torchopt.MetaSGD(net, 1.0);
    const init_net_state = torchopt.extract_state_dict(net, { by: 'reference' });
    const init_optim_state = torchopt.extract_state_dict(optim, { by: 'reference' });
    optim.step(net.task1(x));
    net.task1(x).backward();
    expect(x.grad!.item()).toBe(-28);
    torchopt.recover_state_dict(net, init_net_state);
    torchopt.recover_state_dict(optim, init_optim_state);
    optim.step(net.task2(x));
    net.task2(x).backward();
    expect(x.grad!.item()).toBe(-31);
    expect(String(optim.state_dict()[0][0])).toBe('EmptyState()');
  });
  test('Tutorial 3: MetaOptimizer(chain(clip_grad_norm(2), sgd(1))) gives x.grad = -12', () => {
    const net = new Net();
    const x = new nn.Parameter(torch.tensor(2.0));
    const optim = new torchopt.MetaOptimizer(net, torchopt.chain(torchopt.clip_grad_norm(2.0), torchopt.sgd(1.0, { moment_requires_grad: true })));
    optim.step(net(x));
    net(x).backward();
    expect(x.grad!.item()).toBeCloseTo(-12, 4);
  });
  test('Tutorial 3: MetaAdam lr=1: a = -1 after two steps, and again after recovery', () => {
    const net = new Net(1.0);
    const x = torch.tensor(2.0, { requires_grad: true });
    const opt = new torchopt.MetaAdam(net, 1.0);
    const netState = torchopt.extract_state_dict(net, { by: 'reference' });
    const optState = torchopt.extract_state_dict(opt, { by: 'reference' });
    opt.step(net(x));
    opt.step(net(x));
    expect(net.a.item()).toBeCloseTo(-1.0, 4);
    torchopt.recover_state_dict(net, netState);
    torchopt.recover_state_dict(opt, optState);
    opt.step(net(x));
    opt.step(net(x));
    expect(net.a.item()).toBeCloseTo(-1.0, 4);
    expect(String(new torchopt.MetaSGD(new Net(), 1).state_dict()[0])).toBe('UninitializedState()');
  });
  test('Tutorial 1: a differentiable functional SGD step gives meta_param.grad = 32', () => {
    const mse = (a: Tensor, b: Tensor) => a.sub(b).pow(2).mean();
    const model = (params: Tensor[], x: Tensor) => F.linear(x, params[0], params[1]);
    let params: Tensor[] = [torch.ones(1, 1, { requires_grad: true }), torch.zeros(1, { requires_grad: true })];
    const meta_param = new nn.Parameter(torch.ones(1));
    const optimizer = torchopt.sgd(1.0);
    let opt_state = optimizer.init(params);
    const xs = torch.ones(1, 1);
    const ys = torch.ones(1, 1);
    let pred = model(params, xs).add(meta_param);
    let loss = mse(pred, ys);
    const grads = torch.autograd.grad(loss, params, { create_graph: true });
    let updates;
    [updates, opt_state] = optimizer.update(grads, opt_state, { inplace: false });
    params = torchopt.apply_updates(params, updates, { inplace: false });
    pred = model(params, xs);
    loss = mse(pred, ys);
    loss.backward();
    expect(meta_param.grad!.tolist()).toEqual([32]);
  });
  test('the module computes with non-leaf parameters written into its containers', () => {
    const net = new nn.Linear(2, 1);
    const opt = new torchopt.MetaSGD(net, 0.1);
    opt.step(net(torch.ones(1, 2)).sum());
    expect(net.weight.is_leaf).toBe(false);
    expect(net.weight.grad_fn!.name()).toBe('AddBackward0');
    expect(net._parameters.get('weight')).toBe(net.weight);
    expect(net.parameters().length).toBe(2);
  });
});

describe('state utilities', () => {
  test('extract_state_dict by reference / copy / deepcopy and grad_fn links (TorchOpt test_utils)', () => {
    const net = new nn.Linear(2, 2);
    const ref = torchopt.extract_state_dict(net, { by: 'reference' });
    expect(ref.params[0].get('weight')).toBe(net.weight);
    const cp = torchopt.extract_state_dict(net, { by: 'copy' });
    const w = cp.params[0].get('weight')!;
    expect(w.grad_fn!.name()).toBe('CloneBackward0');
    expect(w.grad_fn!.next_functions[0][0]!.variable.is_same(net.weight)).toBe(true);
    const dc = torchopt.extract_state_dict(net, { by: 'deepcopy' });
    const wd = dc.params[0].get('weight')!;
    expect(wd).toBeInstanceOf(nn.Parameter);
    expect(wd.is_leaf).toBe(true);
    expect(wd.requires_grad).toBe(true);
    expect(wd.is_same(net.weight)).toBe(false);
    expect(dc.params.length).toBe(1);
  });
  test('stop_gradient and module_detach_ make leaves and keep requires_grad', () => {
    const p = torch.ones(2, { requires_grad: true });
    const y = p.mul(2);
    torchopt.stop_gradient([y]);
    expect(y.is_leaf).toBe(true);
    expect(y.requires_grad).toBe(true);
    const net = new nn.Linear(1, 1);
    const opt = new torchopt.MetaSGD(net, 0.1);
    opt.step(net(torch.ones(1, 1)).sum());
    expect(net.weight.is_leaf).toBe(false);
    torchopt.module_detach_(net);
    expect(net.weight.is_leaf).toBe(true);
  });
  test('extract_state_dict of a MetaOptimizer maps its state (by reference keeps objects)', () => {
    const net = new Net();
    const opt = new torchopt.MetaAdam(net, 0.1);
    opt.step(net(torch.tensor(1.0)));
    const s = torchopt.extract_state_dict(opt, { by: 'reference' });
    const leaves = torchopt.pytree.tree_leaves(s) as Tensor[];
    const orig = torchopt.pytree.tree_leaves(opt.state_dict()) as Tensor[];
    expect(leaves.length).toBe(orig.length);
    leaves.forEach((t, i) => expect(t).toBe(orig[i]));
    const d = torchopt.extract_state_dict(opt, { by: 'deepcopy' });
    (torchopt.pytree.tree_leaves(d) as Tensor[]).forEach((t) => expect(t.is_leaf).toBe(true));
  });
});

describe('FuncOptimizer', () => {
  test('returns new params, differentiable (create_graph)', () => {
    const p = { w: torch.tensor([1.0, -1.0], { requires_grad: true }) };
    const meta = torch.tensor(2.0, { requires_grad: true });
    const fopt = new torchopt.FuncOptimizer(torchopt.sgd(0.1));
    const loss = p.w.pow(2).sum().mul(meta);
    const np = fopt.step(loss, p);
    expectClose(np.w, [1 - 0.1 * 4, -1 + 0.1 * 4]);
    np.w.sum().backward();
    // d/dmeta sum(w - 0.1*2*meta*w) = -0.2*sum(w) = 0
    expect(meta.grad!.item()).toBeCloseTo(0, 12);
    expect(p.w.grad!.tolist()).toEqual([1 - 0.4, 1 - 0.4].map((v) => Math.fround(v)));
  });
});

test('memory stays flat over a long MAML loop with recover_state_dict (MetaAdam)', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', ...nodeScript(path.join(__dirname, 'scripts', 'maml_memory.ts')), '2000'], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  // Live tensors after the warm-up and at the end: no growth.
  expect(r.tensorsEnd).toBeLessThanOrEqual(r.tensorsWarm + 5);
  expect(r.rssEndMB - r.rssWarmMB).toBeLessThan(40);
}, 120000);

describe('keyword arguments as options', () => {
  // Python's `sgd(lr=0.5, momentum=0.9)` and `MetaSGD(net, lr=0.5)` port to one options
  // object; a keyword the function does not know is Python's TypeError, never ignored.
  const run = (make: () => torchopt.GradientTransformation) => {
    let params = [torch.tensor([1.0, -2.0], { dtype: torch.float64 })];
    const opt = make();
    let state = opt.init(params);
    for (let k = 0; k < 3; k++) {
      let u;
      [u, state] = opt.update([params[0].mul(params[0])], state, { params, inplace: false });
      params = torchopt.apply_updates(params, u, { inplace: false }) as Tensor[];
    }
    return params[0].tolist();
  };

  test('alias functions take {lr, ...} as positional lr and options do', () => {
    expect(run(() => torchopt.sgd({ lr: 0.1, momentum: 0.9 }))).toEqual(run(() => torchopt.sgd(0.1, { momentum: 0.9 })));
    expect(run(() => torchopt.adam({ lr: 0.1, betas: [0.8, 0.9] }))).toEqual(run(() => torchopt.adam(0.1, { betas: [0.8, 0.9] })));
    // No lr in the options: the alias's default, as Python's adam(betas=...).
    expect(run(() => torchopt.adam({ betas: [0.8, 0.9] }))).toEqual(run(() => torchopt.adam(1e-3, { betas: [0.8, 0.9] })));
    expect(run(() => torchopt.adam({ betas: [0.8, 0.9] }))).not.toEqual(run(() => torchopt.adam(0.1, { betas: [0.8, 0.9] })));
  });

  test('unknown keywords and a missing lr are TypeErrors', () => {
    expectThrow(() => torchopt.adam(1e-3, { beta1: 0.8 } as never), 'TypeError', "adam() got an unexpected keyword argument 'beta1'");
    expectThrow(() => torchopt.rmsprop({ lr: 0.1, momentun: 0.9 } as never), 'TypeError', "rmsprop() got an unexpected keyword argument 'momentun'");
    expectThrow(() => (torchopt.sgd as () => unknown)(), 'TypeError', "sgd() missing 1 required positional argument: 'lr'");
    expectThrow(() => torchopt.sgd({ lr: 0.1 }, { momentum: 0.9 }), 'TypeError', /options were given twice/);
    const net = new torch.nn.Linear(2, 1);
    expectThrow(() => new torchopt.Adam(net.parameters(), { lr: 0.1, moment_requires_grad: true } as never), 'TypeError', "Adam() got an unexpected keyword argument 'moment_requires_grad'");
    expectThrow(() => new torchopt.MetaSGD(net, 0.1, { nesterov_: true } as never), 'TypeError', "MetaSGD() got an unexpected keyword argument 'nesterov_'");
  });

  test('apply_updates, extract_state_dict, module_clone: a misspelt option is a TypeError', () => {
    const net = new torch.nn.Linear(2, 1);
    const ps = [torch.ones(2)];
    expectThrow(() => torchopt.apply_updates(ps, ps, { in_place: true } as never), 'TypeError', "apply_updates() got an unexpected keyword argument 'in_place'");
    expectThrow(() => torchopt.extract_state_dict(net, { by: 'copy', with_buffer: false } as never), 'TypeError', "extract_state_dict() got an unexpected keyword argument 'with_buffer'");
    const opt = torchopt.adam(0.1);
    expectThrow(() => opt.update(ps, opt.init(ps), { params: ps, in_place: false } as never), 'TypeError', "update() got an unexpected keyword argument 'in_place'");
    expectThrow(() => torchopt.chain(torchopt.clip_grad_norm(1), torchopt.sgd(0.1)).update(ps, [[], []] as never, { param: ps } as never), 'TypeError', "update() got an unexpected keyword argument 'param'");
    expectThrow(() => torchopt.module_clone(net, { mode: 'copy' } as never), 'TypeError', "module_clone() got an unexpected keyword argument 'mode'");
    expect(() => torchopt.extract_state_dict(net, { by: 'copy', with_buffers: false })).not.toThrow();
  });

  test('OO and meta optimizers: {lr} or the class default (MetaAdaMax 2e-3, AdaDelta 1.0)', () => {
    const step = (make: (net: InstanceType<typeof torch.nn.Linear>) => { step(l?: unknown): unknown; zero_grad?: () => void }, meta: boolean) => {
      torch.manual_seed(3);
      const net = new torch.nn.Linear(3, 1);
      const x = torch.randn(4, 3);
      const opt = make(net);
      for (let k = 0; k < 2; k++) {
        const loss = net.forward(x).pow(2).mean();
        if (meta) opt.step(loss);
        else {
          opt.zero_grad!();
          loss.backward();
          opt.step();
        }
      }
      return net.weight.detach().tolist();
    };
    expect(step((n) => new torchopt.MetaSGD(n, { lr: 0.5, momentum: 0.5 }), true)).toEqual(step((n) => new torchopt.MetaSGD(n, 0.5, { momentum: 0.5 }), true));
    expect(step((n) => new torchopt.MetaAdaMax(n, { betas: [0.8, 0.99] }), true)).toEqual(step((n) => new torchopt.MetaAdaMax(n, 2e-3, { betas: [0.8, 0.99] }), true));
    expect(step((n) => new torchopt.SGD(n.parameters(), { lr: 0.1 }), false)).toEqual(step((n) => new torchopt.SGD(n.parameters(), 0.1), false));
    expect(step((n) => new torchopt.AdaDelta(n.parameters(), { rho: 0.8 }), false)).toEqual(step((n) => new torchopt.AdaDelta(n.parameters(), 1.0, { rho: 0.8 }), false));
    expect(step((n) => new torchopt.AdaDelta(n.parameters(), { rho: 0.8 }), false)).not.toEqual(step((n) => new torchopt.AdaDelta(n.parameters(), 0.5, { rho: 0.8 }), false));
  });
});

describe('sgd without momentum updates and applies in one native call', () => {
  // The same transformation without its fused path (a plain GradientTransformation over
  // sgd's own init and update) must give the same bits everywhere.
  const unfused = (lr: number) => {
    const t = torchopt.sgd(lr);
    expect(t.applyFused).toBeDefined();
    return new torchopt.GradientTransformation(t.init, t.update);
  };
  const mlp = () => {
    torch.manual_seed(3);
    return new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 2));
  };
  const x = torch.randn(5, 4);
  test('SGD.step: parameters, and the grads scaled in place as TorchOpt leaves them', () => {
    const [a, b] = [mlp(), mlp()];
    const oa = new torchopt.SGD(a.parameters(), 0.3);
    const ob = new torchopt.Optimizer(b.parameters(), unfused(0.3));
    for (let k = 0; k < 3; k++) {
      for (const [net, opt] of [[a, oa], [b, ob]] as const) {
        opt.zero_grad();
        net(x).pow(2).sum().backward();
        opt.step();
      }
    }
    const pa = a.parameters(), pb = b.parameters();
    pa.forEach((p, i) => {
      expect(p.tolist()).toEqual(pb[i].tolist());
      expect(p.grad!.tolist()).toEqual(pb[i].grad!.tolist());
    });
  });
  test('MetaSGD.step: new parameters and the outer gradients through two steps', () => {
    const outer = (make: (n: InstanceType<typeof nn.Module>) => torchopt.MetaOptimizer) => {
      const net = mlp();
      const w = torch.ones(5, 1, { requires_grad: true });
      const opt = make(net);
      for (let k = 0; k < 2; k++) opt.step(net(x).mul(w).pow(2).sum());
      net(x).sum().backward();
      return [...net.parameters().map((p) => p.tolist()), w.grad!.tolist(), net.parameters()[0].grad_fn!.name()];
    };
    expect(outer((n) => new torchopt.MetaSGD(n, 0.2))).toEqual(outer((n) => new torchopt.MetaOptimizer(n, unfused(0.2))));
  });
});

test('zero_grad zeroes grads in place, cutting a create_graph grad from its graph; set_to_none unsets', () => {
  const p = torch.tensor([1, 2], { requires_grad: true });
  const q = torch.tensor([3], { requires_grad: true });
  const r = torch.tensor([4], { requires_grad: true }); // never gets a grad
  const opt = new torchopt.SGD([p, q, r], 0.1);
  p.pow(3).sum().add(q.pow(2).sum()).backward({ create_graph: true });
  const [gp, gq] = [p.grad!, q.grad!];
  expect(gp.grad_fn).not.toBeNull();
  opt.zero_grad();
  expect(p.grad!.is_same(gp) && q.grad!.is_same(gq)).toBe(true);
  expect([gp.grad_fn, gp.requires_grad, gq.requires_grad, r.grad]).toEqual([null, false, false, null]);
  expect([gp.tolist(), gq.tolist()]).toEqual([[0, 0], [0]]);
  opt.zero_grad(true);
  expect([p.grad, q.grad]).toEqual([null, null]);
});
