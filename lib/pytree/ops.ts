/**
 * The tree functions (optree's `ops.py`), with optree's names and semantics.
 *
 * Options: single-tree functions take a trailing `opts` (plain object, branded `treeOptions(...)`
 * or an `is_leaf` function); the variadic multi-tree functions `tree_map(fn, tree, ...rests)`,
 * `tree_map_`, `tree_map_with_path`, `tree_map_with_path_` only accept a BRANDED options object in
 * last position (`treeOptions({...})`, `NONE_IS_LEAF`), since a plain object there is a tree.
 * See options.ts.
 *
 * As in optree, the first tree of a multi-tree map defines the structure; the other trees must
 * have it as a prefix (`flatten_up_to`), so a `null` in the first tree is an empty subtree while a
 * `null` in a later tree, at a leaf of the first, is passed to `fn`.
 */

import {
  DEFAULT_OPTIONS,
  IsLeafFn,
  NONE_IS_LEAF,
  PyTreeOptions,
  TreeOptionsArg,
  isPyTreeOptions,
  looksLikeOptions,
  toOptions,
  treeOptions,
} from './options';
import { KIND_NAMEDTUPLE, NodeType, classify } from './registry';
import { keyInfoOf } from './keys';
import {
  Cursor,
  LEAF,
  Node,
  StructureMismatch,
  TreeSpec,
  build,
  callCustomFlatten,
  flattenTop,
  mismatchError,
  flattenUpTo,
} from './treespec';
import type { CheckRests, LeafArg, LeafOf, MapLeaves, RegisteredLeaf } from './types';
import { jsRepr } from './repr';

export type Path = unknown[];

// ---------------------------------------------------------------------------------------------
// Flatten family

function flattenRoot(tree: unknown, o: PyTreeOptions): [Node, unknown[]] {
  return flattenTop(tree, o.is_leaf, o.none_is_leaf, o.namespace);
}

/** `[leaves, treespec]`; leaves in left-to-right depth-first order (object keys sorted). */
export function tree_flatten<T, L = RegisteredLeaf>(tree: T, opts?: TreeOptionsArg): [LeafOf<T, L>[], TreeSpec] {
  const o = toOptions(opts);
  const [root, leaves] = flattenRoot(tree, o);
  return [leaves as LeafOf<T, L>[], new TreeSpec(root, o.none_is_leaf, o.namespace)];
}

/** TorchOpt's `tree_flatten_as_tuple`: like tree_flatten, the leaves as a frozen array (tuple). */
export function tree_flatten_as_tuple<T, L = RegisteredLeaf>(tree: T, opts?: TreeOptionsArg): [readonly LeafOf<T, L>[], TreeSpec] {
  const [leaves, spec] = tree_flatten<T, L>(tree, opts);
  return [Object.freeze(leaves), spec];
}

/** `[paths, leaves, treespec]`; a path is the array of entries (indices, keys) from the root. */
export function tree_flatten_with_path<T, L = RegisteredLeaf>(tree: T, opts?: TreeOptionsArg): [Path[], LeafOf<T, L>[], TreeSpec] {
  const [leaves, spec] = tree_flatten<T, L>(tree, opts);
  return [spec.paths(), leaves, spec];
}

/** The inverse of tree_flatten. */
export function tree_unflatten<L = unknown>(treespec: TreeSpec, leaves: Iterable<L> | ArrayLike<L>): any {
  if (!(treespec instanceof TreeSpec)) throw new TypeError(`tree_unflatten: expected a TreeSpec, got ${jsRepr(treespec)}.`);
  return treespec.unflatten(leaves);
}

/** The leaves only. */
export function tree_leaves<T, L = RegisteredLeaf>(tree: T, opts?: TreeOptionsArg): LeafOf<T, L>[] {
  const o = toOptions(opts);
  return flattenRoot(tree, o)[1] as LeafOf<T, L>[];
}

/** An iterator over the leaves (optree's `tree_iter`; computed eagerly). */
export function tree_iter<T, L = RegisteredLeaf>(tree: T, opts?: TreeOptionsArg): IterableIterator<LeafOf<T, L>> {
  return tree_leaves<T, L>(tree, opts)[Symbol.iterator]();
}

export function tree_structure(tree: unknown, opts?: TreeOptionsArg): TreeSpec {
  return tree_flatten(tree, opts)[1];
}

export function tree_paths(tree: unknown, opts?: TreeOptionsArg): Path[] {
  return tree_flatten(tree, opts)[1].paths();
}

function isLeafValue(x: unknown, o: PyTreeOptions): boolean {
  if (o.is_leaf !== null && o.is_leaf(x)) return true;
  if (x === null || x === undefined) return o.none_is_leaf;
  if (typeof x !== 'object' || Array.isArray(x)) return typeof x !== 'object';
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null || proto === Map.prototype) return false;
  return classify(proto, o.namespace) === null;
}

/** Whether `tree` is a leaf (a single leaf node). */
export function tree_is_leaf(tree: unknown, opts?: TreeOptionsArg): boolean {
  return isLeafValue(tree, toOptions(opts));
}

/** Whether every element of `iterable` is a leaf. */
export function all_leaves(iterable: Iterable<unknown>, opts?: TreeOptionsArg): boolean {
  const o = toOptions(opts);
  for (const x of iterable) if (!isLeafValue(x, o)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Maps

/** Splits `...rests` into trees and the trailing branded options (if any). */
function splitRests(rests: unknown[]): [number, PyTreeOptions] {
  const n = rests.length;
  if (n > 0 && isPyTreeOptions(rests[n - 1])) return [n - 1, rests[n - 1] as PyTreeOptions];
  return [n, DEFAULT_OPTIONS];
}

/** flatten_up_to for the j-th extra tree of a map, with a message naming that tree. */
function restLeaves(fnName: string, root: Node, rest: unknown, j: number, nTrees: number, o: PyTreeOptions): unknown[] {
  try {
    return flattenUpTo(root, rest, o.namespace);
  } catch (e) {
    if (!(e instanceof StructureMismatch)) throw e;
    const hint =
      j === nTrees - 1 && looksLikeOptions(rest)
        ? ' (The last argument looks like an options object; pass it as treeOptions({...}) so that it is not taken as a tree.)'
        : '';
    throw mismatchError(e, 'tree', `${fnName}: tree #${j + 2} does not match the structure of the first tree`, hint);
  }
}

/**
 * Calls fn over the leaf columns; results are written into `leaves` (our own array) unless
 * `keep`. Direct calls for up to 3 trees (fn.apply with an arguments array is much slower).
 */
function mapColumns(fn: Function, leaves: unknown[], cols: unknown[][], paths: Path[] | null, keep: boolean): void {
  const n = leaves.length;
  const k = cols.length;
  if (paths === null && k <= 3) {
    const c0 = k > 0 ? cols[0] : leaves;
    const c1 = k > 1 ? cols[1] : leaves;
    const c2 = k > 2 ? cols[2] : leaves;
    for (let i = 0; i < n; i++) {
      const r = k === 0 ? fn(leaves[i]) : k === 1 ? fn(leaves[i], c0[i]) : k === 2 ? fn(leaves[i], c0[i], c1[i]) : fn(leaves[i], c0[i], c1[i], c2[i]);
      if (!keep) leaves[i] = r;
    }
    return;
  }
  if (paths !== null && k <= 1) {
    const c0 = k > 0 ? cols[0] : leaves;
    for (let i = 0; i < n; i++) {
      const r = k === 0 ? fn(paths[i], leaves[i]) : fn(paths[i], leaves[i], c0[i]);
      if (!keep) leaves[i] = r;
    }
    return;
  }
  const off = paths === null ? 0 : 1;
  const args = new Array(1 + off + k);
  for (let i = 0; i < n; i++) {
    if (paths !== null) args[0] = paths[i];
    args[off] = leaves[i];
    for (let j = 0; j < k; j++) args[off + 1 + j] = cols[j][i];
    const r = fn.apply(undefined, args);
    if (!keep) leaves[i] = r;
  }
}

function mapImpl(fnName: string, fn: Function, tree: unknown, rests: unknown[], withPath: boolean, inplace: boolean): unknown {
  if (typeof fn !== 'function') throw new TypeError(`${fnName}: expected a function, got ${jsRepr(fn)}.`);
  const [nTrees, o] = splitRests(rests);
  const [root, leaves] = flattenRoot(tree, o);
  const cols: unknown[][] = [];
  for (let j = 0; j < nTrees; j++) cols.push(restLeaves(fnName, root, rests[j], j, nTrees, o));
  const paths = withPath ? new TreeSpec(root).paths() : null;
  mapColumns(fn, leaves, cols, paths, inplace);
  if (inplace) return tree;
  return root === LEAF ? leaves[0] : build(root, leaves, new Cursor());
}

/**
 * A new tree of the first tree's structure with `fn(x, ...xs)` at each leaf, `xs` being the
 * corresponding subtrees of `rests` (which must have the first tree as a prefix).
 * Options: a trailing `treeOptions({...})` / `NONE_IS_LEAF`.
 */
export function tree_map<T, R, L = RegisteredLeaf>(fn: (leaf: LeafArg<T, L>) => R, tree: T, options?: PyTreeOptions): MapLeaves<T, R, L>;
export function tree_map<T, R, L = RegisteredLeaf, Rs extends unknown[] = unknown[]>(
  fn: (leaf: LeafArg<T, L>, ...rests: any[]) => R,
  tree: T,
  ...rests: CheckRests<Rs>
): MapLeaves<T, R, L>;
export function tree_map(fn: Function, tree: unknown, ...rests: unknown[]): unknown {
  return mapImpl('tree_map', fn, tree, rests, false, false);
}

/** Like tree_map but calls `fn` for its side effects only and returns the first tree. */
export function tree_map_<T, L = RegisteredLeaf, Rs extends unknown[] = unknown[]>(
  fn: (leaf: LeafArg<T, L>, ...rests: any[]) => unknown,
  tree: T,
  ...rests: CheckRests<Rs>
): T {
  return mapImpl('tree_map_', fn, tree, rests, false, true) as T;
}

/** tree_map with the leaf path (an array of entries) as fn's first argument. */
export function tree_map_with_path<T, R, L = RegisteredLeaf, Rs extends unknown[] = unknown[]>(
  fn: (path: Path, leaf: LeafArg<T, L>, ...rests: any[]) => R,
  tree: T,
  ...rests: CheckRests<Rs>
): MapLeaves<T, R, L> {
  return mapImpl('tree_map_with_path', fn, tree, rests, true, false) as MapLeaves<T, R, L>;
}

export function tree_map_with_path_<T, L = RegisteredLeaf, Rs extends unknown[] = unknown[]>(
  fn: (path: Path, leaf: LeafArg<T, L>, ...rests: any[]) => unknown,
  tree: T,
  ...rests: CheckRests<Rs>
): T {
  return mapImpl('tree_map_with_path_', fn, tree, rests, true, true) as T;
}

/** Replace null and undefined in `tree` by `sentinel` (both count as None here). */
export function tree_replace_nones<T>(sentinel: unknown, tree: T, namespace = ''): any {
  if (tree === null || tree === undefined) return sentinel;
  return tree_map((x: unknown) => (x === null || x === undefined ? sentinel : x), tree as any, namespace === '' ? NONE_IS_LEAF : treeOptions({ none_is_leaf: true, namespace }));
}

// ---------------------------------------------------------------------------------------------
// Transpose, broadcast

/**
 * Turn a tree of structure (outer, inner) into one of structure (inner, outer). As in optree, only
 * the number of leaves is checked.
 */
export function tree_transpose(outer_treespec: TreeSpec, inner_treespec: TreeSpec, tree: unknown, is_leaf?: IsLeafFn | null): any {
  if (outer_treespec.none_is_leaf !== inner_treespec.none_is_leaf) {
    throw new RangeError('Tree structures must have the same none_is_leaf value.');
  }
  const outerSize = outer_treespec.num_leaves;
  const innerSize = inner_treespec.num_leaves;
  if (outerSize === 0 || innerSize === 0) throw new RangeError('Tree structures must have at least one leaf.');
  if (outer_treespec.namespace && inner_treespec.namespace && outer_treespec.namespace !== inner_treespec.namespace) {
    throw new RangeError(`Tree structures must have the same namespace, got '${outer_treespec.namespace}' vs. '${inner_treespec.namespace}'.`);
  }
  const [leaves, spec] = tree_flatten(tree, {
    is_leaf: is_leaf ?? null,
    none_is_leaf: outer_treespec.none_is_leaf,
    namespace: outer_treespec.namespace || inner_treespec.namespace,
  });
  if (spec.num_leaves !== outerSize * innerSize) {
    throw new TypeError(
      `Tree structure mismatch; expected: ${outer_treespec.compose(inner_treespec).shortString()}, got: ${spec.shortString()} ` +
        `(${spec.num_leaves} leaves instead of ${outerSize} x ${innerSize}).`,
    );
  }
  const subtrees: unknown[] = [];
  const column: unknown[] = new Array(outerSize);
  for (let j = 0; j < innerSize; j++) {
    for (let i = 0; i < outerSize; i++) column[i] = leaves[i * innerSize + j];
    subtrees.push(outer_treespec.unflatten(column));
  }
  return inner_treespec.unflatten(subtrees);
}

function prefixSubtrees(fnName: string, prefix_tree: unknown, full_tree: unknown, o: PyTreeOptions): [unknown[], unknown[], Node] {
  const [root, leaves] = flattenRoot(prefix_tree, o);
  try {
    return [leaves, flattenUpTo(root, full_tree, o.namespace), root];
  } catch (e) {
    if (e instanceof StructureMismatch) throw mismatchError(e, 'full_tree', `${fnName}: prefix_tree is not a prefix of full_tree`);
    throw e;
  }
}

/** The leaves of `prefix_tree`, each repeated as many times as its subtree in `full_tree` has leaves. */
export function broadcast_prefix(prefix_tree: unknown, full_tree: unknown, opts?: TreeOptionsArg): unknown[] {
  const o = toOptions(opts);
  const [leaves, subtrees] = prefixSubtrees('broadcast_prefix', prefix_tree, full_tree, o);
  const out: unknown[] = [];
  for (let i = 0; i < leaves.length; i++) {
    const count = flattenTop(subtrees[i], o.is_leaf, o.none_is_leaf, o.namespace)[0].numLeaves;
    for (let j = 0; j < count; j++) out.push(leaves[i]);
  }
  return out;
}

/** A tree of `full_tree`'s structure whose leaves are the broadcast leaves of `prefix_tree`. */
export function tree_broadcast_prefix(prefix_tree: unknown, full_tree: unknown, opts?: TreeOptionsArg): any {
  const o = toOptions(opts);
  const [leaves, subtrees, root] = prefixSubtrees('tree_broadcast_prefix', prefix_tree, full_tree, o);
  for (let i = 0; i < leaves.length; i++) {
    const spec = tree_structure(subtrees[i], o);
    leaves[i] = spec.unflatten(new Array(spec.num_leaves).fill(leaves[i]));
  }
  return new TreeSpec(root, o.none_is_leaf, o.namespace).unflatten(leaves);
}

// ---------------------------------------------------------------------------------------------
// Reductions

/**
 * Left fold of `fn` over the leaves. `tree_reduce(fn, tree)` starts from the first leaf;
 * `tree_reduce(fn, tree, initial, opts?)` from `initial` (`undefined` = no initial value). A
 * branded options object may also come third: `tree_reduce(fn, tree, NONE_IS_LEAF)`.
 */
export function tree_reduce<T, A = LeafArg<T>>(fn: (acc: A, leaf: LeafArg<T>) => A, tree: T, initial?: A | PyTreeOptions, opts?: TreeOptionsArg): A {
  let init: unknown = initial;
  if (isPyTreeOptions(initial) && opts === undefined) {
    opts = initial;
    init = undefined;
  }
  const leaves = tree_leaves(tree, opts);
  let i = 0;
  let acc: any = init;
  if (init === undefined) {
    if (leaves.length === 0) throw new TypeError('tree_reduce() of an empty tree with no initial value.');
    acc = leaves[0];
    i = 1;
  }
  for (; i < leaves.length; i++) acc = fn(acc, leaves[i]);
  return acc;
}

/** All leaves truthy (true for an empty tree). */
export function tree_all(tree: unknown, opts?: TreeOptionsArg): boolean {
  for (const x of tree_leaves(tree, opts)) if (!x) return false;
  return true;
}

/** Some leaf truthy (false for an empty tree). */
export function tree_any(tree: unknown, opts?: TreeOptionsArg): boolean {
  for (const x of tree_leaves(tree, opts)) if (x) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// One level

/**
 * The direct children of a non-leaf node: `[children, metadata, entries, unflatten]`, where
 * `unflatten(metadata, children)` rebuilds the node (optree's `tree_flatten_one_level`).
 */
export function tree_flatten_one_level(
  tree: unknown,
  opts?: TreeOptionsArg,
): [unknown[], unknown, unknown[], (metadata: any, children: unknown[]) => unknown] {
  const o = toOptions(opts);
  const one = oneLevel(tree, o);
  if (one === null) throw new RangeError(`Cannot flatten leaf-type: ${jsRepr(tree)}.`);
  return one;
}

/** @internal [children, metadata, entries, unflatten] of one node, or null for a leaf. */
export function oneLevel(tree: unknown, o: PyTreeOptions): [unknown[], unknown, unknown[], (m: any, c: unknown[]) => unknown] | null {
  if (isLeafValue(tree, o)) return null;
  if (tree === null || tree === undefined) return [[], tree, [], (m) => m];
  if (Array.isArray(tree)) return [tree.slice(), null, tree.map((_, i) => i), (_m, c) => c.slice()];
  const proto = Object.getPrototypeOf(tree);
  if (proto === Map.prototype) {
    const m = tree as Map<unknown, unknown>;
    const keys = Array.from(m.keys());
    return [Array.from(m.values()), keys, keys.slice(), (ks: unknown[], c) => new Map(ks.map((k, i) => [k, c[i]]))];
  }
  if (proto === Object.prototype || proto === null) {
    const keys = keyInfoOf(Object.keys(tree as object)).sorted;
    return [
      keys.map((k) => (tree as any)[k]),
      keys.slice(),
      keys.slice(),
      (ks: string[], c) => {
        const out: any = {};
        ks.forEach((k, i) => Object.defineProperty(out, k, { value: c[i], enumerable: true, writable: true, configurable: true }));
        return out;
      },
    ];
  }
  const t = classify(proto, o.namespace) as NodeType;
  if (t.kind === KIND_NAMEDTUPLE) {
    const fields = t.fields!;
    return [fields.map((f) => (tree as any)[f]), t.ctor, fields.map((_, i) => i), (ctor: Function, c) => Reflect.construct(ctor, c)];
  }
  const [children, aux, entries] = callCustomFlatten(tree, t);
  return [children.slice(), aux, entries ?? children.map((_, i) => i), (m, c) => t.entry!.unflatten_func(m, c)];
}
