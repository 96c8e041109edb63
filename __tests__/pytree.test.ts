/**
 * Pytree semantics, ported from optree 0.11's tests (test_ops.py, test_treespec.py) and the
 * behaviour TorchOpt relies on (spec §1.19, §6.2). Shared trees: pytree-helpers.ts.
 */

import {
  NONE_IS_LEAF,
  PyTreeSpec,
  TreeSpec,
  all_leaves,
  broadcast_prefix,
  namedtuple,
  tree_all,
  tree_any,
  tree_broadcast_prefix,
  tree_flatten,
  tree_flatten_as_tuple,
  tree_flatten_one_level,
  tree_flatten_with_path,
  tree_is_leaf,
  tree_iter,
  tree_leaves,
  tree_map,
  tree_map_,
  tree_map_with_path,
  tree_map_with_path_,
  tree_paths,
  tree_reduce,
  tree_replace_nones,
  tree_structure,
  tree_transpose,
  tree_unflatten,
  treeOptions,
} from '../lib/pytree';
import { CASES, CustomTuple, FlatCache, LEAVES, MyDict, NAMESPACED_TREE, Vector3D } from './pytree-helpers';

const label = (i: number): string => `case ${i}: ${CASES[i].str}`;

describe('flatten / unflatten round trips', () => {
  CASES.forEach((c, i) => {
    test(label(i), () => {
      for (const none_is_leaf of [false, true]) {
        const [leaves, spec] = tree_flatten(c.tree, { none_is_leaf });
        expect(spec.toString()).toBe(none_is_leaf ? c.strNoneIsLeaf : c.str);
        expect(spec.num_leaves).toBe(leaves.length);
        if (!none_is_leaf) expect(leaves).toStrictEqual(c.leaves);
        expect(tree_paths(c.tree, { none_is_leaf })).toStrictEqual(none_is_leaf ? c.pathsNoneIsLeaf : c.paths);
        const back = tree_unflatten(spec, leaves);
        if (c.tree instanceof FlatCache) expect((back as FlatCache).structured).toStrictEqual(c.tree.structured);
        else expect(back).toStrictEqual(c.tree);
        // The treespec of the rebuilt tree is the same, and flatten_up_to gives the leaves back.
        expect(tree_structure(back, { none_is_leaf }).equals(spec)).toBe(true);
        expect(spec.flatten_up_to(c.tree)).toStrictEqual(leaves);
        // Unflatten several times (the compiled object builders kick in after a few uses).
        for (let k = 0; k < 3; k++) {
          const again = tree_unflatten(spec, leaves);
          if (c.tree instanceof FlatCache) expect((again as FlatCache).structured).toStrictEqual(c.tree.structured);
          else expect(again).toStrictEqual(back);
        }
      }
    });
  });

  test('leaves are leaves whatever the options', () => {
    for (const x of LEAVES) {
      for (const none_is_leaf of [false, true]) {
        const [leaves, spec] = tree_flatten(x, { none_is_leaf });
        expect(leaves).toHaveLength(1);
        expect(leaves[0]).toBe(x);
        expect(spec.is_leaf()).toBe(true);
        expect(spec.num_nodes).toBe(1);
        expect(tree_unflatten(spec, [x])).toBe(x);
        expect(tree_is_leaf(x, { none_is_leaf })).toBe(true);
      }
    }
    expect(all_leaves(LEAVES)).toBe(true);
  });

  test('null and undefined stay distinct', () => {
    const tree = { a: null, b: undefined, c: [null, undefined] };
    const [leaves, spec] = tree_flatten(tree);
    expect(leaves).toEqual([]);
    const back = tree_unflatten(spec, []);
    expect(back.a).toBeNull();
    expect('b' in back).toBe(true);
    expect(back.b).toBeUndefined();
    expect(back.c).toStrictEqual([null, undefined]);
    expect(tree_structure(null).equals(tree_structure(undefined))).toBe(false);
    expect(tree_structure(null, NONE_IS_LEAF).equals(tree_structure(undefined, NONE_IS_LEAF))).toBe(true);
  });

  test('tree_unflatten accepts any iterable of leaves', () => {
    const spec = tree_structure({ a: [0, 0], b: 0 });
    expect(tree_unflatten(spec, new Set([1, 2, 3]))).toStrictEqual({ a: [1, 2], b: 3 });
    expect(tree_unflatten(spec, (function* () { yield* [4, 5, 6]; })())).toStrictEqual({ a: [4, 5], b: 6 });
  });

  test('wrong number of leaves', () => {
    for (const c of CASES) {
      const [leaves, spec] = tree_flatten(c.tree);
      if (leaves.length > 0) expect(() => tree_unflatten(spec, leaves.slice(0, -1))).toThrow(/^Too few leaves for PyTreeSpec/);
      expect(() => tree_unflatten(spec, [...leaves, 0])).toThrow(RangeError);
      expect(() => tree_unflatten(spec, [...leaves, 0])).toThrow(`Too many leaves for ${spec.toString()}; expected ${leaves.length}, got ${leaves.length + 1}.`);
    }
  });

  test('tree_flatten_as_tuple returns frozen leaves', () => {
    const [leaves, spec] = tree_flatten_as_tuple({ b: [1, null], a: 2 });
    expect(leaves).toStrictEqual([2, 1]);
    expect(Object.isFrozen(leaves)).toBe(true);
    expect(spec.toString()).toBe("PyTreeSpec({'a': *, 'b': [*, None]})");
    const [leaves2] = tree_flatten_as_tuple({ b: [1, null], a: 2 }, NONE_IS_LEAF);
    expect(leaves2).toStrictEqual([2, 1, null]);
  });

  test('tree_iter and tree_flatten_with_path', () => {
    const tree = { b: [2, [3, 4]], a: 1, c: null, d: 5 };
    expect(Array.from(tree_iter(tree))).toStrictEqual([1, 2, 3, 4, 5]);
    expect(Array.from(tree_iter(tree, NONE_IS_LEAF))).toStrictEqual([1, 2, 3, 4, null, 5]);
    const [paths, leaves, spec] = tree_flatten_with_path(tree);
    expect(paths).toStrictEqual([['a'], ['b', 0], ['b', 1, 0], ['b', 1, 1], ['d']]);
    expect(leaves).toStrictEqual([1, 2, 3, 4, 5]);
    expect(spec.num_leaves).toBe(5);
    expect(tree_flatten_with_path(1)).toStrictEqual([[[]], [1], tree_structure(1)]);
    expect(tree_flatten_with_path(null)[0]).toStrictEqual([]);
    expect(tree_flatten_with_path(null, NONE_IS_LEAF)[0]).toStrictEqual([[]]);
  });
});

describe('node types', () => {
  test('plain objects: children in sorted key order, key set kept', () => {
    expect(tree_leaves({ b: 1, a: 2, c: 3 })).toStrictEqual([2, 1, 3]);
    expect(tree_leaves({ 10: 'ten', 2: 'two', x: 'x' })).toStrictEqual(['ten', 'two', 'x']); // string order
    const tree = { b: 2, a: 1, c: { f: null, e: 3, g: 4 } };
    const [leaves, spec] = tree_flatten(tree);
    expect(leaves).toStrictEqual([1, 2, 3, 4]);
    expect(String(spec)).toBe("PyTreeSpec({'a': *, 'b': *, 'c': {'e': *, 'f': None, 'g': *}})");
    expect(spec.equals(tree_structure({ a: 1, b: 2, c: { e: 3, f: null, g: 4 } }))).toBe(true);
    const back = tree_unflatten(spec, leaves);
    expect(back).toStrictEqual(tree);
    expect(Object.keys(back).sort()).toStrictEqual(['a', 'b', 'c']);
  });

  test('objects with unusual keys and prototypes', () => {
    const weird = JSON.parse('{"__proto__": 1, "constructor": 2, "": 3, "a b": 4}');
    const [leaves, spec] = tree_flatten(weird);
    expect(leaves).toStrictEqual([3, 1, 4, 2]);
    for (let k = 0; k < 4; k++) {
      const back = tree_unflatten(spec, leaves);
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(Object.keys(back).sort()).toStrictEqual(['', '__proto__', 'a b', 'constructor']);
      expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toBe(1);
    }
    const bare = Object.assign(Object.create(null), { y: 1, x: 2 });
    expect(tree_leaves(bare)).toStrictEqual([2, 1]);
    expect(tree_structure(bare).equals(tree_structure({ x: 0, y: 0 }))).toBe(true);
  });

  test('Map keeps insertion order and arbitrary keys', () => {
    const key = { k: 1 };
    const m = new Map<unknown, unknown>([['b', 1], [key, [2, 3]], [0, 4]]);
    const [leaves, spec] = tree_flatten(m);
    expect(leaves).toStrictEqual([1, 2, 3, 4]);
    expect(spec.entries()).toStrictEqual(['b', key, 0]);
    const back = tree_unflatten(spec, [10, 20, 30, 40]) as Map<unknown, unknown>;
    expect(Array.from(back.keys())).toStrictEqual(['b', key, 0]);
    expect(back.get(key)).toStrictEqual([20, 30]);
    // Same keys in a different order: a different structure.
    expect(tree_structure(new Map([['a', 1], ['b', 2]])).equals(tree_structure(new Map([['b', 1], ['a', 2]])))).toBe(false);
    // A Map subclass that is not registered is a leaf.
    class MyMap extends Map<string, number> {}
    expect(tree_leaves(new MyMap([['a', 1]]))).toHaveLength(1);
  });

  test('none_is_leaf both ways', () => {
    expect(tree_flatten(null)[0]).toStrictEqual([]);
    expect(String(tree_flatten(null)[1])).toBe('PyTreeSpec(None)');
    expect(tree_flatten(null, NONE_IS_LEAF)[0]).toStrictEqual([null]);
    expect(String(tree_flatten(null, { none_is_leaf: true })[1])).toBe('PyTreeSpec(*, NoneIsLeaf)');
    const tree = { b: [2, [3, 4]], a: 1, c: null, d: 5 };
    expect(tree_leaves(tree)).toStrictEqual([1, 2, 3, 4, 5]);
    expect(tree_leaves(tree, NONE_IS_LEAF)).toStrictEqual([1, 2, 3, 4, null, 5]);
    const spec = tree_structure(tree, NONE_IS_LEAF);
    expect(spec.none_is_leaf).toBe(true);
    expect(spec.equals(tree_structure(tree))).toBe(false);
    expect(tree_unflatten(spec, [1, 2, 3, 4, 'was null', 5])).toStrictEqual({ a: 1, b: [2, [3, 4]], c: 'was null', d: 5 });
  });

  test('is_leaf predicate', () => {
    const x = [[1, 2], [3, 4], [5, 6]];
    expect(tree_leaves(x, () => false)).toStrictEqual([1, 2, 3, 4, 5, 6]);
    expect(tree_leaves(x, { is_leaf: (t) => Array.isArray(t) && t.length === 2 })).toStrictEqual(x);
    expect(tree_flatten(x, (t) => Array.isArray(t) && t.length === 2)[1].toString()).toBe('PyTreeSpec([*, *, *])');
    expect(tree_structure(x, { is_leaf: (t) => t === x }).is_leaf()).toBe(true);
    // is_leaf sees every node, null included.
    const seen: unknown[] = [];
    tree_leaves({ a: [1], b: null }, (t) => {
      seen.push(t);
      return false;
    });
    expect(seen).toStrictEqual([{ a: [1], b: null }, [1], 1, null]);
    expect(tree_leaves([1, null, [null]], (t) => t === null)).toStrictEqual([1, null, null]);
  });
});

describe('namedtuple', () => {
  const State = namedtuple('ScaleByAdamState', ['mu', 'nu', 'count']);

  test('fields, toString, helpers', () => {
    const s = new State([1], { a: 2 }, 3);
    expect(s.mu).toStrictEqual([1]);
    expect(s.count).toBe(3);
    expect(State._fields).toStrictEqual(['mu', 'nu', 'count']);
    expect(s._fields).toStrictEqual(['mu', 'nu', 'count']);
    expect(State.name).toBe('ScaleByAdamState');
    expect(String(s)).toBe("ScaleByAdamState(mu=[1], nu={a: 2}, count=3)");
    expect(Object.keys(s)).toStrictEqual(['mu', 'nu', 'count']);
    expect(s.length).toBe(3);
    expect([...s]).toStrictEqual([[1], { a: 2 }, 3]);
    expect((s as any)[2]).toBe(3);
    expect(s._asdict()).toStrictEqual({ mu: [1], nu: { a: 2 }, count: 3 });
    const r = s._replace({ count: 4 });
    expect(r).toBeInstanceOf(State);
    expect(r.count).toBe(4);
    expect(r.mu).toBe(s.mu);
    expect(s.count).toBe(3);
    expect(State._make([7, 8, 9]).nu).toBe(8);
    expect(() => s._replace({ bogus: 1 } as any)).toThrow(/unexpected field name 'bogus'/);
  });

  test('records are frozen and check their arity', () => {
    const s = new State(1, 2, 3);
    expect(Object.isFrozen(s)).toBe(true);
    expect(() => {
      (s as any).mu = 5;
    }).toThrow(TypeError);
    expect(() => new State(1, 2)).toThrow("ScaleByAdamState() missing 1 required positional argument: 'count'");
    expect(() => new State(1, 2, 3, 4)).toThrow('ScaleByAdamState() takes 3 positional arguments but 4 were given');
    const WithDefaults = namedtuple('WithDefaults', ['a', 'b', 'c'], { defaults: [null, 0] });
    const w = new WithDefaults(1);
    expect([w.a, w.b, w.c]).toStrictEqual([1, null, 0]);
    expect(WithDefaults._field_defaults).toStrictEqual({ b: null, c: 0 });
    expect(() => namedtuple('Bad', ['_x'])).toThrow(TypeError);
    expect(() => namedtuple('Bad', ['a', 'a'])).toThrow(/duplicate/);
  });

  test('flatten visits fields in declared order and rebuilds the same class', () => {
    const P = namedtuple('P', ['z', 'a']);
    const p = new P({ y: 1, x: 2 }, [3, null]);
    const [leaves, spec] = tree_flatten(p);
    expect(leaves).toStrictEqual([2, 1, 3]);
    expect(String(spec)).toBe("PyTreeSpec(P(z={'x': *, 'y': *}, a=[*, None]))");
    const back = tree_unflatten(spec, [20, 10, 30]);
    expect(back).toBeInstanceOf(P);
    expect(back).toStrictEqual(new P({ x: 20, y: 10 }, [30, null]));
    expect(spec.type).toBe(P);
    expect(spec.kind).toBe('namedtuple');
    // Same fields, different class: different structures.
    const Q = namedtuple('P', ['z', 'a']);
    expect(tree_structure(new Q(1, 2)).equals(tree_structure(new P(1, 2)))).toBe(false);
    // Subclasses are namedtuples of their own type.
    class Sub extends P {
      sum(): number {
        return (this.z as number) + (this.a as number);
      }
    }
    const s = tree_map((x: number) => x * 10, new Sub(1, 2));
    expect(s).toBeInstanceOf(Sub);
    expect((s as Sub).sum()).toBe(30);
  });

  test('optimizer-state style map keeps the record type', () => {
    const st = new State({ w: 1, b: 2 }, { w: 3, b: 4 }, 0);
    const out = tree_map((x: number) => x + 1, st);
    expect(out).toBeInstanceOf(State);
    expect(out).toStrictEqual(new State({ w: 2, b: 3 }, { w: 4, b: 5 }, 1));
  });
});

describe('tree_map family', () => {
  test('single tree', () => {
    expect(tree_map((x: number) => x + 1, { x: 7, y: [42, 64] })).toStrictEqual({ x: 8, y: [43, 65] });
    expect(tree_map((x: number) => x + 1, { x: 7, y: [42, 64], z: null })).toStrictEqual({ x: 8, y: [43, 65], z: null });
    expect(tree_map((x: unknown) => x === null, { x: 7, y: [42, 64], z: null })).toStrictEqual({ x: false, y: [false, false], z: null });
    expect(tree_map((x: unknown) => x === null, { x: 7, y: [42, 64], z: null }, NONE_IS_LEAF)).toStrictEqual({
      x: false,
      y: [false, false],
      z: true,
    });
    expect(tree_map((x: number) => x * 2, 21)).toBe(42);
  });

  test('several trees: first defines the structure, others need it as a prefix', () => {
    expect(tree_map((x: number, y: number[]) => [x, ...y], [5, 6], [[7, 9], [1, 2]])).toStrictEqual([
      [5, 7, 9],
      [6, 1, 2],
    ]);
    const x = [[1, 2, null], [3, 4, 5]];
    const y = [[[6], null, null], [{ foo: 'bar' }, 7, [8, 9]]];
    expect(tree_map((...xs: unknown[]) => xs, x, y)).toStrictEqual([
      [[1, [6]], [2, null], null],
      [[3, { foo: 'bar' }], [4, 7], [5, [8, 9]]],
    ]);
    // A leaf of the first tree under which the second has null: null is passed to fn.
    // A null of the first tree where the second has a value: a structure error.
    const y2 = [[[6], null, 7], [{ foo: 'bar' }, 8, [9, 0]]];
    expect(() => tree_map((...xs: unknown[]) => xs, x, y2)).toThrow(
      "tree_map: tree #2 does not match the structure of the first tree at tree[0][2]: expected null, got number 7.",
    );
    // none_is_leaf: null of the first tree is a leaf and gets the second tree's value.
    expect(tree_map((...xs: unknown[]) => xs, x, y2, NONE_IS_LEAF)).toStrictEqual([
      [[1, [6]], [2, null], [null, 7]],
      [[3, { foo: 'bar' }], [4, 8], [5, [9, 0]]],
    ]);
    // Three trees.
    expect(tree_map((a: number, b: number, c: number) => a + b + c, { a: 1, b: [2] }, { a: 10, b: [20] }, { a: 100, b: [200] })).toStrictEqual({
      a: 111,
      b: [222],
    });
  });

  test('TorchOpt ordering: (params|state, updates) with null gradients', () => {
    // params define the structure; a null update (unused parameter) reaches fn.
    const params = { w: 1, b: 2 };
    const updates = { w: 0.5, b: null };
    expect(tree_map((p: number, g: number | null) => (g === null ? p : p - g), params, updates)).toStrictEqual({ w: 0.5, b: 2 });
    // With updates first (and none_is_leaf false) the null update is an empty subtree: params[b] must be null.
    expect(() => tree_map((g: number, p: number) => p - g, updates, params)).toThrow(/at tree\['b'\]: expected null, got number 2/);
    expect(tree_map((g: number | null, p: number) => (g === null ? p : p - g), updates, params, NONE_IS_LEAF)).toStrictEqual({ w: 0.5, b: 2 });
  });

  test('is_leaf with several trees', () => {
    const x = [[1, 2, null], [3, 4, 5]];
    const y = [[[6], null, null], [{ foo: 'bar' }, 7, [8, 9]]];
    const opts = treeOptions({ is_leaf: (n) => Array.isArray(n) && n.length === 3 && n[0] === 3 });
    expect(tree_map((...xs: unknown[]) => xs, x, y, opts)).toStrictEqual([
      [[1, [6]], [2, null], null],
      [[3, 4, 5], [{ foo: 'bar' }, 7, [8, 9]]],
    ]);
    expect(tree_map((...xs: unknown[]) => xs.length, [1, null], treeOptions({ is_leaf: (v) => v === null }))).toStrictEqual([1, 1]);
  });

  test('tree_map_ calls fn for side effects in leaf order and returns the first tree', () => {
    const tree = { b: [1, 2], a: 0 };
    const seen: unknown[][] = [];
    const out = tree_map_((x: number, y: number) => seen.push([x, y]), tree, { b: [10, 20], a: 5 });
    expect(out).toBe(tree);
    expect(seen).toStrictEqual([
      [0, 5],
      [1, 10],
      [2, 20],
    ]);
    const counter = { n: 0 };
    tree_map_(() => counter.n++, { a: [1, 2, null] }, NONE_IS_LEAF);
    expect(counter.n).toBe(3);
  });

  test('tree_map_with_path(_)', () => {
    expect(tree_map_with_path((p: unknown[], x: number) => [p.length, x], { x: 7, y: [42, 64] })).toStrictEqual({
      x: [1, 7],
      y: [
        [2, 42],
        [2, 64],
      ],
    });
    expect(tree_map_with_path((p: unknown[]) => p, { x: 7, y: [42, 64], z: { k: null } })).toStrictEqual({
      x: ['x'],
      y: [['y', 0], ['y', 1]],
      z: { k: null },
    });
    expect(tree_map_with_path((p: unknown[]) => p, { z: { k: null } }, NONE_IS_LEAF)).toStrictEqual({ z: { k: ['z', 'k'] } });
    const x = [[1, 2, null], [3, 4, 5]];
    const y = [[[6], null, null], [{ foo: 'bar' }, 7, [8, 9]]];
    expect(tree_map_with_path((...xs: unknown[]) => xs, x, y)).toStrictEqual([
      [[[0, 0], 1, [6]], [[0, 1], 2, null], null],
      [[[1, 0], 3, { foo: 'bar' }], [[1, 1], 4, 7], [[1, 2], 5, [8, 9]]],
    ]);
    const paths: unknown[] = [];
    const t = { a: [1], b: 2 };
    expect(tree_map_with_path_((p: unknown[]) => paths.push(p.join('.')), t)).toBe(t);
    expect(paths).toStrictEqual(['a.0', 'b']);
  });

  test('registered nodes and namespaces in maps', () => {
    const v = new Vector3D(1, [2, 3], 'aux');
    const out = tree_map((x: number) => x * 2, v) as Vector3D;
    expect(out).toBeInstanceOf(Vector3D);
    expect(out).toStrictEqual(new Vector3D(2, [4, 6], 'aux'));
    // NAMESPACED_TREE is a leaf unless the namespace is given.
    expect(tree_map(() => 'leaf', NAMESPACED_TREE)).toBe('leaf');
    const mapped: any = tree_map((x: unknown) => (x === null ? x : (x as number) + 1), NAMESPACED_TREE, treeOptions({ namespace: 'namespace' }));
    expect(mapped).toBeInstanceOf(NAMESPACED_TREE.constructor);
    expect(mapped.get('baz')).toBe(102);
    expect(Array.from(mapped.get('foo').entries())).toStrictEqual([
      ['c', null],
      ['b', 3],
      ['a', 2],
    ]);
  });

  test('tree_replace_nones', () => {
    const sentinel = { sentinel: true };
    expect(tree_replace_nones(sentinel, { a: 1, b: null, c: [2, undefined] })).toStrictEqual({ a: 1, b: sentinel, c: [2, sentinel] });
    expect(tree_replace_nones(sentinel, null)).toBe(sentinel);
    expect(tree_replace_nones(0, new MyDict([['x', null]]))).toStrictEqual(new MyDict([['x', 0]]));
  });
});

describe('transpose, broadcast, reductions', () => {
  test('tree_transpose', () => {
    const outer = tree_structure({ a: 1, b: 2, c: [3, 4] });
    expect(String(outer)).toBe("PyTreeSpec({'a': *, 'b': *, 'c': [*, *]})");
    const inner = tree_structure([1, 2]);
    const tree = { a: [1, 2], b: [3, 4], c: [[5, 6], [7, 8]] };
    expect(tree_transpose(outer, inner, tree)).toStrictEqual([
      { a: 1, b: 3, c: [5, 7] },
      { a: 2, b: 4, c: [6, 8] },
    ]);
    // Only the number of leaves is checked (as in optree).
    expect(tree_transpose(outer, inner, [1, 2, 3, 4, 5, 6, 7, 8])).toStrictEqual([
      { a: 1, b: 3, c: [5, 7] },
      { a: 2, b: 4, c: [6, 8] },
    ]);
    for (const c of CASES) {
      const o = tree_structure(c.tree);
      const nested = tree_map((x: unknown) => [x, x, x], c.tree);
      if (o.num_leaves === 0) {
        expect(() => tree_transpose(o, tree_structure([1, 1, 1]), nested)).toThrow('Tree structures must have at least one leaf.');
        continue;
      }
      expect(() => tree_transpose(o, tree_structure([1, 1, 1], NONE_IS_LEAF), nested)).toThrow('Tree structures must have the same none_is_leaf value.');
      const t = tree_transpose(o, tree_structure([1, 1, 1]), nested) as unknown[];
      expect(t).toHaveLength(3);
      if (!(c.tree instanceof FlatCache)) for (const part of t) expect(part).toStrictEqual(c.tree);
    }
  });

  test('tree_transpose mismatch', () => {
    const tree = { a: [1, 2], b: [3, 4] };
    expect(() => tree_transpose(tree_structure({ a: 1, b: 2, c: 3 }), tree_structure([1, 2]), tree)).toThrow(TypeError);
    expect(() => tree_transpose(tree_structure({ a: 1, b: 2 }), tree_structure([1, 2, 3]), tree)).toThrow(/mismatch/);
  });

  test('tree_transpose of a state of trees (TorchOpt use)', () => {
    // list of [mu, nu] pairs -> [list of mu, list of nu]
    const pairs = [[1, 10], [2, 20], [3, 30]];
    expect(tree_transpose(tree_structure([0, 0, 0]), tree_structure([0, 0]), pairs)).toStrictEqual([
      [1, 2, 3],
      [10, 20, 30],
    ]);
  });

  test('broadcast_prefix / tree_broadcast_prefix', () => {
    expect(broadcast_prefix(1, [2, 3, 4])).toStrictEqual([1, 1, 1]);
    expect(broadcast_prefix([1, 2, 3], [4, 5, 6])).toStrictEqual([1, 2, 3]);
    expect(() => broadcast_prefix([1, 2, 3], [4, 5, 6, 7])).toThrow(
      'broadcast_prefix: prefix_tree is not a prefix of full_tree at full_tree: expected array of length 3, got array of length 4.',
    );
    expect(broadcast_prefix([1, 2, 3], [4, 5, [6, 7]])).toStrictEqual([1, 2, 3, 3]);
    expect(broadcast_prefix([1, 2, 3], [4, 5, { a: 6, b: 7, c: [null, 8] }])).toStrictEqual([1, 2, 3, 3, 3]);
    expect(broadcast_prefix([1, 2, 3], [4, 5, { a: 6, b: 7, c: [null, 8] }], NONE_IS_LEAF)).toStrictEqual([1, 2, 3, 3, 3, 3]);
    expect(tree_broadcast_prefix(1, [2, 3, 4])).toStrictEqual([1, 1, 1]);
    expect(tree_broadcast_prefix([1, 2, 3], [4, 5, [6, 7]])).toStrictEqual([1, 2, [3, 3]]);
    expect(tree_broadcast_prefix([1, 2, 3], [4, 5, { a: 6, b: 7, c: [null, 8] }])).toStrictEqual([1, 2, { a: 3, b: 3, c: [null, 3] }]);
    expect(tree_broadcast_prefix([1, 2, 3], [4, 5, { a: 6, b: 7, c: [null, 8] }], { none_is_leaf: true })).toStrictEqual([
      1,
      2,
      { a: 3, b: 3, c: [3, 3] },
    ]);
    expect(() => tree_broadcast_prefix({ a: 1 }, { b: 2 })).toThrow(/at full_tree: expected object with keys \['a'\], got object with keys \['b'\]; missing \['a'\]; extra \['b'\]/);
  });

  test('tree_reduce / tree_all / tree_any', () => {
    expect(tree_reduce((x: number, y: number) => x + y, { x: 1, y: [2, 3] })).toBe(6);
    expect(tree_reduce((x: number, y: number) => x + y, { x: 1, y: [2, null], z: 3 })).toBe(6);
    expect(tree_reduce((x: any, y: any) => x && y, { x: 1, y: [2, null], z: 3 })).toBe(3);
    expect(tree_reduce((x: any, y: any) => x && y, { x: 1, y: [2, null], z: 3 }, NONE_IS_LEAF)).toBeNull();
    expect(tree_reduce((acc: string, x: number) => acc + x, [1, [2, 3]], '>')).toBe('>123');
    expect(tree_reduce((acc: number, x: number) => acc + x, [], 5)).toBe(5);
    expect(() => tree_reduce((a: number, b: number) => a + b, [])).toThrow(TypeError);
    expect(tree_all({})).toBe(true);
    expect(tree_all({ x: 1, y: [2, 3] })).toBe(true);
    expect(tree_all({ x: 1, y: [2, null], z: 3 })).toBe(true);
    expect(tree_all({ x: 1, y: [2, null], z: 3 }, NONE_IS_LEAF)).toBe(false);
    expect(tree_all(null)).toBe(true);
    expect(tree_all(null, NONE_IS_LEAF)).toBe(false);
    expect(tree_any({})).toBe(false);
    expect(tree_any({ x: 0, y: [2, 0] })).toBe(true);
    expect(tree_any({ a: null })).toBe(false);
    expect(tree_any({ a: null }, NONE_IS_LEAF)).toBe(false);
    expect(tree_any(null)).toBe(false);
  });

  test('tree_flatten_one_level', () => {
    const [children, meta, entries, unflatten] = tree_flatten_one_level({ b: [1], a: 2 });
    expect(children).toStrictEqual([2, [1]]);
    expect(meta).toStrictEqual(['a', 'b']);
    expect(entries).toStrictEqual(['a', 'b']);
    expect(unflatten(meta, [3, 4])).toStrictEqual({ a: 3, b: 4 });
    const v = tree_flatten_one_level(new Vector3D(1, 2, 3));
    expect(v[0]).toStrictEqual([1, 2]);
    expect(v[1]).toBe(3);
    expect(v[3](v[1], [5, 6])).toStrictEqual(new Vector3D(5, 6, 3));
    const t = tree_flatten_one_level(new CustomTuple(1, 2));
    expect(t[3](t[1], [3, 4])).toStrictEqual(new CustomTuple(3, 4));
    expect(() => tree_flatten_one_level(1)).toThrow(/Cannot flatten leaf-type/);
    expect(tree_flatten_one_level(null)[0]).toStrictEqual([]);
  });
});

describe('TreeSpec', () => {
  test('counts, kind, type, children, entries', () => {
    const spec = tree_structure({ a: [1, null], b: new CustomTuple(2, { x: 3 }) });
    expect(spec.num_leaves).toBe(3);
    expect(spec.num_nodes).toBe(8); // root, [a], 1, None, CustomTuple, 2, {x}, 3
    expect(spec.num_children).toBe(2);
    expect(spec.length).toBe(3);
    expect(spec.kind).toBe('object');
    expect(spec.type).toBe(Object);
    expect(spec.entries()).toStrictEqual(['a', 'b']);
    expect(spec.entry(1)).toBe('b');
    expect(spec.children().map(String)).toStrictEqual(['PyTreeSpec([*, None])', "PyTreeSpec(CustomTuple(foo=*, bar={'x': *}))"]);
    expect(String(spec.child(1).child(1))).toBe("PyTreeSpec({'x': *})");
    expect(spec.child(0).child(1).is_leaf()).toBe(false);
    expect(spec.child(0).child(1).is_leaf(false)).toBe(true);
    expect(spec.child(0).child(0).is_leaf()).toBe(true);
    expect(spec.paths()).toStrictEqual([['a', 0], ['b', 0], ['b', 1, 'x']]);
    expect(() => spec.child(2)).toThrow(RangeError);
    expect(tree_structure([1, [2, 3]]).num_nodes).toBe(5);
    expect(tree_structure(null).num_nodes).toBe(1);
    expect(tree_structure(null).num_leaves).toBe(0);
  });

  test('equality and options', () => {
    const a = tree_structure({ a: [1, 2], b: null });
    expect(a.equals(tree_structure({ b: null, a: ['x', 'y'] }))).toBe(true);
    expect(a.equals(tree_structure({ a: [1, 2], b: 3 }))).toBe(false);
    expect(a.equals(tree_structure({ a: [1, 2, 3], b: null }))).toBe(false);
    expect(a.equals(tree_structure({ a: [1, 2], c: null }))).toBe(false);
    expect(a.equals(tree_structure({ a: [1, 2], b: null }, NONE_IS_LEAF))).toBe(false);
    expect(a.equals('PyTreeSpec')).toBe(false);
    const ns = tree_structure({ a: 1 }, { namespace: 'foo' });
    expect(ns.namespace).toBe('foo');
    expect(String(ns)).toBe("PyTreeSpec({'a': *}, namespace='foo')");
    expect(ns.equals(tree_structure({ a: 1 }))).toBe(true); // an empty namespace matches any
    expect(ns.equals(tree_structure({ a: 1 }, { namespace: 'bar' }))).toBe(false);
    expect(PyTreeSpec).toBe(TreeSpec);
    // Custom nodes compare their aux data.
    expect(tree_structure(new Vector3D(1, 2, [3])).equals(tree_structure(new Vector3D(0, 0, [3])))).toBe(true);
    expect(tree_structure(new Vector3D(1, 2, [3])).equals(tree_structure(new Vector3D(0, 0, [4])))).toBe(false);
  });

  test('flatten_up_to', () => {
    const [, spec] = tree_flatten([[1, 2], null, new CustomTuple(3, 7)]);
    expect(spec.flatten_up_to([[{ foo: 7 }, [3, 4]], null, new CustomTuple([11, 9], null)])).toStrictEqual([{ foo: 7 }, [3, 4], [11, 9], null]);
    const [, spec2] = tree_flatten([[1, 2], null, new CustomTuple(3, 7)], NONE_IS_LEAF);
    expect(spec2.flatten_up_to([[{ foo: 7 }, [3, 4]], null, new CustomTuple([11, 9], null)])).toStrictEqual([
      { foo: 7 },
      [3, 4],
      null,
      [11, 9],
      null,
    ]);
    expect(tree_structure({ a: 1, b: 2 }).flatten_up_to({ b: [1], a: { z: 0 } })).toStrictEqual([{ z: 0 }, [1]]);
  });

  test('is_prefix / is_suffix / compose / walk', () => {
    const prefix = tree_structure([1, { a: 2 }]);
    const full = tree_structure([[1, 2], { a: { x: 3 } }]);
    expect(prefix.is_prefix(full)).toBe(true);
    expect(prefix.is_prefix(full, true)).toBe(true);
    expect(prefix.is_prefix(prefix)).toBe(true);
    expect(prefix.is_prefix(prefix, true)).toBe(false);
    expect(full.is_prefix(prefix)).toBe(false);
    expect(full.is_suffix(prefix)).toBe(true);
    expect(tree_structure([1, { b: 2 }]).is_prefix(full)).toBe(false);
    const composed = tree_structure({ a: 0, b: [0, null] }).compose(tree_structure([0, 0]));
    expect(String(composed)).toBe("PyTreeSpec({'a': [*, *], 'b': [[*, *], None]})");
    expect(composed.num_leaves).toBe(4);
    expect(composed.num_nodes).toBe(tree_structure({ a: [0, 0], b: [[0, 0], null] }).num_nodes);
    const summed = tree_structure({ a: 0, b: [0, 0] }).walk((children: number[]) => children.reduce((s, x) => s + x, 0), (x: number) => x * 10, [1, 2, 3]);
    expect(summed).toBe(60);
  });
});

describe('recursion limit', () => {
  test('cyclic structures throw a RangeError', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(() => tree_flatten(a)).toThrow(/Maximum recursion depth/);
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(() => tree_leaves(o)).toThrow(RangeError);
  });

  test('deep but finite trees are fine', () => {
    let t: unknown = 1;
    for (let i = 0; i < 900; i++) t = [t];
    const [leaves, spec] = tree_flatten(t);
    expect(leaves).toStrictEqual([1]);
    expect(spec.num_nodes).toBe(901);
    expect(tree_unflatten(spec, [2])).toStrictEqual(tree_map(() => 2, t));
  });
});

describe('caches do not change results', () => {
  test('same keys in another insertion order: same structure, sorted leaves', () => {
    const a = { x: 1, y: 2, z: 3 };
    const b = { z: 30, x: 10, y: 20 };
    expect(tree_leaves(b)).toStrictEqual([10, 20, 30]);
    expect(tree_structure(a).equals(tree_structure(b))).toBe(true);
    expect(tree_map((u: number, v: number) => u + v, a, b)).toStrictEqual({ x: 11, y: 22, z: 33 });
  });

  test('many distinct key sets (the key-set cache overflows and restarts)', () => {
    const specs: TreeSpec[] = [];
    for (let i = 0; i < 5000; i++) {
      const o = { [`k${i}`]: i, a: [i], [`z${i % 7}`]: -i };
      const [leaves, spec] = tree_flatten(o);
      expect(leaves).toStrictEqual([[i], i, -i].flat());
      if (i % 1000 === 0) specs.push(spec);
    }
    expect(tree_unflatten(specs[0], [1, 2, 3])).toStrictEqual({ a: [1], k0: 2, z0: 3 });
    expect(tree_unflatten(specs[4], [1, 2, 3])).toStrictEqual({ a: [1], k4000: 2, z3: 3 });
  });

  test('leaf classes and sizes alternate between calls', () => {
    class A {}
    class B {}
    const a = new A();
    const b = new B();
    for (let i = 0; i < 3; i++) {
      expect(tree_leaves([a, b, [a, b]])).toStrictEqual([a, b, a, b]);
      expect(tree_leaves(Array.from({ length: 1500 }, (_, j) => (j % 2 ? a : b)))).toHaveLength(1500);
      expect(tree_leaves({ one: a })).toStrictEqual([a]);
      expect(tree_leaves([])).toStrictEqual([]);
    }
    // An object whose own `constructor` property is not a class is still a plain object.
    expect(tree_leaves({ constructor: 1, b: 2 })).toStrictEqual([2, 1]);
    expect(tree_leaves([{ constructor: a }])).toStrictEqual([a]);
  });
});
