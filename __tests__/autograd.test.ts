// Autograd through Node-API: backward/grad (higher order), grad mode, hooks, graph
// introspection, custom Functions.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import { FunctionCtx } from '../lib/torch/autograd';
import { expectClose, expectThrow, ref, nodeScript } from './helpers';

const { autograd } = torch;

describe('backward and grad', () => {
  test('backward accumulates into .grad; zeroing and reassigning', () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true });
    x.mul(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 4, 6]);
    x.mul(3).sum().backward();
    expect(x.grad!.tolist()).toEqual([5, 7, 9]);
    x.grad = null;
    expect(x.grad).toBeNull();
    x.grad = torch.ones(3);
    expect(x.grad!.tolist()).toEqual([1, 1, 1]);
    expectThrow(() => (x.grad = torch.ones(2)), 'Error', /different size/);
  });
  test('grad matches Python for a composite function, and grad of grad', () => {
    const w = torch.tensor([[0.5, -1.0], [2.0, 0.25]], { dtype: torch.float64, requires_grad: true });
    const xin = torch.tensor([1.5, -0.5], { dtype: torch.float64 });
    const l = torch.tanh(w.matmul(xin)).pow(2).sum().add(w.exp().mul(0.1).sum());
    const [g] = autograd.grad(l, w, { create_graph: true });
    expectClose(g!, ref.autograd.grad_w, 1e-12);
    expect(g!.requires_grad).toBe(true);
    const [h] = autograd.grad(g!.sum(), w);
    expectClose(h!, ref.autograd.grad_of_grad_sum, 1e-12);
  });
  test('closed forms: d/dx x^3 = 3x^2, d2/dx2 = 6x, d3 = 6', () => {
    const x = torch.tensor(2.0, { dtype: torch.float64, requires_grad: true });
    const y = x.pow(3);
    const [d1] = autograd.grad(y, x, { create_graph: true });
    const [d2] = autograd.grad(d1!, x, { create_graph: true });
    const [d3] = autograd.grad(d2!, x);
    expect([d1!.item(), d2!.item(), d3!.item()]).toEqual([12, 12, 6]);
  });
  test('polynomials and compositions vs Python', () => {
    const w = torch.tensor([0.3, -0.7, 1.1], { dtype: torch.float64, requires_grad: true });
    const y = w.sin().mul(w.cos()).add(w.pow(3)).sum();
    expectClose(autograd.grad(y, w)[0]!, ref.autograd.grad_poly, 1e-12);
  });
  test('allow_unused, grad_outputs, retain_graph, inputs=', () => {
    const a = torch.tensor([1.0, 2.0], { requires_grad: true });
    const b = torch.tensor([3.0], { requires_grad: true });
    const y = a.mul(2);
    // libtorch's message (1.13: 'One of the ...'; 2.x names the element: 'element 1of the ...').
    expectThrow(() => autograd.grad(y.sum(), [a, b], { retain_graph: true }), 'Error', /(One |element 1 ?)of the differentiated Tensors appears to not have been used/);
    const [ga, gb] = autograd.grad(y, [a, b], { grad_outputs: torch.tensor([1.0, 10.0]), allow_unused: true, retain_graph: true });
    expect(ga!.tolist()).toEqual([2, 20]);
    expect(gb).toBeNull();
    const z = a.mul(b).sum();
    z.backward({ inputs: [b] });
    expect(a.grad).toBeNull();
    expect(b.grad!.tolist()).toEqual([3]);
  });
  test('backward twice without retain_graph fails with libtorch\'s message', () => {
    const x = torch.tensor([1.0], { requires_grad: true });
    const y = x.exp().sum();
    y.backward({ retain_graph: true });
    y.backward();
    expectThrow(() => y.backward(), 'Error', /Trying to backward through the graph a second time/);
  });
  test('indexing and setitem are differentiable', () => {
    const z = torch.arange(6, { dtype: torch.float32 }).requires_grad_();
    z.view(2, 3).get(':, 1:').pow(2).sum().backward();
    expectClose(z.grad!, ref.autograd.grad_index);
    const v = torch.tensor([1.0, 2.0], { requires_grad: true });
    const base = torch.zeros(2, 3).clone();
    base.set(':, 1', v.mul(3));
    base.pow(2).sum().backward();
    expectClose(v.grad!, ref.autograd.grad_setitem);
  });
  test('detach, detach_, requires_grad_, is_leaf, retain_grad, data', () => {
    const x = torch.ones(2, { requires_grad: true });
    const y = x.mul(2);
    expect(x.is_leaf).toBe(true);
    expect(y.is_leaf).toBe(false);
    expect(y.detach().requires_grad).toBe(false);
    y.retain_grad();
    expect(y.retains_grad).toBe(true);
    y.sum().backward();
    expect(y.grad!.tolist()).toEqual([1, 1]);
    const d = x.data;
    expect(d.requires_grad).toBe(false);
    d.add_(1); // in place through .data: no autograd error, same storage
    expect(x.tolist()).toEqual([2, 2]);
    const c = x.clone().detach_().requires_grad_(false);
    expect(c.requires_grad).toBe(false);
    expect(c.is_leaf).toBe(true);
  });
});

describe('keyword arguments of backward and grad', () => {
  const x = torch.tensor([1.0, 2.0], { dtype: torch.float64, requires_grad: true });
  test("Python's keyword forms give the same gradients", () => {
    const g = torch.tensor([3.0, 5.0], { dtype: torch.float64 });
    x.grad = null;
    x.pow(2).backward({ gradient: g });
    expect(x.grad!.tolist()).toEqual([6, 20]);
    x.grad = null;
    torch.autograd.backward(x.pow(2), { grad_tensors: g, retain_graph: false });
    expect(x.grad!.tolist()).toEqual([6, 20]);
    const [d] = torch.autograd.grad(x.pow(3).sum(), x, { create_graph: true });
    expect(torch.autograd.grad(d!.sum(), x)[0]!.tolist()).toEqual([6, 12]);
  });
  test('a misspelt option is a TypeError, not a silent first-order gradient', () => {
    expectThrow(() => torch.autograd.grad(x.pow(3).sum(), x, { create_grpah: true } as never), 'TypeError', "grad() got an unexpected keyword argument 'create_grpah'");
    expectThrow(() => x.pow(2).sum().backward({ retain_grpah: true } as never), 'TypeError', "backward() got an unexpected keyword argument 'retain_grpah'");
    expectThrow(() => torch.autograd.backward(x.pow(2).sum(), null, { create_grahp: true } as never), 'TypeError', "backward() got an unexpected keyword argument 'create_grahp'");
  });
});

describe('grad mode', () => {
  test('no_grad/enable_grad/set_grad_enabled, as calls and wrappers, restored on throw', () => {
    const x = torch.ones(1, { requires_grad: true });
    expect(torch.is_grad_enabled()).toBe(true);
    const y = torch.no_grad(() => x.mul(2));
    expect(y.requires_grad).toBe(false);
    const f = torch.no_grad.wrap((t: Tensor) => t.mul(3));
    expect(f(x).requires_grad).toBe(false);
    torch.no_grad(() => {
      expect(torch.enable_grad(() => x.mul(2)).requires_grad).toBe(true);
    });
    expect(() => torch.no_grad(() => {
      throw new Error('inner');
    })).toThrow('inner');
    expect(torch.is_grad_enabled()).toBe(true);
    torch.set_grad_enabled(false);
    expect(torch.is_grad_enabled()).toBe(false);
    torch.set_grad_enabled(true);
    expect(torch.set_grad_enabled(false, () => torch.is_grad_enabled())).toBe(false);
    expect(torch.is_grad_enabled()).toBe(true);
  });
});

describe('hooks', () => {
  test('a hook sees the gradient and may replace it; remove() detaches it', () => {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const seen: number[][] = [];
    const h = x.register_hook((g) => {
      seen.push(g.tolist() as number[]);
      return g.mul(10);
    });
    expect(x._backward_hooks.length).toBe(1);
    x.mul(x).sum().backward();
    expect(seen).toEqual([[2, 4]]);
    expect(x.grad!.tolist()).toEqual([20, 40]);
    h.remove();
    expect(x._backward_hooks.length).toBe(0);
    x.grad = null;
    x.mul(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 4]);
    expect(seen.length).toBe(1);
  });
  test('hooks on intermediate tensors run during backward and double backward', () => {
    const x = torch.tensor(3.0, { dtype: torch.float64, requires_grad: true });
    const y = x.pow(2);
    y.register_hook((g) => g.mul(2));
    const [g] = autograd.grad(y.mul(1), x, { create_graph: true });
    expect(g!.item()).toBe(12);
  });
  test('an error thrown in a hook reaches the caller as the same JS error', () => {
    const x = torch.ones(1, { requires_grad: true });
    class MyError extends Error {}
    const e = new MyError('from hook');
    x.register_hook(() => {
      throw e;
    });
    let caught: unknown;
    try {
      x.mul(2).sum().backward();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(e);
  });
});

describe('graph introspection', () => {
  test('grad_fn names, next_functions and AccumulateGrad.variable', () => {
    const w = torch.ones(2, { requires_grad: true });
    const b = torch.ones(2, { requires_grad: true });
    const y = w.mul(2).add(b);
    expect(y.grad_fn!.name()).toBe('AddBackward0');
    expect(y.grad_fn).toBe(y.grad_fn);
    const next = y.grad_fn!.next_functions;
    expect(next.length).toBe(2);
    expect(next[0][0]!.name()).toBe('MulBackward0');
    expect(next[1][0]!.name()).toBe('AccumulateGrad');
    expect(next[1][0]!.variable.is_same(b)).toBe(true);
    expect(next[0][0]!.next_functions[0][0]!.variable.is_same(w)).toBe(true);
    expect(w.grad_fn).toBeNull();
    expectThrow(() => y.grad_fn!.variable, 'TypeError', /has no attribute 'variable'/);
    expect(torch.ones(1).mul(2).grad_fn).toBeNull();
  });
  test('clone keeps a CloneBackward0 link', () => {
    const p = torch.ones(2, { requires_grad: true });
    const c = p.clone();
    expect(c.grad_fn!.name()).toBe('CloneBackward0');
    expect(c.grad_fn!.next_functions[0][0]!.variable.is_same(p)).toBe(true);
  });
});

describe('custom Functions', () => {
  class Exp extends autograd.Function {
    static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
      const y = x.exp();
      ctx.save_for_backward(y);
      return y;
    }
    static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
      const [y] = ctx.saved_tensors;
      return g.mul(y);
    }
  }

  test('forward/backward with saved outputs; node name', () => {
    const x = torch.tensor([0.0, 1.0], { dtype: torch.float64, requires_grad: true });
    const y = Exp.apply(x);
    expect(y.grad_fn!.name()).toBe('ExpBackward');
    y.sum().backward();
    expectClose(x.grad!, [1, Math.E], 1e-15);
  });

  test('double backward through a differentiable backward', () => {
    const x = torch.tensor(0.5, { dtype: torch.float64, requires_grad: true });
    const y = Exp.apply(x);
    const [g] = autograd.grad(y, x, { create_graph: true });
    const [gg] = autograd.grad(g!, x);
    expect(gg!.item()).toBeCloseTo(Math.exp(0.5), 14);
  });

  test('needs_input_grad, non-tensor args and outputs, mark_non_differentiable', () => {
    class ScaleAndArgmax extends autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor, k: number, w: Tensor): [Tensor, Tensor, string] {
        ctx.k = k;
        ctx.flags = ctx.needs_input_grad.slice();
        const idx = x.argmax();
        ctx.mark_non_differentiable(idx);
        ctx.save_for_backward(w);
        return [x.mul(w).mul(k), idx, 'tag'];
      }
      static override backward(ctx: FunctionCtx, g: Tensor, gIdx: Tensor | null, gTag: null): [Tensor, null, null] {
        expect(gIdx).toBeNull();
        expect(gTag).toBeNull();
        const [w] = ctx.saved_tensors;
        return [g.mul(w).mul(ctx.k as number), null, null];
      }
    }
    const x = torch.tensor([1.0, 3.0, 2.0], { requires_grad: true });
    const w = torch.tensor([2.0, 2.0, 2.0]);
    const [y, idx, tag] = ScaleAndArgmax.apply(x, 5, w);
    expect(tag).toBe('tag');
    expect(idx.item()).toBe(1);
    expect(idx.requires_grad).toBe(false);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([10, 10, 10]);
  });

  test('an input returned as-is gets its own history', () => {
    class Ident extends autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x;
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
    }
    const x = torch.ones(2, { requires_grad: true });
    const y = Ident.apply(x);
    expect(y.is_same(x)).toBe(false);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2]);
  });

  test('errors thrown in backward reach the caller; wrong grad counts are errors', () => {
    const e = new RangeError('bad backward');
    class Bad extends autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(1);
      }
      static override backward(): Tensor {
        throw e;
      }
    }
    const x = torch.ones(1, { requires_grad: true });
    let caught: unknown;
    try {
      Bad.apply(x).sum().backward();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(e);
    class TooMany extends autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(1);
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
        return [g, g, g];
      }
    }
    expectThrow(() => TooMany.apply(x).sum().backward(), 'Error', /incorrect number of gradients/);
  });

  test('once_differentiable forbids double backward', () => {
    class Sq extends autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.save_for_backward(x);
        return x.mul(x);
      }
      static override backward = autograd.once_differentiable((ctx: FunctionCtx, g: Tensor) => {
        const [x] = ctx.saved_tensors;
        return g.mul(x).mul(2);
      });
    }
    const x = torch.tensor(3.0, { requires_grad: true });
    // The incoming gradient (x) requires grad, so the result is marked.
    const [g] = autograd.grad(Sq.apply(x).mul(x), x, { create_graph: true });
    expect(g!.item()).toBe(27); // d/dx x^3 via the product rule: 2x*x + x^2

    expectThrow(() => autograd.grad(g!, x), 'Error', /once_differentiable/);
    const [g2] = autograd.grad(Sq.apply(x), x);
    expect(g2!.item()).toBe(6);
  });

  test('no graph is recorded when no input requires grad', () => {
    const y = Exp.apply(torch.zeros(2));
    expect(y.grad_fn).toBeNull();
    expect(y.tolist()).toEqual([1, 1]);
  });

  test('a backward that itself calls autograd.grad (re-entrant)', () => {
    class ViaGrad extends autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.save_for_backward(x);
        return x.pow(3);
      }
      static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
        const [x] = ctx.saved_tensors;
        const xx = x.detach().requires_grad_();
        const [d] = torch.enable_grad(() => autograd.grad(xx.pow(3), xx));
        return g.mul(d!);
      }
    }
    const x = torch.tensor(2.0, { requires_grad: true });
    ViaGrad.apply(x).backward();
    expect(x.grad!.item()).toBe(12);
  });

  test('the marshalled path (libtorch threads calling JS) gives the same results', () => {
    const out = execFileSync(process.execPath, [...nodeScript(path.join(__dirname, 'scripts', 'pump_check.ts'))], {
      cwd: path.join(__dirname, '..'),
      encoding: 'utf8',
      env: { ...process.env, TORCHOPT_NODE_FORCE_PUMP: '1' },
    });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ exp: [1, 2.718281828459045], nested: 12, hook: [20, 40], error: 'bad backward', double: 1.6487212707001282 });
  }, 60000);
});

describe('torch.autograd.functional', () => {
  test('jacobian and hessian of closed forms', () => {
    const x = torch.tensor([1.0, 2.0], { dtype: torch.float64 });
    const J = autograd.functional.jacobian((t: Tensor) => t.pow(2).mul(torch.tensor([1.0, 3.0], { dtype: torch.float64 })), x) as Tensor;
    expect(J.tolist()).toEqual([[2, 0], [0, 12]]);
    const H = autograd.functional.hessian((t: Tensor) => t.pow(3).sum(), x);
    expect(H.tolist()).toEqual([[6, 0], [0, 12]]);
    const [, vjp] = autograd.functional.vjp((t: Tensor) => t.mul(3), x, torch.ones(2, { dtype: torch.float64 }));
    expect((vjp as Tensor).tolist()).toEqual([3, 3]);
    const [, jv] = autograd.functional.jvp((t: Tensor) => t.pow(2), x, torch.tensor([1.0, 1.0], { dtype: torch.float64 }));
    expect(jv.tolist()).toEqual([2, 4]);
  });
});
