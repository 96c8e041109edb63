// torchopt.nn: MetaGradientModule registration and routing, swap_state/reparametrize,
// ImplicitMetaGradientModule and ZeroOrderGradientModule (TorchOpt's test_nn semantics).
import { torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const { nn } = torch;
const f64 = { dtype: torch.float64 };

describe('MetaGradientModule', () => {
  test('constructor tensors that require grad and training modules become meta-parameters', () => {
    const metaNet = new nn.Linear(2, 2);
    const lam = torch.tensor(0.5, { requires_grad: true });
    class Inner extends torchopt.nn.MetaGradientModule {
      declare meta: InstanceType<typeof nn.Linear>;
      declare lam: Tensor;
      declare w: Tensor;
      declare plain: Tensor;
      constructor(meta: InstanceType<typeof nn.Linear>, l: Tensor) {
        super(meta, l);
        this.meta = meta;
        this.lam = l;
        this.w = torch.zeros(2, { requires_grad: true }); // a plain tensor as a parameter
        this.plain = torch.ones(1);
      }
    }
    const m = new Inner(metaNet, lam);
    expect([...m._meta_parameters.keys()]).toEqual(['lam']);
    expect([...m._meta_modules.keys()]).toEqual(['meta']);
    expect(m.named_parameters().map(([n]) => n)).toEqual(['w']);
    expect(m.named_meta_parameters().map(([n]) => n).sort()).toEqual(['lam', 'meta.bias', 'meta.weight']);
    expect(m.meta_children()[0]).toBe(metaNet);
    expect(m.lam).toBe(lam);
    expect(m.meta).toBe(metaNet);
    expect(m.plain.item()).toBe(1);
    expectThrow(() => (m.w = torch.ones(2) as never), 'TypeError', /cannot assign 'torch.FloatTensor' as parameter 'w'/);
    expectThrow(() => m.register_parameter('x', torch.ones(1)), 'RangeError', /requires_grad=False/);
    expectThrow(() => m.register_parameter('y', lam), 'RangeError', /is a meta-parameter/);
    expectThrow(() => m.add_module('z', metaNet), 'RangeError', /is a meta-module/);
    expectThrow(() => m.register_meta_parameter('a.b', lam), 'RangeError', /can't contain '.'/);
  });
  test('swap_state and reparametrize write into the slots and restore', () => {
    const net = new nn.Linear(1, 1);
    const w = net.weight;
    const t = torch.tensor([[5.0]]);
    const out = torchopt.nn.reparametrize(net, { weight: t, bias: torch.zeros(1) }, (m) => (m as typeof net)(torch.ones(1, 1)).item());
    expect(out).toBe(5);
    expect(net.weight).toBe(w);
    const old = torchopt.nn.swap_state(net, [['weight', t]]);
    expect(net.weight).toBe(t);
    expect(old.get('weight')).toBe(w);
    expectThrow(() => torchopt.nn.swap_state(net, { missing: t }), 'RangeError', /no attribute 'missing'/);
  });
});

describe('ImplicitMetaGradientModule', () => {
  // Ridge towards a meta prior x0: w* = (X^T X + r I)^-1 (X^T y + r x0); dL/dx0 = r A^-1 (w* - t).
  const X = torch.tensor([[1.0, 0.2], [0.3, -1.0], [0.5, 0.5]], f64);
  const y = torch.tensor([0.4, -0.2, 0.9], f64);
  const r = 0.7;
  const A = X.T.matmul(X).add(torch.eye(2, f64).mul(r));
  const target = torch.tensor([0.1, -0.3], f64);

  class Ridge extends torchopt.nn.ImplicitMetaGradientModule {
    static override linear_solve = torchopt.linear_solve.solve_cg({ rtol: 1e-14 });
    declare x0: Tensor;
    declare w: Tensor;
    constructor(x0: Tensor) {
      super(x0);
      this.x0 = x0;
      this.w = torch.zeros(2, { ...f64, requires_grad: true });
    }
    override objective(): Tensor {
      return X.matmul(this.w).sub(y).pow(2).sum().mul(0.5).add(this.w.sub(this.x0).pow(2).sum().mul(0.5 * r));
    }
    override solve(): string {
      torch.no_grad(() => this.w.copy_(torch.linalg.solve(A, X.T.matmul(y).add(this.x0.mul(r)))));
      return 'solved';
    }
  }

  test('solve() sets the optimal parameters and meta-gradients follow the implicit function theorem', () => {
    const x0 = torch.tensor([0.2, 0.5], { ...f64, requires_grad: true });
    const m = new Ridge(x0);
    expect(m.solve()).toBe('solved');
    const wStar = torch.linalg.solve(A, X.T.matmul(y).add(x0.detach().mul(r)));
    expectClose(m.w, wStar, 1e-12);
    m.w.sub(target).pow(2).sum().mul(0.5).backward();
    expectClose(x0.grad!, torch.linalg.solve(A, wStar.sub(target)).mul(r), 1e-10);
  });
  test('a module with neither optimality nor objective is refused', () => {
    class Bad extends torchopt.nn.ImplicitMetaGradientModule {
      override solve(): void {}
    }
    expectThrow(() => new Bad(), 'TypeError', /requires either an optimality\(\) method or an objective\(\) method/);
  });
});

describe('ZeroOrderGradientModule', () => {
  test('forward gets zero-order gradients for its parameters', () => {
    const g = new torch.Generator().manual_seed(3);
    class Quad extends torchopt.diff.zero_order.ZeroOrderGradientModule {
      static override method = 'antithetic' as const;
      static override num_samples = 4000;
      static override sigma = 0.01;
      declare theta: Tensor;
      constructor() {
        super();
        this.theta = new nn.Parameter(torch.tensor([1.0, -2.0], f64));
      }
      override forward(c: Tensor): Tensor {
        return this.theta.sub(c).pow(2).sum();
      }
      override sample(shape: number[] = []): Tensor {
        return torch.randn(shape, { dtype: torch.float64, generator: g });
      }
    }
    const m = new Quad();
    const c = torch.tensor([0.5, 0.5], f64);
    m(c).backward();
    // Analytic gradient 2(theta - c) = [1, -5].
    expect(m.theta.grad!.sub(torch.tensor([1.0, -5.0], f64)).abs().max().item()).toBeLessThan(0.3);
  });
});

test('torchopt.diff.zero_order is callable like the Python module', () => {
  const f = torchopt.diff.zero_order(() => 1.0, { method: 'naive' })((t: Tensor) => t.sum());
  expect(typeof f).toBe('function');
});
