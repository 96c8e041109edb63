/**
 * Type-level tests: checked by `tsc` (npm run typecheck), not by jest (which only transpiles).
 * Each `// @ts-expect-error` line is a call that must NOT compile.
 */

import {
  LeafOf,
  MapLeaves,
  NONE_IS_LEAF,
  PyTree,
  namedtuple,
  tree_flatten,
  tree_leaves,
  tree_map,
  tree_map_,
  tree_reduce,
  treeOptions,
} from '../lib/pytree';

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok?: T): void {}
/** Holds code that must fail to type-check; never run. */
function mustNotCompile(_code: () => void): void {}

/** Stands for a tensor: a class with methods, hence a leaf at type level. */
class FakeTensor {
  constructor(readonly v: number) {}
  add(o: FakeTensor): FakeTensor {
    return new FakeTensor(this.v + o.v);
  }
}

const params = { w: [new FakeTensor(1), new FakeTensor(2)], b: new FakeTensor(3), cfg: { lr: 0.1, name: 'x' } };

describe('type-level shapes', () => {
  test('LeafOf / MapLeaves', () => {
    assertType<Equals<LeafOf<typeof params>, FakeTensor | number | string>>();
    assertType<Equals<LeafOf<[number, { a: string }]>, number | string>>();
    assertType<Equals<LeafOf<{ a: null; b: boolean[] }>, boolean>>();
    assertType<Equals<LeafOf<Map<string, Date[]>>, Date>>();
    assertType<Equals<MapLeaves<{ a: number; b: [string, null] }, boolean>, { a: boolean; b: [boolean, null] }>>();
    assertType<Equals<MapLeaves<readonly number[], string>, string[]>>();
    assertType<Equals<MapLeaves<any, string>, any>>();
    assertType<Equals<LeafOf<unknown>, unknown>>();
    // An explicit leaf type: a method-less class is a leaf only when declared so.
    class Plain {
      constructor(readonly v: number) {}
    }
    assertType<Equals<LeafOf<{ p: Plain }>, number>>();
    assertType<Equals<LeafOf<{ p: Plain }, Plain>, Plain>>();
    // A recursive tree alias stays cheap (cut at depth 10).
    type T = PyTree<FakeTensor>;
    const t: T = [new FakeTensor(0), { a: null }];
    expect(tree_leaves(t)).toHaveLength(1);
  });

  test('tree_map infers the leaf type and the result shape', () => {
    const out = tree_map((x) => (typeof x === 'object' ? x.v : 0), params);
    assertType<Equals<typeof out, { w: number[]; b: number; cfg: { lr: number; name: number } }>>();
    expect(out).toStrictEqual({ w: [1, 2], b: 3, cfg: { lr: 0, name: 0 } });

    const tensors = { w: [new FakeTensor(1)], b: new FakeTensor(2) };
    const sum = tree_map((a, b: FakeTensor) => a.add(b), tensors, tensors);
    assertType<Equals<typeof sum, { w: FakeTensor[]; b: FakeTensor }>>();
    expect(sum.b.v).toBe(4);

    const [leaves] = tree_flatten(tensors);
    assertType<Equals<typeof leaves, FakeTensor[]>>();

    mustNotCompile(() => {
      // @ts-expect-error -- the leaves are FakeTensors, not strings
      tree_map((x: string) => x.length, tensors);
      // @ts-expect-error -- the result is { w: number[]; b: number }, not a string
      const wrong: string = tree_map((x) => x.v, tensors);
      // @ts-expect-error -- options in last position must be branded
      tree_map((x) => x, tensors, { none_is_leaf: true });
      // @ts-expect-error -- also for tree_map_
      tree_map_((x) => x, tensors, { namespace: 'ns' });
      void wrong;
    });
    expect(tree_map((x) => x, tensors, treeOptions({ namespace: 'ns' }))).toStrictEqual(tensors);
    expect(tree_map((x) => x, tensors, tensors, NONE_IS_LEAF)).toStrictEqual(tensors);
  });

  test('namedtuple records are typed', () => {
    class AdamState extends namedtuple<{ mu: FakeTensor[]; count: number }>('AdamState', ['mu', 'count']) {}
    const s = new AdamState([new FakeTensor(1)], 0);
    const n: number = s.count;
    const m: FakeTensor[] = s.mu;
    mustNotCompile(() => {
      // @ts-expect-error -- no such field
      s.nu;
      // @ts-expect-error -- fields are read-only
      s.count = 3;
      // @ts-expect-error -- _replace checks the field types
      s._replace({ count: 'one' });
      // @ts-expect-error -- the field list is checked against the record type
      namedtuple<{ a: number }>('Bad', ['a', 'b']);
    });
    const r: AdamState = s._replace({ count: 1 });
    const mapped = tree_map((x) => x, s);
    assertType<Equals<LeafOf<AdamState>, FakeTensor | number>>();
    expect(mapped).toBeInstanceOf(AdamState);
    expect([n, m.length, r.count]).toStrictEqual([0, 1, 1]);
    const Loose = namedtuple('Loose', ['x', 'y']);
    const l = new Loose(1, 'two');
    expect([l.x, l.y]).toStrictEqual([1, 'two']);
  });

  test('tree_reduce types its accumulator', () => {
    const total = tree_reduce((acc: number, x) => acc + x.v, { a: [new FakeTensor(1), new FakeTensor(2)] }, 0);
    assertType<Equals<typeof total, number>>();
    expect(total).toBe(3);
  });
});
