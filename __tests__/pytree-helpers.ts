/**
 * Test trees shared by the pytree tests: a port of optree 0.11's tests/helpers.py (TREES with
 * their expected paths and treespec strings), with JS arrays for tuples/lists, plain objects for
 * dicts, Maps for OrderedDicts and `namedtuple` records.
 */

import {
  GLOBAL_NAMESPACE,
  TreeSpec,
  all_leaves,
  namedtuple,
  register_pytree_node,
  register_pytree_node_class,
  tree_flatten,
  tree_unflatten,
} from '../lib/pytree';

export const CustomTuple = namedtuple('CustomTuple', ['foo', 'bar']);
export class CustomNamedTupleSubclass extends CustomTuple {}

export class Vector3D {
  constructor(
    public x: unknown,
    public y: unknown,
    public z: unknown,
  ) {}
}
register_pytree_node(
  Vector3D,
  (o) => [[o.x, o.y], o.z],
  (z, xy) => new Vector3D(xy[0], xy[1], z),
  GLOBAL_NAMESPACE,
);

export class Vector2D {
  constructor(
    public x: unknown,
    public y: unknown,
  ) {}
  tree_flatten(): [unknown[], null] {
    return [[this.x, this.y], null];
  }
  static tree_unflatten(_aux: unknown, children: unknown[]): Vector2D {
    return new Vector2D(children[0], children[1]);
  }
}
register_pytree_node_class(Vector2D, GLOBAL_NAMESPACE);

/** A node whose aux data is a TreeSpec and whose unflatten re-enters the pytree functions. */
export class FlatCache {
  _structured: unknown;
  treespec: TreeSpec;
  leaves: unknown[];
  constructor(structured: unknown, leaves?: unknown[], treespec?: TreeSpec) {
    if (treespec === undefined) [leaves, treespec] = tree_flatten(structured);
    this._structured = structured;
    this.treespec = treespec;
    this.leaves = leaves!;
  }
  get structured(): unknown {
    if (this._structured === null) this._structured = tree_unflatten(this.treespec, this.leaves);
    return this._structured;
  }
  tree_flatten(): [unknown[], TreeSpec] {
    return [this.leaves, this.treespec];
  }
  static tree_unflatten(metadata: TreeSpec, children: unknown[]): FlatCache {
    if (!all_leaves(children)) [children, metadata] = tree_flatten(tree_unflatten(metadata, children));
    return new FlatCache(null, children, metadata);
  }
}
register_pytree_node_class(FlatCache, GLOBAL_NAMESPACE);

/** A Map subclass flattened in reverse key order, with its keys as path entries. */
export class MyDict extends Map<string, unknown> {
  tree_flatten(): [unknown[], string[], string[]] {
    const keys = Array.from(this.keys()).sort().reverse();
    return [keys.map((k) => this.get(k)), keys, keys];
  }
  static tree_unflatten(keys: string[], children: unknown[]): MyDict {
    return new this(keys.map((k, i) => [k, children[i]]));
  }
}
register_pytree_node_class(MyDict, GLOBAL_NAMESPACE);

/** Registered in namespace 'namespace' only: a leaf in the global namespace. */
export class MyAnotherDict extends MyDict {}
register_pytree_node_class('namespace')(MyAnotherDict);

export const NAMESPACED_TREE = new MyAnotherDict([
  ['baz', 101],
  ['foo', new MyAnotherDict([['a', 1], ['b', 2], ['c', null]] as [string, unknown][])],
]);

export interface Case {
  tree: unknown;
  /** treespec strings with none_is_leaf false / true ('*' for the default namespace). */
  str: string;
  strNoneIsLeaf: string;
  paths: unknown[][];
  pathsNoneIsLeaf: unknown[][];
  leaves: unknown[];
}

export const CASES: Case[] = [
  { tree: 1, str: 'PyTreeSpec(*)', strNoneIsLeaf: 'PyTreeSpec(*, NoneIsLeaf)', paths: [[]], pathsNoneIsLeaf: [[]], leaves: [1] },
  { tree: null, str: 'PyTreeSpec(None)', strNoneIsLeaf: 'PyTreeSpec(*, NoneIsLeaf)', paths: [], pathsNoneIsLeaf: [[]], leaves: [] },
  { tree: undefined, str: 'PyTreeSpec(undefined)', strNoneIsLeaf: 'PyTreeSpec(*, NoneIsLeaf)', paths: [], pathsNoneIsLeaf: [[]], leaves: [] },
  { tree: [null], str: 'PyTreeSpec([None])', strNoneIsLeaf: 'PyTreeSpec([*], NoneIsLeaf)', paths: [], pathsNoneIsLeaf: [[0]], leaves: [] },
  { tree: [1, null], str: 'PyTreeSpec([*, None])', strNoneIsLeaf: 'PyTreeSpec([*, *], NoneIsLeaf)', paths: [[0]], pathsNoneIsLeaf: [[0], [1]], leaves: [1] },
  { tree: [], str: 'PyTreeSpec([])', strNoneIsLeaf: 'PyTreeSpec([], NoneIsLeaf)', paths: [], pathsNoneIsLeaf: [], leaves: [] },
  { tree: [[]], str: 'PyTreeSpec([[]])', strNoneIsLeaf: 'PyTreeSpec([[]], NoneIsLeaf)', paths: [], pathsNoneIsLeaf: [], leaves: [] },
  { tree: [1, 2], str: 'PyTreeSpec([*, *])', strNoneIsLeaf: 'PyTreeSpec([*, *], NoneIsLeaf)', paths: [[0], [1]], pathsNoneIsLeaf: [[0], [1]], leaves: [1, 2] },
  {
    tree: [[1, 'foo'], ['bar', [3, null, 7]]],
    str: 'PyTreeSpec([[*, *], [*, [*, None, *]]])',
    strNoneIsLeaf: 'PyTreeSpec([[*, *], [*, [*, *, *]]], NoneIsLeaf)',
    paths: [[0, 0], [0, 1], [1, 0], [1, 1, 0], [1, 1, 2]],
    pathsNoneIsLeaf: [[0, 0], [0, 1], [1, 0], [1, 1, 0], [1, 1, 1], [1, 1, 2]],
    leaves: [1, 'foo', 'bar', 3, 7],
  },
  {
    tree: [3, new CustomTuple([3, new CustomTuple(3, null)], { baz: 34 })],
    str: "PyTreeSpec([*, CustomTuple(foo=[*, CustomTuple(foo=*, bar=None)], bar={'baz': *})])",
    strNoneIsLeaf: "PyTreeSpec([*, CustomTuple(foo=[*, CustomTuple(foo=*, bar=*)], bar={'baz': *})], NoneIsLeaf)",
    paths: [[0], [1, 0, 0], [1, 0, 1, 0], [1, 1, 'baz']],
    pathsNoneIsLeaf: [[0], [1, 0, 0], [1, 0, 1, 0], [1, 0, 1, 1], [1, 1, 'baz']],
    leaves: [3, 3, 3, 34],
  },
  {
    tree: [new Vector3D(3, null, [4, 'foo'])],
    str: "PyTreeSpec([CustomTreeNode(Vector3D[[4, 'foo']], [*, None])])",
    strNoneIsLeaf: "PyTreeSpec([CustomTreeNode(Vector3D[[4, 'foo']], [*, *])], NoneIsLeaf)",
    paths: [[0, 0]],
    pathsNoneIsLeaf: [[0, 0], [0, 1]],
    leaves: [3],
  },
  {
    tree: new Vector2D(2, 3.5),
    str: 'PyTreeSpec(CustomTreeNode(Vector2D[None], [*, *]))',
    strNoneIsLeaf: 'PyTreeSpec(CustomTreeNode(Vector2D[None], [*, *]), NoneIsLeaf)',
    paths: [[0], [1]],
    pathsNoneIsLeaf: [[0], [1]],
    leaves: [2, 3.5],
  },
  {
    tree: { a: 1, b: 2 },
    str: "PyTreeSpec({'a': *, 'b': *})",
    strNoneIsLeaf: "PyTreeSpec({'a': *, 'b': *}, NoneIsLeaf)",
    paths: [['a'], ['b']],
    pathsNoneIsLeaf: [['a'], ['b']],
    leaves: [1, 2],
  },
  {
    tree: { b: [2, 3], a: 1, c: null, d: { f: 4, e: null } },
    str: "PyTreeSpec({'a': *, 'b': [*, *], 'c': None, 'd': {'e': None, 'f': *}})",
    strNoneIsLeaf: "PyTreeSpec({'a': *, 'b': [*, *], 'c': *, 'd': {'e': *, 'f': *}}, NoneIsLeaf)",
    paths: [['a'], ['b', 0], ['b', 1], ['d', 'f']],
    pathsNoneIsLeaf: [['a'], ['b', 0], ['b', 1], ['c'], ['d', 'e'], ['d', 'f']],
    leaves: [1, 2, 3, 4],
  },
  {
    tree: new Map<string, unknown>([['foo', 34], ['baz', 101], ['something', -42]]),
    str: "PyTreeSpec(Map([('foo', *), ('baz', *), ('something', *)]))",
    strNoneIsLeaf: "PyTreeSpec(Map([('foo', *), ('baz', *), ('something', *)]), NoneIsLeaf)",
    paths: [['foo'], ['baz'], ['something']],
    pathsNoneIsLeaf: [['foo'], ['baz'], ['something']],
    leaves: [34, 101, -42],
  },
  {
    tree: new Map<unknown, unknown>([[2, [null, 2, 3]], ['a', undefined]]),
    str: 'PyTreeSpec(Map([(2, [None, *, *]), (\'a\', undefined)]))',
    strNoneIsLeaf: "PyTreeSpec(Map([(2, [*, *, *]), ('a', *)]), NoneIsLeaf)",
    paths: [[2, 1], [2, 2]],
    pathsNoneIsLeaf: [[2, 0], [2, 1], [2, 2], ['a']],
    leaves: [2, 3],
  },
  {
    tree: new MyDict([['baz', 101], ['foo', new MyDict([['a', 1], ['b', 2], ['c', null]] as [string, unknown][])]]),
    str: "PyTreeSpec(CustomTreeNode(MyDict[['foo', 'baz']], [CustomTreeNode(MyDict[['c', 'b', 'a']], [None, *, *]), *]))",
    strNoneIsLeaf: "PyTreeSpec(CustomTreeNode(MyDict[['foo', 'baz']], [CustomTreeNode(MyDict[['c', 'b', 'a']], [*, *, *]), *]), NoneIsLeaf)",
    paths: [['foo', 'b'], ['foo', 'a'], ['baz']],
    pathsNoneIsLeaf: [['foo', 'c'], ['foo', 'b'], ['foo', 'a'], ['baz']],
    leaves: [2, 1, 101],
  },
  {
    tree: NAMESPACED_TREE,
    str: 'PyTreeSpec(*)',
    strNoneIsLeaf: 'PyTreeSpec(*, NoneIsLeaf)',
    paths: [[]],
    pathsNoneIsLeaf: [[]],
    leaves: [NAMESPACED_TREE],
  },
  {
    tree: new CustomNamedTupleSubclass('hello', 3.5),
    str: 'PyTreeSpec(CustomNamedTupleSubclass(foo=*, bar=*))',
    strNoneIsLeaf: 'PyTreeSpec(CustomNamedTupleSubclass(foo=*, bar=*), NoneIsLeaf)',
    paths: [[0], [1]],
    pathsNoneIsLeaf: [[0], [1]],
    leaves: ['hello', 3.5],
  },
  {
    tree: new FlatCache(null),
    str: 'PyTreeSpec(CustomTreeNode(FlatCache[PyTreeSpec(None)], []))',
    strNoneIsLeaf: 'PyTreeSpec(CustomTreeNode(FlatCache[PyTreeSpec(None)], []), NoneIsLeaf)',
    paths: [],
    pathsNoneIsLeaf: [],
    leaves: [],
  },
  {
    tree: new FlatCache({ a: [1, 2] }),
    str: "PyTreeSpec(CustomTreeNode(FlatCache[PyTreeSpec({'a': [*, *]})], [*, *]))",
    strNoneIsLeaf: "PyTreeSpec(CustomTreeNode(FlatCache[PyTreeSpec({'a': [*, *]})], [*, *]), NoneIsLeaf)",
    paths: [[0], [1]],
    pathsNoneIsLeaf: [[0], [1]],
    leaves: [1, 2],
  },
  {
    tree: { x: undefined, y: [undefined, null, 0] },
    str: "PyTreeSpec({'x': undefined, 'y': [undefined, None, *]})",
    strNoneIsLeaf: "PyTreeSpec({'x': *, 'y': [*, *, *]}, NoneIsLeaf)",
    paths: [['y', 2]],
    pathsNoneIsLeaf: [['x'], ['y', 0], ['y', 1], ['y', 2]],
    leaves: [0],
  },
];

/** Leaves that are leaves whatever the options. */
export const LEAVES: unknown[] = ['foo', 0.1, 1, true, 10n, Symbol.for('s'), () => 1, new Date(0), new Float32Array(2), new (class Opaque {})()];
