// torch.utils.data against Python torch 1.13: TensorDataset, DataLoader batching, seeded
// shuffles (RandomSampler's seed draw and the loader's base-seed draw keep the global
// stream aligned with Python), explicit generators, drop_last, len, random_split and
// default_collate.
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const DT = require('./fixtures/torch_surface.json').data;
const data = torch.utils.data;

const makeDs = () => new data.TensorDataset(torch.arange(10), torch.arange(10).mul(10));
const lists = (batches: Iterable<Tensor[]>) => [...batches].map((b) => b.map((t) => t.tolist()));

describe('DataLoader', () => {
  test('shuffle=true after manual_seed gives Python batches, epoch after epoch, and leaves the stream aligned', () => {
    const ds = makeDs();
    torch.manual_seed(30);
    const loader = new data.DataLoader(ds, { batch_size: 4, shuffle: true });
    expect(lists(loader)).toEqual(DT.shuffle_epoch1);
    expect(lists(loader)).toEqual(DT.shuffle_epoch2);
    expectClose(torch.rand(2), DT.after_shuffle_rand, 0, 0);
  });
  test('sequential batches (positional batch_size); each pass still draws the base seed', () => {
    torch.manual_seed(30);
    expect(lists(new data.DataLoader(makeDs(), 3))).toEqual(DT.seq);
    expectClose(torch.rand(2), DT.after_seq_rand, 0, 0);
  });
  test('an explicit generator drives the shuffle and leaves the global stream alone', () => {
    torch.manual_seed(30);
    const gen = new torch.Generator().manual_seed(5);
    const batches = [...new data.DataLoader(makeDs(), { batch_size: 5, shuffle: true, generator: gen })].map(([x]) => x.tolist());
    expect(batches).toEqual(DT.gen_shuffle);
    expectClose(torch.rand(2), DT.after_gen_rand, 0, 0);
  });
  test('len, drop_last, errors', () => {
    const ds = makeDs();
    expect([new data.DataLoader(ds, { batch_size: 4 }).length, new data.DataLoader(ds, { batch_size: 4, drop_last: true }).length, data.len(ds)]).toEqual(DT.len);
    expect([...new data.DataLoader(ds, { batch_size: 4, drop_last: true })].map(([x]) => x.shape)).toEqual(DT.drop_last);
    expectThrow(() => new data.TensorDataset(torch.zeros(3), torch.zeros(4)), 'RangeError', DT.err_size[1]);
    expectThrow(() => new data.DataLoader(ds, { batch_size: 0 }), 'RangeError', /batch_size should be a positive integer value/);
    expectThrow(() => new data.DataLoader(ds, { sampler: [0, 1], shuffle: true }), 'RangeError', /mutually exclusive/);
  });
  test('batches are copies with the dataset dtypes; a custom dataset and collate_fn work', () => {
    const x = torch.randn(6, 2);
    const y = torch.randint(0, 3, [6]);
    const [[xb, yb]] = new data.DataLoader(new data.TensorDataset(x, y), { batch_size: 6 });
    expect(xb.equal(x)).toBe(true);
    expect(yb.dtype).toBe(torch.int64);
    xb.zero_();
    expect(x.abs().sum().item()).toBeGreaterThan(0);
    class Squares extends data.Dataset<[number, number]> {
      __getitem__(i: number): [number, number] {
        return [i, i * i + 0.5];
      }
      override __len__(): number {
        return 5;
      }
    }
    const batches = [...new data.DataLoader(new Squares(), { batch_size: 2 })] as Tensor[][];
    expect(batches.map(([a, b]) => [a.tolist(), b.tolist(), a.dtype.name, b.dtype.name])).toEqual([
      [[0, 1], [0.5, 1.5], 'int64', 'float64'],
      [[2, 3], [4.5, 9.5], 'int64', 'float64'],
      [[4], [16.5], 'int64', 'float64'],
    ]);
    const custom = new data.DataLoader([1, 2, 3], { batch_size: 2, collate_fn: (b: number[]) => b.reduce((s, v) => s + v, 0) });
    expect([...custom]).toEqual([3, 3]);
    const unbatched = new data.DataLoader([7, 8], { batch_size: null });
    expect([...unbatched]).toEqual([7, 8]);
  });
});

describe('samplers, random_split, default_collate', () => {
  test('random_split after manual_seed', () => {
    torch.manual_seed(31);
    expect(data.random_split(makeDs(), [7, 3]).map((s) => s.indices)).toEqual(DT.random_split);
  });
  test('RandomSampler with replacement', () => {
    torch.manual_seed(32);
    expect([...new data.RandomSampler([0, 1, 2, 3, 4], { replacement: true, num_samples: 7 })]).toEqual(DT.sampler_replacement);
  });
  test('default_collate: numbers, tuples, dicts', () => {
    const nums = data.default_collate([[1, 0.5], [2, 1.5], [3, 2.5]]) as Tensor[];
    expect(nums.map((t) => [t.tolist(), String(t.dtype)])).toEqual(DT.collate_numbers);
    const d = data.default_collate([{ a: torch.tensor([1, 2]), b: 3 }, { a: torch.tensor([3, 4]), b: 4 }]) as Record<string, Tensor>;
    expect({ a: d.a.tolist(), b: d.b.tolist() }).toEqual(DT.collate_dict);
    expect(data.default_collate(['x', 'y'])).toEqual(['x', 'y']);
    expectThrow(() => data.default_collate([[1, 2], [3]]), 'RangeError', /each element in list of batch should be of equal size/);
  });
});
