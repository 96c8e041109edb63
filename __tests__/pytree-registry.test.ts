/**
 * User node types: register_pytree_node(_class), namespaces, exact-constructor lookups, the
 * classification caches, and the treespec_* constructors.
 */

import {
  GLOBAL_NAMESPACE,
  NONE_IS_LEAF,
  PyTreeKind,
  TreeSpec,
  lookup_registration,
  namedtuple,
  register_pytree_node,
  register_pytree_node_class,
  tree_flatten,
  tree_leaves,
  tree_map,
  tree_paths,
  tree_structure,
  tree_unflatten,
  treeOptions,
  treespec_dict,
  treespec_from_collection,
  treespec_leaf,
  treespec_list,
  treespec_namedtuple,
  treespec_none,
  treespec_ordereddict,
  treespec_tuple,
  unregister_pytree_node,
} from '../lib/pytree';

class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
  ) {}
}

describe('register_pytree_node', () => {
  afterEach(() => {
    for (const ns of ['geo', 'other', GLOBAL_NAMESPACE] as const) {
      try {
        unregister_pytree_node(Point, ns);
      } catch {
        // not registered there
      }
    }
    expect(lookup_registration(Point, 'geo')).toBeUndefined();
  });

  test('namespace isolates a registration', () => {
    const p = new Point(1, [2, 3]);
    expect(tree_leaves(p)).toStrictEqual([p]); // a leaf before registration (and the cache must notice the change)
    register_pytree_node(Point, (q) => [[q.x, q.y], null, ['x', 'y']], (_aux, [x, y]) => new Point(x, y), 'geo');
    expect(tree_leaves(p)).toStrictEqual([p]);
    expect(tree_leaves(p, { namespace: 'geo' })).toStrictEqual([1, 2, 3]);
    expect(tree_paths(p, { namespace: 'geo' })).toStrictEqual([['x'], ['y', 0], ['y', 1]]);
    const [leaves, spec] = tree_flatten({ p }, { namespace: 'geo' });
    expect(String(spec)).toBe("PyTreeSpec({'p': CustomTreeNode(Point[None], [*, [*, *]])}, namespace='geo')");
    expect(spec.kind).toBe(PyTreeKind.OBJECT);
    expect(spec.child(0).kind).toBe(PyTreeKind.CUSTOM);
    expect(spec.child(0).type).toBe(Point);
    expect(spec.child(0).entries()).toStrictEqual(['x', 'y']);
    const back = tree_unflatten(spec, leaves.map((v) => (v as number) * 2));
    expect(back).toStrictEqual({ p: new Point(2, [4, 6]) });
    expect(tree_map((v: number) => -v, p, treeOptions({ namespace: 'geo' }))).toStrictEqual(new Point(-1, [-2, -3]));
    unregister_pytree_node(Point, 'geo');
    expect(tree_leaves(p, { namespace: 'geo' })).toStrictEqual([p]);
  });

  test('a namespace registration wins over the global one', () => {
    register_pytree_node(Point, (q) => [[q.x], q.y], (y, [x]) => new Point(x, y), GLOBAL_NAMESPACE);
    register_pytree_node(Point, (q) => [[q.y], q.x], (x, [y]) => new Point(x, y), 'other');
    const p = new Point('X', 'Y');
    expect(tree_leaves(p)).toStrictEqual(['X']);
    expect(tree_leaves(p, { namespace: 'other' })).toStrictEqual(['Y']);
    expect(tree_leaves(p, { namespace: 'geo' })).toStrictEqual(['X']); // falls back to global
    expect(lookup_registration(Point, 'other')?.namespace).toBe('other');
    expect(lookup_registration(Point)?.namespace).toBe('');
  });

  test('lookups use the exact constructor', () => {
    register_pytree_node(Point, (q) => [[q.x, q.y], null], (_a, [x, y]) => new Point(x, y), GLOBAL_NAMESPACE);
    class Point3 extends Point {}
    const q = new Point3(1, 2);
    expect(tree_leaves(q)).toStrictEqual([q]);
    expect(tree_leaves([new Point(1, 2), q])).toStrictEqual([1, 2, q]);
  });

  test('register_pytree_node_class, also as a decorator', () => {
    @register_pytree_node_class('deco')
    class Pair {
      constructor(
        readonly a: unknown,
        readonly b: unknown,
      ) {}
      tree_flatten(): [unknown[], string] {
        return [[this.a, this.b], 'pair'];
      }
      static tree_unflatten(aux: string, children: unknown[]): Pair {
        expect(aux).toBe('pair');
        return new Pair(children[0], children[1]);
      }
    }
    const t = new Pair(1, new Pair(2, 3));
    expect(tree_leaves(t, { namespace: 'deco' })).toStrictEqual([1, 2, 3]);
    // Pair has methods, so at type level it is a leaf: the callback takes `any`.
    expect(tree_map((x: any) => x + 1, t, treeOptions({ namespace: 'deco' }))).toStrictEqual(new Pair(2, new Pair(3, 4)));
    expect(() => register_pytree_node_class(Pair as any, undefined as any)).toThrow(/Must specify `namespace`/);
  });

  test('many leaf classes, registration changes in between', () => {
    class A {}
    class B {}
    const tree = [new A(), new B(), new A(), { b: new B() }];
    expect(tree_leaves(tree)).toHaveLength(4);
    register_pytree_node(B, () => [[], 'b'], () => new B(), GLOBAL_NAMESPACE);
    expect(tree_leaves(tree)).toHaveLength(2);
    expect(String(tree_structure(tree))).toBe("PyTreeSpec([*, CustomTreeNode(B['b'], []), *, {'b': CustomTreeNode(B['b'], [])}])");
    unregister_pytree_node(B, GLOBAL_NAMESPACE);
    expect(tree_leaves(tree)).toHaveLength(4);
  });
});

describe('treespec constructors', () => {
  test('leaf, none, tuple/list, dict, ordereddict, namedtuple', () => {
    expect(String(treespec_leaf())).toBe('PyTreeSpec(*)');
    expect(String(treespec_leaf({ none_is_leaf: true }))).toBe('PyTreeSpec(*, NoneIsLeaf)');
    expect(String(treespec_none())).toBe('PyTreeSpec(None)');
    expect(String(treespec_none({ none_is_leaf: true }))).toBe('PyTreeSpec(*, NoneIsLeaf)');
    expect(String(treespec_tuple())).toBe('PyTreeSpec([])');
    const t = treespec_tuple([treespec_leaf(), treespec_none(), treespec_list([treespec_leaf()])]);
    expect(String(t)).toBe('PyTreeSpec([*, None, [*]])');
    expect(t.equals(tree_structure([1, null, [2]]))).toBe(true);
    const d = treespec_dict({ b: treespec_leaf(), a: treespec_tuple([treespec_leaf(), treespec_leaf()]) });
    expect(String(d)).toBe("PyTreeSpec({'a': [*, *], 'b': *})");
    expect(d.equals(tree_structure({ a: [1, 2], b: 3 }))).toBe(true);
    expect(tree_unflatten(d, [1, 2, 3])).toStrictEqual({ a: [1, 2], b: 3 });
    expect(treespec_dict([['y', treespec_leaf()], ['x', treespec_none()]]).equals(tree_structure({ x: null, y: 0 }))).toBe(true);
    const m = treespec_ordereddict(new Map([['z', treespec_leaf()], ['a', treespec_leaf()]]));
    expect(String(m)).toBe("PyTreeSpec(Map([('z', *), ('a', *)]))");
    expect(m.equals(tree_structure(new Map([['z', 1], ['a', 2]])))).toBe(true);
    const NT = namedtuple('NT', ['p', 'q']);
    const n = treespec_namedtuple(new NT(treespec_leaf(), treespec_dict({ k: treespec_leaf() })));
    expect(String(n)).toBe("PyTreeSpec(NT(p=*, q={'k': *}))");
    expect(tree_unflatten(n, [1, 2])).toStrictEqual(new NT(1, { k: 2 }));
    const nil = treespec_tuple([treespec_none({ none_is_leaf: true })], { none_is_leaf: true });
    expect(nil.equals(tree_structure([null], NONE_IS_LEAF))).toBe(true);
    expect(treespec_tuple([treespec_leaf({ namespace: 'ns' })]).namespace).toBe('ns');
  });

  test('treespec_from_collection', () => {
    const leaf = treespec_leaf();
    expect(treespec_from_collection([leaf, leaf]).toString()).toBe('PyTreeSpec([*, *])');
    expect(() => treespec_from_collection([leaf, { a: leaf }])).toThrow(/expected a TreeSpec, got \{a: PyTreeSpec\(\*\)\}/);
    expect(String(treespec_from_collection({ b: leaf, a: tree_structure([1, 2]) }))).toBe("PyTreeSpec({'a': [*, *], 'b': *})");
    expect(String(treespec_from_collection(null))).toBe('PyTreeSpec(None)');
    expect(() => treespec_from_collection([1])).toThrow(/expected a TreeSpec/);
    expect(treespec_from_collection(leaf)).toBe(leaf);
    expect(leaf).toBeInstanceOf(TreeSpec);
  });
});
