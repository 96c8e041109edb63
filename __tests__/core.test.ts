// Native core: dtypes, devices, factories, data out, printing, random stream, errors,
// disposal and scopes.
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import { N } from '../lib/native';
import { expectClose, expectThrow, ref } from './helpers';

describe('dtypes and devices', () => {
  test('factories honour dtype and report it', () => {
    for (const d of [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool]) {
      const t = torch.zeros([2, 3], { dtype: d });
      expect(t.dtype).toBe(d);
      expect(t.shape).toEqual([2, 3]);
      expect(t.element_size()).toBe(d.itemsize);
    }
  });
  test('numbers default to float32, booleans to bool, bigints to int64', () => {
    expect(torch.tensor([1, 2]).dtype).toBe(torch.float32);
    expect(torch.tensor([true]).dtype).toBe(torch.bool);
    expect(torch.tensor([1n, 2n]).dtype).toBe(torch.int64);
    expect(torch.tensor(new Int32Array([1, 2])).dtype).toBe(torch.int32);
    expect(torch.arange(3).dtype).toBe(torch.int64);
    expect(torch.arange(0, 1, 0.5).dtype).toBe(torch.float32);
  });
  test('set_default_dtype changes numbers and factories', () => {
    torch.set_default_dtype(torch.float64);
    try {
      expect(torch.tensor([1.5]).dtype).toBe(torch.float64);
      expect(torch.zeros(2).dtype).toBe(torch.float64);
    } finally {
      torch.set_default_dtype(torch.float32);
    }
  });
  test('devices', () => {
    const t = torch.ones(2);
    expect(t.device.type).toBe('cpu');
    expect(String(new torch.device('cuda:1'))).toBe('cuda:1');
    expectThrow(() => new torch.device('tpu'), 'RangeError');
    expect(typeof torch.cuda.is_available()).toBe('boolean');
    expect(torch.cuda.device_count()).toBeGreaterThanOrEqual(0);
    if (!torch.cuda.is_available()) {
      expectThrow(() => torch.ones(1, { device: 'cuda' }), 'Error', /CUDA/);
      // As Python before CUDA is used: no CUDA memory, and the resets are no-ops.
      expect(torch.cuda.memory_allocated()).toBe(0);
      expect(torch.cuda.max_memory_reserved(0)).toBe(0);
      torch.cuda.reset_peak_memory_stats();
      torch.cuda.empty_cache();
    }
    expectThrow(() => torch.cuda.memory_allocated('cpu'), 'RangeError', /expected a CUDA device/);
  });
  test("factories: a misspelt option is Python's TypeError, not a silent default", () => {
    expectThrow(() => torch.zeros(2, { require_grad: true } as never), 'TypeError', "zeros() got an unexpected keyword argument 'require_grad'");
    expectThrow(() => torch.tensor([1], { dtyp: torch.float64 } as never), 'TypeError', "tensor() got an unexpected keyword argument 'dtyp'");
    expectThrow(() => torch.randn([2], { generater: null } as never), 'TypeError', "randn() got an unexpected keyword argument 'generater'");
    expectThrow(() => torch.ones_like(torch.ones(1), { device_: 'cpu' } as never), 'TypeError', "ones_like() got an unexpected keyword argument 'device_'");
    expect(torch.ones([2], { requires_grad: true, dtype: torch.float64, device: 'cpu' }).requires_grad).toBe(true);
  });
  test('conversions', () => {
    const t = torch.tensor([1.7, -2.2]);
    expect(t.long().tolist()).toEqual([1, -2]);
    expect(t.double().dtype).toBe(torch.float64);
    expect(t.to(torch.int32).dtype).toBe(torch.int32);
    expect(t.to({ dtype: torch.float64 }).dtype).toBe(torch.float64);
    expect(t.cpu().device.type).toBe('cpu');
    expect((t.half().float().tolist() as number[])[0]).toBeCloseTo(1.7, 2);
  });
});

describe('factories and data out', () => {
  test('nested arrays give shapes; ragged arrays are errors', () => {
    expect(torch.tensor([[1, 2, 3], [4, 5, 6]]).shape).toEqual([2, 3]);
    expect(torch.tensor(5).shape).toEqual([]);
    expect(torch.tensor(5).item()).toBe(5);
    expect(() => torch.tensor([[1, 2], [3]])).toThrow(/expected sequence of length 2 at dim 1 \(got 1\)/);
  });
  test('zeros/ones/full/eye/arange/linspace values', () => {
    expect(torch.ones(2, 2).tolist()).toEqual([[1, 1], [1, 1]]);
    expect(torch.full([2], 7).tolist()).toEqual([7, 7]);
    expect(torch.eye(2).tolist()).toEqual([[1, 0], [0, 1]]);
    expect(torch.arange(1, 7, 2).tolist()).toEqual([1, 3, 5]);
    expect(torch.linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(torch.zeros_like(torch.ones(3)).tolist()).toEqual([0, 0, 0]);
    expect(torch.full_like(torch.ones(2), 3).tolist()).toEqual([3, 3]);
  });
  test('typed arrays: copies and zero-copy views', () => {
    const t = torch.tensor([1, 2, 3], { dtype: torch.float64 });
    const copy = t.toTypedArray() as Float64Array;
    expect(Array.from(copy)).toEqual([1, 2, 3]);
    copy[0] = 9;
    expect(t.tolist()).toEqual([1, 2, 3]);
    const view = t.dataView() as Float64Array;
    view[0] = 9;
    expect(t.tolist()).toEqual([9, 2, 3]);
    expect(torch.tensor([1n, 2n]).toTypedArray().constructor.name).toBe('BigInt64Array');
    expect(() => t.get('::2').dataView()).toThrow(/not contiguous/);
  });
  test('from_numpy with a shape', () => {
    expect(torch.from_numpy(new Float32Array([1, 2, 3, 4]), [2, 2]).tolist()).toEqual([[1, 2], [3, 4]]);
  });
});

describe('random stream matches Python torch', () => {
  test('manual_seed + randn/rand/randint', () => {
    torch.manual_seed(0);
    expectClose(torch.randn(5), ref.randn5_seed0, 0, 0);
    torch.manual_seed(42);
    expectClose(torch.rand(2, 3), ref.rand_2x3_seed42, 0, 0);
    expect(torch.randint(0, 10, [6]).tolist()).toEqual(ref.randint_after);
  });
  test('normal_/uniform_/randperm continue the same stream', () => {
    torch.manual_seed(7);
    expectClose(torch.empty(4).normal_(1, 2), ref.normal_after_seed7, 0, 0);
    expectClose(torch.empty(3).uniform_(-1, 1), ref.uniform_after, 0, 0);
    expect(torch.randperm(8).tolist()).toEqual(ref.randperm_after);
  });
  test('explicit generators', () => {
    const g = new torch.Generator().manual_seed(123);
    expectClose(torch.randn(3, { generator: g }), ref.generator123_randn3, 0, 0);
  });
  test('rng state round trip', () => {
    const s = torch.get_rng_state();
    const a = torch.rand(4).tolist();
    torch.set_rng_state(s);
    expect(torch.rand(4).tolist()).toEqual(a);
  });
});

describe('printing matches Python', () => {
  test.each(['randn5', 'int', 'zeros23', 'sci', 'bool', 'f64', 'neg_zero', 'big', 'grad', 'leaf', 'empty', 'scalar', 'int32', 'nan_inf', 'intmode_big', '3d', 'long_row'])(
    '%s',
    (name) => {
      torch.manual_seed(0);
      const cases: Record<string, () => ReturnType<typeof torch.tensor>> = {
        randn5: () => torch.randn(5),
        int: () => torch.arange(10),
        zeros23: () => torch.zeros(2, 3),
        sci: () => torch.tensor([1e-5, 1.0, 1000.0]),
        bool: () => torch.tensor([true, false]),
        f64: () => torch.tensor([1.03125, 2.5], { dtype: torch.float64 }),
        neg_zero: () => torch.tensor([-0.0, 1.5]),
        big: () => torch.arange(2000, { dtype: torch.float32 }).reshape(40, 50).div(7),
        grad: () => torch.sigmoid(torch.zeros(9, { requires_grad: true })),
        leaf: () => torch.ones(2, { requires_grad: true }),
        empty: () => torch.zeros(0, 3),
        scalar: () => torch.tensor(3.25),
        int32: () => torch.tensor([1, 2], { dtype: torch.int32 }),
        nan_inf: () => torch.tensor([NaN, Infinity, -1.5]),
        intmode_big: () => torch.tensor([1.0, 1e9]),
        '3d': () => torch.arange(24).float().reshape(2, 3, 4),
        long_row: () => torch.linspace(0, 1, 30),
      };
      expect(cases[name]().toString()).toBe(ref.prints[name]);
    },
  );
  test('util.inspect uses the same text', () => {
    expect(require('util').inspect(torch.tensor([1.5]))).toBe('tensor([1.5000])');
  });
});

describe('errors', () => {
  test('libtorch errors become JS Errors with its message', () => {
    expect(() => torch.ones(2, 3).matmul(torch.ones(2, 3))).toThrow(/mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/);
    expect(() => torch.ones(2).add(torch.ones(3))).toThrow(/The size of tensor a \(2\) must match the size of tensor b \(3\)/);
  });
  test('wrong argument kinds are TypeErrors naming the argument', () => {
    expectThrow(() => torch.ones(2).add('x' as never), 'TypeError', /add\(\): argument 'other' must be a Tensor or a number, got string/);
    expectThrow(() => torch.ones(2).matmul({} as never), 'TypeError', /matmul\(\): argument 'other' must be a Tensor, got undefined/);
    expectThrow(() => torch.zeros(['a'] as never), 'TypeError');
  });
  test('index errors are RangeErrors', () => {
    expectThrow(() => torch.ones(2, 3).sum(5), 'RangeError', /Dimension out of range/);
    expectThrow(() => torch.ones(2).get(5), 'RangeError', /out of range|out of bounds/);
  });
  test('using a disposed tensor is a clear error', () => {
    const t = torch.ones(2);
    t.dispose();
    expect(t.is_disposed).toBe(true);
    expect(() => t.add(1)).toThrow(/used after dispose\(\)/);
    t.dispose(); // idempotent
    expect(String(t)).toBe('tensor(<disposed>)');
  });
});

describe('memory: dispose, scopes, counters', () => {
  // Live count changes, with what the GC freed meanwhile added back: the GC may run at
  // any allocation and free tensors of earlier tests between two readings.
  const made = (a: { tensors: number; collected: number }, b: { tensors: number; collected: number }) =>
    b.tensors - a.tensors + (b.collected - a.collected);

  test('memory() counts live tensors and bytes; dispose releases them', () => {
    let exact = 0;
    for (let attempt = 0; attempt < 5 && exact === 0; attempt++) {
      const before = torch.memory();
      const t = torch.zeros(1024, 1024);
      const mid = torch.memory();
      t.dispose();
      const after = torch.memory();
      expect(made(before, mid)).toBe(1);
      expect(made(mid, after)).toBe(-1);
      // Bytes compare exactly when the GC freed nothing else meanwhile.
      if (after.collected === before.collected) {
        expect(mid.bytes - before.bytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
        expect(after.bytes).toBe(before.bytes);
        exact++;
      }
    }
    expect(exact).toBe(1);
  });
  test('memory().collected grows as the GC frees tensors', () => {
    // (The test above shows dispose() is not counted: made() would be 0 there.)
    const start = torch.memory();
    let i = 0;
    // 1 MiB results left to the GC: V8 collects after some tens of MiB.
    while (torch.memory().collected === start.collected && i < 5000) {
      torch.empty(262144);
      i++;
    }
    expect(torch.memory().collected).toBeGreaterThan(start.collected);
    expect(i).toBeLessThan(5000);
  });
  test('Symbol.dispose frees at the end of a using block', () => {
    const before = torch.memory();
    {
      const t = torch.ones(3);
      t[Symbol.dispose]();
      expect(t.is_disposed).toBe(true);
    }
    expect(made(before, torch.memory())).toBe(0);
  });
  test('tidy disposes intermediates and keeps what it returns', () => {
    const before = torch.memory();
    const x = torch.ones(4);
    let inner: ReturnType<typeof torch.ones> | null = null;
    const r = torch.tidy(() => {
      inner = x.mul(2);
      const y = inner.add(1);
      return { out: [y.sum()] };
    });
    expect(r.out[0].item()).toBe(12);
    expect(inner!.is_disposed).toBe(true);
    expect(x.is_disposed).toBe(false);
    expect(made(before, torch.memory())).toBe(2);
  });
  test('tidy nests, keep() exempts, and errors still clean up', () => {
    let kept: ReturnType<typeof torch.ones> | null = null;
    let lost: ReturnType<typeof torch.ones> | null = null;
    const outer = torch.tidy(() => {
      const a = torch.tidy(() => {
        kept = torch.keep(torch.ones(1));
        return torch.zeros(1);
      });
      return a.add(1);
    });
    expect(outer.item()).toBe(1);
    expect(kept!.is_disposed).toBe(false);
    expect(() =>
      torch.tidy(() => {
        lost = torch.ones(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(lost!.is_disposed).toBe(true);
  });
  test('a disposed handle is reused without aliasing the old Tensor', () => {
    const a = torch.ones(2);
    a.dispose();
    const b = torch.zeros(2);
    expect(() => a.sum()).toThrow(/dispose/);
    expect(b.tolist()).toEqual([0, 0]);
  });
});

test('set_num_threads sizes ATen and, where libtorch uses OpenBLAS, its pool too', () => {
  const prev = torch.get_num_threads();
  try {
    torch.set_num_threads(1);
    expect(torch.get_num_threads()).toBe(1);
    const blas = (N as unknown as { _blas_num_threads(): number })._blas_num_threads();
    // -1: libtorch's BLAS is not OpenBLAS here (nothing to size).
    if (blas !== -1) expect(blas).toBe(1);
    torch.set_num_threads(2);
    if (blas !== -1) expect((N as unknown as { _blas_num_threads(): number })._blas_num_threads()).toBe(2);
  } finally {
    torch.set_num_threads(prev);
  }
});

test('CPU tensor data (the addon allocator): 64-byte aligned, any size, values intact', () => {
  const made: Tensor[] = [];
  for (const n of [1, 3, 15, 16, 17, 63, 64, 65, 1000, 4097, 100000]) {
    for (const dtype of [torch.uint8, torch.float32, torch.float64]) {
      const t = torch.arange(0, n, { dtype: torch.int64 }).remainder(200).to(dtype);
      expect(t.data_ptr() % 64).toBe(0);
      made.push(t);
    }
  }
  // Freed and reallocated many times: earlier tensors keep their values.
  for (let k = 0; k < 2000; k++) torch.ones(1 + (k % 300)).dispose();
  for (const t of made) {
    const n = t.numel();
    expect(t.to(torch.int64).eq(torch.arange(0, n, { dtype: torch.int64 }).remainder(200)).all().item()).toBe(true);
  }
  const e = torch.empty(0);
  expect(e.numel()).toBe(0);
  expect(torch.cat([e, torch.ones(2)]).sum().item()).toBe(2);
  // More than the machine has is refused with c10's message, also where the kernel
  // would overcommit (the first write would get the process killed).
  expectThrow(() => torch.zeros([2 ** 40]), 'Error', /^DefaultCPUAllocator: can't allocate memory: you tried to allocate 4398046511104 bytes/);
  expectThrow(() => torch.empty([2 ** 42], { dtype: torch.uint8 }), 'Error', /can't allocate memory: you tried to allocate 4398046511104 bytes/);
});
