/**
 * Error messages: a structure mismatch says WHERE (the path from the root, `tree[1]['b']`) and WHAT
 * differs; arity / leaf-count problems are RangeErrors, kind / key / type problems TypeErrors.
 */

import {
  GLOBAL_NAMESPACE,
  NONE_IS_LEAF,
  namedtuple,
  register_pytree_node,
  tree_flatten,
  tree_map,
  tree_map_,
  tree_structure,
  tree_unflatten,
  treespec_tuple,
  unregister_pytree_node,
} from '../lib/pytree';
import { MyDict, Vector3D } from './pytree-helpers';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

const pair = (a: unknown, b: unknown): unknown[] => [a, b];

describe('tree_map structure mismatches', () => {
  test('kind mismatch deep in the tree: path and both sides', () => {
    const e = thrown(() => tree_map(pair, [1, { b: [1, 2], c: 3 }], [1, { b: { x: 1, y: 2 }, c: 3 }]));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "tree_map: tree #2 does not match the structure of the first tree at tree[1]['b']: expected array of length 2, got object with keys ['x', 'y'].",
    );
  });

  test('array length mismatch is a RangeError', () => {
    const e = thrown(() => tree_map(pair, { a: [[1, 2]] }, { a: [[1, 2, 3]] }));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe("tree_map: tree #2 does not match the structure of the first tree at tree['a'][0]: expected array of length 2, got array of length 3.");
  });

  test('object keys: missing and extra keys are listed', () => {
    const e = thrown(() => tree_map(pair, { a: 1, b: 2, c: 3 }, { a: 1, c: 3, d: 4 }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "tree_map: tree #2 does not match the structure of the first tree at tree: expected object with keys ['a', 'b', 'c'], got object with keys ['a', 'c', 'd']; missing ['b']; extra ['d'].",
    );
  });

  test('third tree, Map, namedtuple and custom steps', () => {
    const State = namedtuple('State', ['mu', 'count']);
    const a = { s: new State(new Map([['k', [1]]]), 0) };
    const b = { s: new State(new Map([['k', [1]]]), 0) };
    const c = { s: new State(new Map([['k', 'oops']]), 0) };
    const e = thrown(() => tree_map((x: unknown) => x, a, b, c));
    expect(e.message).toBe(
      "tree_map: tree #3 does not match the structure of the first tree at tree['s'].mu.get('k'): expected array of length 1, got string 'oops'.",
    );
    const d = thrown(() => tree_map(pair, new MyDict([['foo', [1, 2]]]), new MyDict([['foo', [1]]])));
    expect(d.message).toMatch(/at tree\['foo'\]: expected array of length 2, got array of length 1\.$/);
    const v = thrown(() => tree_map(pair, [new Vector3D(1, 2, 'aux')], [new Vector3D(1, 2, 'other')]));
    expect(v.message).toBe(
      "tree_map: tree #2 does not match the structure of the first tree at tree[0]: custom node data of Vector3D differs; expected 'aux', got 'other'.",
    );
    const t = thrown(() => tree_map(pair, [new State(1, 2)], [{ mu: 1, count: 2 }]));
    expect(t.message).toBe(
      "tree_map: tree #2 does not match the structure of the first tree at tree[0]: expected namedtuple State, got object with keys ['count', 'mu'].",
    );
    const n = thrown(() => tree_map(pair, { a: null }, { a: [1] }));
    expect(n.message).toBe("tree_map: tree #2 does not match the structure of the first tree at tree['a']: expected null, got array of length 1.");
    const cls = thrown(() => tree_map(pair, [new Vector3D(1, 2, 3)], [new Date(0)]));
    expect(cls.message).toMatch(/at tree\[0\]: expected instance of Vector3D \(custom node\), got instance of Date\.$/);
  });

  test('nothing is called before the structure is checked', () => {
    const calls: unknown[] = [];
    expect(() => tree_map_((x: unknown) => calls.push(x), [1, 2, [3]], [1, 2, 3])).toThrow(TypeError);
    expect(calls).toStrictEqual([]);
  });

  test('an unbranded options object in last position: a compile error, and a hint at run time', () => {
    // @ts-expect-error -- options in last position must be branded (treeOptions / NONE_IS_LEAF)
    const e = thrown(() => tree_map((x: number) => x, { a: 1 }, { none_is_leaf: true }));
    expect(e.message).toContain('pass it as treeOptions({...})');
    expect(tree_map((x: unknown) => x ?? 0, { a: null }, NONE_IS_LEAF)).toStrictEqual({ a: 0 });
  });
});

describe('other structure errors', () => {
  test('flatten_up_to names the treespec and the path', () => {
    const spec = tree_structure([{ a: 1 }, 2]);
    const e = thrown(() => spec.flatten_up_to([{ b: 1 }, 2]));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "Tree structure mismatch with PyTreeSpec([{'a': *}, *]) at tree[0]: expected object with keys ['a'], got object with keys ['b']; missing ['a']; extra ['b'].",
    );
    expect(() => spec.flatten_up_to({ 0: { a: 1 }, 1: 2 })).toThrow("at tree: expected array of length 2, got object with keys ['0', '1'].");
  });

  test('tree_unflatten with the wrong number of leaves', () => {
    const spec = tree_structure({ a: [1, 2], b: 3 });
    const few = thrown(() => tree_unflatten(spec, [1, 2]));
    expect(few).toBeInstanceOf(RangeError);
    expect(few.message).toBe("Too few leaves for PyTreeSpec({'a': [*, *], 'b': *}); expected 3, got 2.");
    expect(() => tree_unflatten(spec, [1, 2, 3, 4])).toThrow("Too many leaves for PyTreeSpec({'a': [*, *], 'b': *}); expected 3, got 4.");
    expect(() => tree_unflatten({} as any, [])).toThrow(TypeError);
  });

  test('custom flatten functions must return [children, aux, entries?]', () => {
    class Bad {
      constructor(readonly mode: number) {}
    }
    register_pytree_node(
      Bad,
      (b) => (b.mode === 0 ? (42 as any) : b.mode === 1 ? [[1], null, [0, 1]] : [[1]]),
      () => new Bad(0),
      'bad',
    );
    expect(() => tree_flatten(new Bad(0), { namespace: 'bad' })).toThrow(/should return \[children, auxData, entries\?\], got 42/);
    expect(() => tree_flatten(new Bad(1), { namespace: 'bad' })).toThrow(/returned 2 entries for 1 children/);
    expect(() => tree_flatten(new Bad(2), { namespace: 'bad' })).toThrow(/should return a 2- or 3-element array, got 1/);
    expect(tree_flatten(new Bad(2))[0]).toHaveLength(1); // a leaf outside the namespace
    unregister_pytree_node(Bad, 'bad');
  });

  test('registration errors', () => {
    class K {}
    expect(() => register_pytree_node(K, () => [[]], () => new K(), '')).toThrow('The namespace cannot be an empty string.');
    expect(() => register_pytree_node(K, () => [[]], () => new K(), 3 as any)).toThrow(TypeError);
    expect(() => register_pytree_node('K' as any, () => [[]], () => new K(), 'ns')).toThrow(/Expected a class/);
    expect(() => register_pytree_node(Array, () => [[]], () => [], GLOBAL_NAMESPACE)).toThrow(/built-in type/);
    register_pytree_node(K, () => [[]], () => new K(), 'ns');
    expect(() => register_pytree_node(K, () => [[]], () => new K(), 'ns')).toThrow("PyTree type K is already registered in namespace 'ns'.");
    unregister_pytree_node(K, 'ns');
    expect(() => unregister_pytree_node(K, 'ns')).toThrow("PyTree type K is not registered in namespace 'ns'.");
  });

  test('treespec constructors check their children', () => {
    expect(() => treespec_tuple([tree_structure(1, NONE_IS_LEAF)])).toThrow(/none_is_leaf=false/);
    expect(() => treespec_tuple([1 as any])).toThrow(/expected a TreeSpec/);
    expect(() => treespec_tuple([tree_structure(1, { namespace: 'a' }), tree_structure(1, { namespace: 'b' })])).toThrow(/namespace 'a'/);
  });
});
