// The op surface against Python torch 1.13: broadcasting, batched matmul, reductions and
// joins, gradients through clamp/where/norm/max/logsumexp, libtorch's error messages,
// Python-like extras (new_*, typename, finfo/iinfo, Size, constants, random namespace,
// exact 64-bit seeds) and torch.testing.assert_close with Python's tolerances and messages.
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const S = require('./fixtures/torch_surface.json');
const ops = S.ops;
const f64 = (x: unknown) => torch.tensor(x as number[], { dtype: torch.float64 });

describe('broadcasting and shapes', () => {
  test('elementwise broadcasting and batched matmul', () => {
    expectClose(torch.tensor([[1], [2], [3]]).add(torch.tensor([[10, 20, 30, 40]])), ops.bcast_add, 0, 0);
    expect(torch.ones(2, 1, 3).mul(torch.ones(4, 1)).shape).toEqual(ops.bcast_mul_shape);
    const m1 = torch.arange(24).float().reshape(2, 3, 4);
    const m2 = torch.arange(20).float().reshape(4, 5).div(10);
    expectClose(m1.matmul(m2), ops.bmatmul, 1e-5, 1e-6);
    expect(torch.broadcast_shapes([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
  });
  test("shape errors carry libtorch's messages", () => {
    expectThrow(() => torch.ones(2, 3).add(torch.ones(2, 4)), 'Error', ops.bcast_err[1]);
    expectThrow(() => torch.ones(2, 3).matmul(torch.ones(2, 3)), 'Error', ops.matmul_err[1]);
  });
});

describe('reductions, joins and sorting (float64)', () => {
  const x = f64(ops.x);
  test('values', () => {
    const vm = torch.var_mean(x, 1);
    expectClose(vm[0], ops.var_mean[0], 1e-12, 1e-12);
    expectClose(vm[1], ops.var_mean[1], 1e-12, 1e-12);
    const sm = torch.std_mean(x, 0);
    expectClose(sm[0], ops.std_mean[0], 1e-12, 1e-12);
    expectClose(sm[1], ops.std_mean[1], 1e-12, 1e-12);
    expectClose(torch.max(x, torch.zeros_like(x)), ops.max_elementwise, 0, 0);
    expectClose(x.amax(0), ops.amax, 0, 0);
    expectClose(x.cumsum(0), ops.cumsum0, 1e-12, 1e-12);
    expectClose(x.cumprod(1), ops.cumprod1, 1e-12, 1e-12);
    expectClose(x.logsumexp(0), ops.logsumexp0, 1e-12, 1e-12);
    expectClose(torch.hstack([x, x.get(':, :1')]), ops.hstack, 0, 0);
    expectClose(torch.stack([x.get(0), x.get(1)], 1), ops.stack1, 0, 0);
    expectClose(torch.cat([x, x], -1), ops.cat_neg, 0, 0);
    const { values, indices } = x.sort(1, true);
    expectClose(values, ops.sort_desc[0], 0, 0);
    expect(indices.tolist()).toEqual(ops.sort_desc[1]);
    expect(x.argsort(1).tolist()).toEqual(ops.argsort);
    expectClose(torch.square(x).sum(), ops.square_sum, 1e-12, 1e-12);
    expectClose(torch.vdot(x.get(0), x.get(1)), ops.vdot, 1e-12, 1e-12);
    expectClose(torch.linspace(-1, 1, 5), ops.linspace, 0, 0);
    expectClose(torch.arange(0, 1, 0.25), ops.arange_float, 0, 0);
    expect(torch.equal(x, x.clone())).toBe(ops.equal_true);
    expect(torch.equal(x, x.add(1e-9))).toBe(ops.equal_false);
    expect(torch.allclose(x, x.add(1e-9))).toBe(ops.allclose);
    expectClose(torch.tensor([NaN, Infinity, -Infinity, 2]).nan_to_num(), ops.nan_to_num, 0, 0);
  });
  test('gradients through clamp, where, norm, max, logsumexp', () => {
    let xx = x.clone().requires_grad_();
    xx.clamp(-1, 1).mul(torch.arange(6, { dtype: torch.float64 }).reshape(2, 3)).sum().backward();
    expectClose(xx.grad!, ops.clamp_grad, 0, 0);
    xx = x.clone().requires_grad_();
    torch.where(xx.gt(0), xx.pow(2), xx.neg()).sum().backward();
    expectClose(xx.grad!, ops.where_grad, 0, 0);
    xx = x.clone().requires_grad_();
    xx.norm().add(xx.abs().max()).add(xx.logsumexp(1).sum()).backward();
    expectClose(xx.grad!, ops.norm_max_lse_grad, 1e-12, 1e-12);
  });
});

describe('Python-like extras', () => {
  test("out=: torch.name(..., {out}) writes the result into out, with libtorch's checks", () => {
    const a = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 });
    const out = torch.empty(0, { dtype: torch.float64 });
    expect(torch.mul(a, a, { out })).toBe(out); // resized from [0]
    expect(out.tolist()).toEqual([[1, 4], [9, 16]]);
    // Other options still reach the op; a wider out dtype is fine.
    const s = torch.zeros(5);
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(torch.sum(a, 0, true, { out: s }).tolist()).toEqual([[4, 6]]);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^An output with one or more elements was resized since it had shape \[5\], which does not match the required output shape \[1, 2\]/);
    warn.mockRestore();
    const [v, i] = [torch.empty(0, { dtype: torch.float64 }), torch.empty(0, { dtype: torch.int64 })];
    torch.max(a, 1, false, { out: [v, i] });
    expect([v.tolist(), i.tolist()]).toEqual([[2, 4], [1, 1]]);
    expect(torch.can_cast(torch.float64, torch.int64)).toBe(false);
    expect(torch.can_cast(torch.int64, torch.float32)).toBe(true);
    // As Python: no narrowing cast, no autograd, a Tensor (or one per result).
    expectThrow(() => torch.add(a, 1, { alpha: 1 }, { out: torch.empty(0, { dtype: torch.int64 }) }), 'Error', /result type Double can't be cast to the desired output type Long/);
    expectThrow(() => torch.mul(a.requires_grad_(), 2, { out }), 'Error', /don't support automatic differentiation/);
    expectThrow(() => torch.max(a.detach(), 1, false, { out: v }), 'TypeError', /argument 'out' must be an array of 2 Tensors/);
    expectThrow(() => torch.mul(a.detach(), 2, { out: [1] as never }), 'TypeError', /argument 'out' must be a Tensor/);
    expect(torch.empty(0).resize_(2, 3).shape).toEqual([2, 3]);
  });
  test('pointwise, conversion and linalg options: a misspelt one is a TypeError', () => {
    const a = torch.tensor([[2, 1], [1, 3]], { dtype: torch.float64 });
    expect(a.add(a, { alpha: 2 }).tolist()).toEqual([[6, 3], [3, 9]]);
    expect(a.to({ dtype: torch.float32 }).dtype).toBe(torch.float32);
    expect(a.to(torch.float32, { copy: true }).dtype).toBe(torch.float32);
    expectThrow(() => a.add(a, { alhpa: 2 } as never), 'TypeError', "add() got an unexpected keyword argument 'alhpa'");
    expectThrow(() => a.to({ dtyp: torch.float32 } as never), 'TypeError', "to() got an unexpected keyword argument 'dtyp'");
    expectThrow(() => a.div(a, { rounding: 'floor' } as never), 'TypeError', "div() got an unexpected keyword argument 'rounding'");
    expectThrow(() => a.isclose(a, { tol: 1 } as never), 'TypeError', "isclose() got an unexpected keyword argument 'tol'");
    expectThrow(() => torch.linalg.cholesky(a, { lower: true } as never), 'TypeError', "cholesky() got an unexpected keyword argument 'lower'");
  });
  test('reductions: options by keyword, and a misspelt one is a TypeError', () => {
    const a = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 });
    expect(a.sum({ dim: 1, keepdim: true }).tolist()).toEqual([[3], [7]]);
    expect(a.sum(1, { keepdim: true }).tolist()).toEqual([[3], [7]]);
    expect(a.std({ dim: 0, correction: 0 }).tolist()).toEqual([1, 1]);
    expectThrow(() => a.sum(1, { keep_dim: true } as never), 'TypeError', "sum() got an unexpected keyword argument 'keep_dim'");
    expectThrow(() => a.mean({ dims: 1 } as never), 'TypeError', "mean() got an unexpected keyword argument 'dims'");
    expectThrow(() => a.var(0, { unbaised: false } as never), 'TypeError', "var() got an unexpected keyword argument 'unbaised'");
    expectThrow(() => a.argmax({ dim: 0, keepDim: true } as never), 'TypeError', "argmax() got an unexpected keyword argument 'keepDim'");
    expectThrow(() => a.norm({ ord: 1 } as never), 'TypeError', "norm() got an unexpected keyword argument 'ord'");
    // Trailing flags by keyword too.
    expect(a.logsumexp(1, { keepdim: true }).shape).toEqual([2, 1]);
    expect(a.median(1, { keepdim: true }).values.tolist()).toEqual([[1], [3]]);
    expect(a.kthvalue(2, 1, { keepdim: true }).values.tolist()).toEqual([[2], [4]]);
    const z = torch.zeros(3);
    z.index_put_([torch.tensor([0, 0], { dtype: torch.int64 })], torch.tensor([1.0, 2.0]), { accumulate: true });
    expect(z.tolist()).toEqual([3, 0, 0]);
    expectThrow(() => a.logsumexp(1, { keep_dim: true } as never), 'TypeError', "logsumexp() got an unexpected keyword argument 'keep_dim'");
  });
  test('new_* factories take dtype and device from the tensor', () => {
    const y = torch.tensor([1.5, 2.5], { dtype: torch.float64 });
    const nf = y.new_full([2, 2], 7);
    expect([nf.tolist(), String(nf.dtype)]).toEqual(ops.new_full);
    const nt = y.new_tensor([1, 2, 3]);
    expect([nt.tolist(), String(nt.dtype)]).toEqual(ops.new_tensor);
    expect(y.new_zeros(2, 3).shape).toEqual([2, 3]);
    expect(y.new_zeros([2]).dtype).toBe(torch.float64);
    expect(y.new_ones([1], { dtype: torch.int32 }).dtype).toBe(torch.int32);
    expect(y.new_empty(3).shape).toEqual([3]);
    expect(y.new_zeros([2], { requires_grad: true }).requires_grad).toBe(true);
    expect(y.real).toBe(y);
    expectThrow(() => y.imag, 'Error', 'imag is not implemented for tensors with non-complex dtypes.');
    expect(y.type()).toBe('torch.DoubleTensor');
    expect(y.type(torch.float32).dtype).toBe(torch.float32);
  });
  test('typename, finfo, iinfo, Size, constants, is_complex', () => {
    const ts = [torch.float32, torch.float64, torch.int64, torch.bool, torch.int32, torch.uint8].map((d) => torch.typename(torch.zeros(1, { dtype: d })));
    expect([...ts, torch.typename(1), torch.typename(1.5), torch.typename('s'), torch.typename(null), torch.typename([1])]).toEqual(ops.typename);
    for (const [name, ref] of Object.entries(ops.finfo as Record<string, number[]>)) {
      const fi = new torch.finfo((torch as unknown as Record<string, InstanceType<typeof torch.dtype>>)[name]);
      expect([fi.eps, fi.max, fi.min, fi.tiny, fi.resolution, fi.bits]).toEqual(ref);
    }
    for (const [name, ref] of Object.entries(ops.iinfo as Record<string, [string, string, number]>)) {
      const ii = new torch.iinfo((torch as unknown as Record<string, InstanceType<typeof torch.dtype>>)[name]);
      expect([String(ii.max), String(ii.min), ii.bits]).toEqual(ref);
    }
    // int64 bounds are exact BigInts and usable as scalars.
    const big = torch.tensor([9223372036854775807n]);
    expect(big.eq(new torch.iinfo(torch.int64).max as bigint).item()).toBe(true);
    expectThrow(() => new torch.iinfo(torch.float32), 'TypeError', /requires an integer input type/);
    expect(torch.Size()).toEqual([]);
    expect(torch.Size([2, 3])).toEqual([2, 3]);
    expect(torch.size_numel([2, 3, 4])).toBe(24);
    expect(Number.isNaN(torch.nan)).toBe(true);
    expect(torch.inf).toBe(Infinity);
    expect(torch.is_complex(torch.ones(1))).toBe(false);
    expect(torch.is_nonzero(torch.tensor([2]))).toBe(true);
    expect(torch.is_nonzero(torch.tensor([false]))).toBe(false);
    expectThrow(() => torch.is_nonzero(torch.ones(2)), 'Error', 'Boolean value of Tensor with more than one value is ambiguous');
  });
  test('deterministic switches, torch.random, exact 64-bit seeds', () => {
    expect(torch.are_deterministic_algorithms_enabled()).toBe(false);
    torch.use_deterministic_algorithms(true);
    expect(torch.are_deterministic_algorithms_enabled()).toBe(true);
    torch.use_deterministic_algorithms(false);
    torch.random.manual_seed(3);
    const a = torch.rand(2);
    torch.manual_seed(3);
    expect(torch.rand(2).equal(a)).toBe(true);
    const inside = torch.random.fork_rng(() => torch.rand(3));
    expect(torch.rand(3).equal(inside)).toBe(true);
    // A seed above 2^53 is used exactly (RandomSampler draws such seeds).
    const g1 = new torch.Generator().manual_seed(900450186894289455n);
    const g2 = new torch.Generator().manual_seed(900450186894289456n);
    expect(g1.initial_seed()).not.toBe(0);
    expect(torch.rand(3, { generator: g1 }).equal(torch.rand(3, { generator: g2 }))).toBe(false);
  });
});

describe('string indices', () => {
  test('parsed once and reused: the same string reads and writes the same places', () => {
    const t = torch.arange(12).view(3, 4);
    for (let k = 0; k < 2; k++) {
      expect(t.get(':, 1').tolist()).toEqual([1, 5, 9]);
      expect(t.get('1:, ::2').tolist()).toEqual([[4, 6], [8, 10]]);
      expect(t.get('..., -1').tolist()).toEqual([3, 7, 11]);
      expect(t.get('None, 0').shape).toEqual([1, 4]);
      expect(t.get(0, '1:3').tolist()).toEqual([1, 2]);
    }
    const u = torch.zeros(2, 3);
    u.set(':, 0', torch.tensor([1, 2]));
    u.set(':, 0', u.get(':, 0').mul(10));
    expect(u.tolist()).toEqual([[10, 0, 0], [20, 0, 0]]);
    // A bad string throws every time (nothing half-parsed is kept).
    for (let k = 0; k < 2; k++) expect(() => t.get('1:2:3:4')).toThrow(RangeError);
    expect(() => t.get(':, x')).toThrow(/cannot parse 'x'/);
  });
});

describe('views and futures', () => {
  test('_is_view and _base', () => {
    const base = torch.arange(6).float();
    const v = base.view(2, 3).get(0);
    expect(v._is_view()).toBe(true);
    expect(v._base!.is_same(base)).toBe(true);
    expect(base._is_view()).toBe(false);
    expect(base._base).toBeNull();
    expect(base.clone()._is_view()).toBe(false);
  });
  test('Future: set_result, then, done, wait, await, collect_all, wait_all', async () => {
    const fut = new torch.futures.Future<number>();
    const chained = fut.then((f) => f.wait() * 2);
    expect(fut.done()).toBe(false);
    expectThrow(() => fut.wait(), 'Error', /not completed/);
    fut.set_result(21);
    expect(fut.done()).toBe(true);
    expect(chained.wait()).toBe(42);
    expect(await chained).toBe(42);
    expectThrow(() => fut.set_result(1), 'Error', 'Future can only be marked completed once.');
    const a = new torch.futures.Future<number>();
    const b = new torch.futures.Future<number>();
    const all = torch.futures.collect_all([a, b]);
    a.set_result(1);
    expect(all.done()).toBe(false);
    b.set_result(2);
    expect(torch.futures.wait_all(all.wait())).toEqual([1, 2]);
    const bad = new torch.futures.Future<number>();
    const after = bad.then((f) => f.wait() + 1);
    bad.set_exception(new Error('boom'));
    expectThrow(() => after.wait(), 'Error', 'boom');
    await expect(bad).rejects.toThrow('boom');
  });
});

describe('torch.testing.assert_close', () => {
  const AC = S.assert_close;
  const t = (x: unknown, d = torch.float32) => torch.tensor(x as number[], { dtype: d });
  const cases: Record<string, [unknown, unknown]> = {
    float32_vec: [t([1, 2, 3]), t([1, 2.5, 3])],
    shape: [t([1]), t([1, 2])],
    dtype: [t([1]), t([1], torch.float64)],
    scalar_tensor: [torch.tensor(1.0), torch.tensor(2.0)],
    numbers: [1.0, 1.5],
    matrix: [t([[1, 2], [3, 4]]), t([[1, 2], [3, 5]])],
    int: [t([1, 2], torch.int64), t([1, 3], torch.int64)],
    list: [[torch.tensor(1.0), torch.tensor(2.0)], [torch.tensor(1.0), torch.tensor(2.5)]],
    dict: [{ a: t([1]), b: t([0]) }, { a: t([1]), b: t([2e-5]) }],
    small_ok: [t([1.0, 100.0]), t([1.000001, 100.0001])],
    f64_tight: [t([1.0], torch.float64), t([1.000001], torch.float64)],
    nan: [t([NaN, 1]), t([NaN, 1])],
    len: [[torch.tensor(1.0)], [torch.tensor(1.0), torch.tensor(2.0)]],
  };
  test.each(Object.keys(cases))('%s', (name) => {
    const [a, e] = cases[name];
    const ref = AC[name];
    if (ref === null) torch.testing.assert_close(a, e);
    else expectThrow(() => torch.testing.assert_close(a, e), 'AssertionError' as 'Error', ref[1]);
  });
  test('custom tolerances, equal_nan, both-or-neither rtol/atol', () => {
    expect(() => torch.testing.assert_close(t([1.0]), t([1.1]), { rtol: 0.01, atol: 0.05 })).toThrow(AC.custom_tol[1]);
    torch.testing.assert_close(t([1.0]), t([1.1]), { rtol: 0.1, atol: 0 });
    torch.testing.assert_close(t([NaN]), t([NaN]), { equal_nan: true });
    expectThrow(() => torch.testing.assert_close(t([1.0]), t([1.1]), { rtol: 0.01 }), 'RangeError', AC.half_tol[1]);
    expect(torch.testing.get_tolerances(torch.float32, torch.float64)).toEqual([1.3e-6, 1e-5]);
    expect(() => torch.testing.assert_close(t([1.0]), t([2.0]), { msg: 'custom' })).toThrow(/^custom$/);
  });
});

describe('printing of shared values', () => {
  test('Python float repr helper used in messages', () => {
    const { pyFloatRepr } = require('../lib/torch/extras');
    expect([1, 0.1, 1e-5, 1.3e-6, 1e16, 123.456, -2.5, 1e-4, 0.30000001192092896].map((v: number) => pyFloatRepr(v))).toEqual([
      '1.0',
      '0.1',
      '1e-05',
      '1.3e-06',
      '1e+16',
      '123.456',
      '-2.5',
      '0.0001',
      '0.30000001192092896',
    ]);
  });
  void (null as unknown as Tensor);
});

describe('number operands of add/sub/mul/div (wrapped numbers)', () => {
  // A float32 op with a number rounds the number to float and the result once more:
  // computed in double and rounded (exact for +, -, *, / of two floats).
  const f = Math.fround;
  const x = torch.tensor([0.3, -1.7, 2.5e-8, 123456.7, -0.0, 3.4e38]);
  const xs = (x.tolist() as number[]).map(f);
  const nums = [0.1, -0.5, 1 / 3, 3, -7, 1e-45, 1e300, 2 ** 40 + 1];
  const same = (t: Tensor, want: number[]) => {
    expect(t.dtype).toBe(torch.float32);
    expect(t.tolist()).toEqual(want.map(f));
  };
  test('float32: the exact float results, for doubles, integers and out-of-range numbers', () => {
    for (const d of nums) {
      const b = f(d);
      same(x.mul(d), xs.map((a) => a * b));
      same(x.add(d), xs.map((a) => a + b));
      same(x.sub(d), xs.map((a) => a - b));
      same(x.div(d), xs.map((a) => a / b));
      const y = x.clone();
      y.mul_(d);
      same(y, xs.map((a) => a * b));
    }
  });
  test('float64 and integer tensors; many distinct numbers (cache evictions)', () => {
    const y = torch.tensor([1.5, -2.25, 1e-300], { dtype: torch.float64 });
    const i = torch.tensor([3, -4], { dtype: torch.int32 });
    for (let k = 0; k < 300; k++) {
      const d = k % 2 ? k * 0.37 - 20 : k - 150;
      expect(y.mul(d).tolist()).toEqual([1.5 * d, -2.25 * d, 1e-300 * d]);
      expect(y.add(d).dtype).toBe(torch.float64);
      const r = i.mul(d);
      expect(r.dtype).toBe(Number.isInteger(d) ? torch.int32 : torch.float32);
      expect(r.tolist()).toEqual(Number.isInteger(d) ? [3 * d + 0, -4 * d + 0] : [f(3 * f(d)), f(-4 * f(d))]);
      same(x.mul(d), xs.map((a) => a * f(d)));
    }
  });
  test('gradients through number operands, also after a use under no_grad', () => {
    const w = torch.tensor([1, 2, 3], { requires_grad: true });
    torch.no_grad(() => w.mul(0.123456));
    const l = w.mul(0.123456).add(w.div(0.123456)).sub(4.5).sum();
    l.backward();
    expect(w.grad!.tolist()).toEqual([0, 0, 0].map(() => f(f(0.123456) + f(1 / f(0.123456)))));
    expect(l.grad_fn!.name()).toBe('SumBackward0');
  });
});
