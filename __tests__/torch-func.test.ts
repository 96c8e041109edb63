// torch.func / functorch transforms against Python functorch 1.13: grad, grad_and_value,
// grad of grad, hessian, jacrev/jacfwd, vjp, jvp, argnums and pytrees, has_aux, vmap,
// make_functional(_with_buffers), functional_call, combine_state_for_ensemble, and the
// composition TorchOpt's implicit differentiation relies on (vjp through a grad).
import { torch, copy } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const S = require('./fixtures/torch_surface.json');
const FN = S.func;
const nn = torch.nn;
const F = torch.nn.functional;
const func = torch.func;
const f64 = (x: unknown) => torch.tensor(x as number[], { dtype: torch.float64 });

const f = (x: Tensor) => x.sin().mul(x).sum();
const g = (x: Tensor) => x.sin().mul(x.sum());

describe('grad transforms', () => {
  const x = f64(FN.x);
  test('grad, grad_and_value, grad of grad', () => {
    expectClose(func.grad(f)(x), FN.grad, 1e-12, 1e-12);
    const [gr, v] = func.grad_and_value(f)(x);
    expectClose(gr, FN.grad_and_value[0], 1e-12, 1e-12);
    expectClose(v, FN.grad_and_value[1], 1e-12, 1e-12);
    expectClose(func.grad((y: Tensor) => func.grad(f)(y).sum())(x), FN.grad_grad, 1e-12, 1e-12);
    // Inputs that do not require grad give results that do not either (as functorch).
    expect(func.grad(f)(x).requires_grad).toBe(false);
    expect(x.requires_grad).toBe(false);
  });
  test('hessian, jacrev, jacfwd', () => {
    const h = (y: Tensor) => y.pow(3).sum().add(y.get(0).mul(y.get(1)).mul(y.get(2)));
    expectClose(func.hessian(h)(x), FN.hessian, 1e-12, 1e-12);
    expectClose(func.jacrev(g)(x), FN.jacrev, 1e-12, 1e-12);
    expectClose(func.jacfwd(g)(x), FN.jacfwd, 1e-12, 1e-12);
  });
  test('vjp and jvp', () => {
    const [out, vjp_fn] = func.vjp(g, x) as [Tensor, (c: Tensor) => Tensor[]];
    expectClose(out, FN.vjp[0], 1e-12, 1e-12);
    const [gx] = vjp_fn(f64(FN.ct));
    expectClose(gx, FN.vjp[1], 1e-12, 1e-12);
    // vjp_fn may be called again.
    expectClose(vjp_fn(f64(FN.ct))[0], FN.vjp[1], 1e-12, 1e-12);
    const [o2, jv] = func.jvp(g, [x], [f64(FN.tan)]) as Tensor[];
    expectClose(o2, FN.jvp[0], 1e-12, 1e-12);
    expectClose(jv, FN.jvp[1], 1e-12, 1e-12);
    expectThrow(() => vjp_fn(torch.ones(2, { dtype: torch.float64 })), 'RangeError', /Mismatch in shape/);
  });
  test('argnums, pytrees and has_aux', () => {
    const y = f64(FN.y2);
    const two = (a: Tensor, b: Tensor) => a.sum().mul(b).prod();
    const [ga, gb] = func.grad(two, { argnums: [0, 1] })(x, y);
    expectClose(ga, FN.grad_argnums01[0], 1e-12, 1e-12);
    expectClose(gb, FN.grad_argnums01[1], 1e-12, 1e-12);
    expectClose(func.grad(two, { argnums: 1 })(x, y), FN.grad_argnums1, 1e-12, 1e-12);
    const [gaux, aux] = func.grad((a: Tensor) => [f(a), a.cos()], { has_aux: true })(x);
    expectClose(gaux, FN.grad_aux[0], 1e-12, 1e-12);
    expectClose(aux, FN.grad_aux[1], 1e-12, 1e-12);
    const gt = func.grad((t: { a: Tensor; b: Tensor[] }) => t.a.pow(2).sum().mul(t.b[0].sum()))({ a: x, b: [y] });
    expectClose(gt.a, FN.grad_tree.a, 1e-12, 1e-12);
    expectClose(gt.b[0], FN.grad_tree.b[0], 1e-12, 1e-12);
    expectThrow(() => func.grad((a: Tensor) => a.mul(2))(x), 'Error', FN.grad_err_nonscalar[1]);
    expectThrow(() => func.grad(f, { argnums: 3 })(x), 'RangeError', /only 1 positional inputs/);
    expectThrow(() => func.grad(f)(torch.tensor([1, 2], { dtype: torch.int64 })), 'TypeError', /floating point/);
  });
  test('composition used by implicit differentiation: vjp through a grad keeps the outer graph', () => {
    const meta = f64(FN.meta).requires_grad_();
    const pz = f64(FN.pz);
    const inner = (p: Tensor, m: Tensor) => p.sub(m).pow(2).sum().add(p.pow(4).sum());
    const opt_fn = func.grad(inner, { argnums: 0 });
    const [, vjp_m] = func.vjp((m: Tensor) => opt_fn(pz, m), meta) as [Tensor, (c: Tensor) => Tensor[]];
    expectClose(vjp_m(torch.ones(3, { dtype: torch.float64 }))[0], FN.vjp_through_grad, 1e-12, 1e-12);
    expect([func.grad(inner)(pz, meta).requires_grad, func.grad(inner)(pz, meta.detach()).requires_grad]).toEqual(FN.grad_result_requires_grad);
    // Outer autograd.grad through functorch.grad's result reaches meta.
    const [gm] = torch.autograd.grad(func.grad(inner)(pz, meta).sum(), [meta]);
    expectClose(gm!, FN.vjp_through_grad, 1e-12, 1e-12);
    // grad works under no_grad (a transform enables grad inside) and returns detached results.
    const r = torch.no_grad(() => func.grad(inner)(pz, meta));
    expect(r.requires_grad).toBe(false);
  });
});

describe('vmap (a loop over the batch)', () => {
  const xb = f64(FN.xb);
  const wv = f64(FN.wv);
  test('in_dims, out_dims, tuple outputs, vmap of grad', () => {
    expectClose(func.vmap((a: Tensor, w: Tensor) => a.matmul(w).tanh(), [0, null])(xb, wv), FN.vmap, 1e-12, 1e-12);
    expectClose(func.vmap((a: Tensor) => torch.stack([a, a.mul(2)]), 0, 1)(xb), FN.vmap_out1, 1e-12, 1e-12);
    expectClose(func.vmap((c: Tensor) => c.sum(), 1)(xb), FN.vmap_in1, 1e-12, 1e-12);
    const [s, m] = func.vmap((a: Tensor) => [a.sum(), a.max()])(xb) as Tensor[];
    expectClose(s, FN.vmap_tuple_out[0], 1e-12, 1e-12);
    expectClose(m, FN.vmap_tuple_out[1], 1e-12, 1e-12);
    expectClose(func.vmap(func.grad((a: Tensor) => a.sin().mul(a).sum()))(xb), FN.vmap_grad, 1e-12, 1e-12);
    expectThrow(() => func.vmap((a: Tensor, b: Tensor) => a.add(b))(torch.ones(3), torch.ones(4)), 'RangeError', FN.vmap_err_size[1]);
  });
  test("randomness 'same' replays the generator for each element", () => {
    const r = func.vmap(() => torch.rand(2), 0, 0, { randomness: 'same' });
    const out = r(torch.zeros(3)) as Tensor;
    expect(out.get(0).equal(out.get(1))).toBe(true);
    expect(out.get(1).equal(out.get(2))).toBe(true);
  });
});

describe('functional modules', () => {
  const xm = torch.tensor(FN.xm);
  const ym = torch.tensor(FN.ym, { dtype: torch.int64 });
  const makeModel = () => {
    torch.manual_seed(10);
    return new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
  };
  test('make_functional: params in named_parameters order, fmodel(params, x), grad wrt params (sample A)', () => {
    const model = makeModel();
    const [fmodel, params] = func.make_functional(model);
    params.forEach((p, i) => expectClose(p, FN.model_params[i], 0, 0));
    expect(params.every((p) => p.is_leaf && p.requires_grad)).toBe(true);
    // The params are copies, not the model's own tensors.
    expect(params[0]).not.toBe(model.parameters()[0]);
    expectClose(fmodel(params, xm), FN.fmodel_out, 1e-6, 1e-6);
    const loss = (p: Tensor[], x: Tensor, y: Tensor) => F.cross_entropy(fmodel(p, x), y);
    const grads = func.grad(loss, { argnums: 0 })(params, xm, ym) as Tensor[];
    grads.forEach((gr, i) => expectClose(gr, FN.fmodel_grad[i], 1e-6, 1e-5));
    expect(fmodel.parameters().length).toBe(FN.fmodel_params_len);
    expectThrow(() => fmodel(params.slice(1), xm), 'RangeError', /expected 4 params, got 3/);
    // Functional updates: new tensors in, the same module out.
    const updated = params.map((p, i) => p.sub(grads[i].mul(0.1)));
    const out = fmodel(updated, xm) as Tensor;
    expect(out.grad_fn).not.toBeNull();
    expectThrow(() => func.make_functional(new nn.BatchNorm1d(2)), 'Error', /has buffers/);
  });
  test('functional_call swaps named tensors in and restores them', () => {
    const model = makeModel();
    const w = model.parameters()[0];
    const out = func.functional_call(model, { '0.weight': torch.ones(4, 3), '2.bias': torch.zeros(2) }, [xm]) as Tensor;
    expectClose(out, FN.functional_call, 1e-6, 1e-6);
    expect(model.parameters()[0]).toBe(w);
    expect(func.functional_call(model, new Map([['0.weight', torch.ones(4, 3)]]), xm)).toBeInstanceOf(torch.Tensor);
    expectClose(nn.utils.stateless.functional_call(model, { '0.weight': torch.ones(4, 3), '2.bias': torch.zeros(2) }, [xm]) as Tensor, FN.functional_call, 1e-6, 1e-6);
    expect(() => func.functional_call(model, { '0.weight': torch.ones(4, 3) }, [torch.ones(2, 2)])).toThrow();
    expect(model.parameters()[0]).toBe(w);
  });
  test('make_functional_with_buffers (BatchNorm running stats updated in the given buffers)', () => {
    torch.manual_seed(11);
    const mb = new nn.Sequential(new nn.Linear(3, 3), new nn.BatchNorm1d(3));
    const [fmb, pb, bb] = func.make_functional_with_buffers(mb);
    expectClose(fmb(pb, bb, xm), FN.fmb_out, 1e-5, 1e-5);
    bb.forEach((b, i) => expectClose(b, FN.fmb_buffers_after[i], 1e-6, 1e-6));
  });
  test('combine_state_for_ensemble + vmap', () => {
    torch.manual_seed(12);
    const models = [0, 1, 2].map(() => new nn.Linear(3, 2));
    models.forEach((m, k) => m.parameters().forEach((p, i) => expectClose(p, FN.ensemble_model_params[k][i], 0, 0)));
    const [fe, pe, be] = func.combine_state_for_ensemble(models);
    expect(pe.map((p) => p.shape)).toEqual(FN.ensemble_params_shapes);
    expect(pe.map((p) => p.requires_grad)).toEqual(FN.ensemble_requires_grad);
    expectClose(func.vmap(fe, [0, 0, null])(pe, be, xm), FN.ensemble_out, 1e-6, 1e-6);
    const [sp] = func.stack_module_state(models);
    expect(Object.keys(sp)).toEqual(['weight', 'bias']);
    expect(sp.weight.requires_grad && sp.weight.is_leaf).toBe(true);
  });
});

describe('copy.deepcopy', () => {
  test('modules: same class and structure, new Parameters, hooks and attributes kept', () => {
    torch.manual_seed(0);
    const m = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4));
    const c = copy.deepcopy(m);
    expect(c).toBeInstanceOf(nn.Sequential);
    expect(c).not.toBe(m);
    expect(String(c)).toBe(String(m));
    const [pm, pc] = [m.parameters(), c.parameters()];
    pc.forEach((p, i) => {
      expect(p).toBeInstanceOf(nn.Parameter);
      expect(p).not.toBe(pm[i]);
      expect(p.equal(pm[i])).toBe(true);
      expect(p.requires_grad).toBe(true);
    });
    const lin = c.at(0) as InstanceType<typeof nn.Linear>;
    expect(lin.in_features).toBe(3);
    lin.weight.data.fill_(0);
    expect(pm[0].abs().sum().item()).toBeGreaterThan(0);
    const x = torch.randn(5, 3);
    c(x);
    expect((c.at(1) as InstanceType<typeof nn.BatchNorm1d>).num_batches_tracked!.item()).toBe(1);
    expect((m.at(1) as InstanceType<typeof nn.BatchNorm1d>).num_batches_tracked!.item()).toBe(0);
  });
  test('memo mapping every tensor to itself copies the structure and shares the tensors', () => {
    const m = new nn.Linear(2, 2);
    const memo = new Map<unknown, unknown>(m.parameters().map((p) => [p, p]));
    const c = copy.deepcopy(m, { memo });
    expect(c).not.toBe(m);
    expect(memo.get(m)).toBe(c);
    expect(copy.deepcopy(m, memo)).toBe(c);
    expect(c.weight).toBe(m.weight);
    c.weight = new nn.Parameter(torch.zeros(2, 2));
    expect(m.weight.abs().sum().item()).toBeGreaterThan(0);
  });
  test('non-leaf tensors raise unless in the memo; shared references and cycles survive', () => {
    const w = torch.ones(2, { requires_grad: true });
    const y = w.mul(2);
    expectThrow(() => copy.deepcopy({ y }), 'Error', 'Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment');
    expect(copy.deepcopy({ y }, new Map([[y, y]])).y).toBe(y);
    const lin = new nn.Linear(2, 1);
    lin._parameters.set('weight', lin.weight.mul(1));
    expectThrow(() => copy.deepcopy(lin), 'Error', /graph leaves/);
    const shared = torch.ones(3);
    const tree: Record<string, unknown> = { a: shared, b: [shared, 1, 'x'], m: new Map([['k', shared]]), f: Math.max };
    tree.self = tree;
    const c = copy.deepcopy(tree) as typeof tree;
    expect(c.a).not.toBe(shared);
    expect((c.b as unknown[])[0]).toBe(c.a);
    expect((c.m as Map<string, unknown>).get('k')).toBe(c.a);
    expect(c.self).toBe(c);
    expect(c.f).toBe(Math.max);
    const leaf = torch.ones(2, { requires_grad: true });
    leaf.mul(3).sum().backward();
    const lc = copy.deepcopy(leaf);
    expect(lc.requires_grad).toBe(true);
    expectClose(lc.grad!, [3, 3]);
  });
  test('attributes are restored without attribute routing (Python restores __dict__)', () => {
    class Tagged extends nn.Module {
      tag = torch.ones(2);
      note = 'x';
      override _setattr(name: string, value: unknown, plain: () => unknown): void {
        if (name === 'tag' && (this as unknown as { frozen?: boolean }).frozen) throw new Error('routed');
        super._setattr(name, value, plain);
      }
    }
    const m = new Tagged();
    (m as unknown as { frozen: boolean }).frozen = true;
    const c = copy.deepcopy(m);
    expect(c.tag).not.toBe(m.tag);
    expect(c.tag.tolist()).toEqual([1, 1]);
    expect(c.note).toBe('x');
    expectThrow(() => (c.tag = torch.zeros(2)), 'Error', 'routed');
  });
  test('copy.copy of a module shares tensors but not containers', () => {
    const m = new nn.Linear(2, 2);
    const c = copy.copy(m);
    expect(c.weight).toBe(m.weight);
    c.weight = new nn.Parameter(torch.zeros(2, 2));
    expect(m.weight).not.toBe(c.weight);
  });
});
