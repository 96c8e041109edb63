/**
 * Options shared by the pytree functions (optree's keyword arguments `is_leaf`, `none_is_leaf`,
 * `namespace`).
 *
 * Calling convention (decided once for the whole layer):
 *  - Functions over ONE tree take the options as a trailing argument that may be a plain object
 *    (`tree_flatten(tree, {none_is_leaf: true})`) or, as in optree, just the `is_leaf` predicate
 *    (`tree_leaves(tree, (x) => Array.isArray(x))`). Its position is fixed, so nothing is ambiguous.
 *  - Variadic multi-tree functions (`tree_map(fn, tree, ...rests)` and friends) cannot tell a plain
 *    options object from a tree (plain objects ARE trees), so there the trailing options must be
 *    BRANDED: built by `treeOptions({...})`, or one of the ready-made constants `NONE_IS_LEAF` /
 *    `NONE_IS_NODE`. An unbranded object in last position is a tree, and if it then fails to match,
 *    the error message says how to fix the call.
 */

export type IsLeafFn = (x: any) => boolean;

export interface PyTreeOptionsInit {
  /** Called on every node before classification; `true` makes the whole subtree a leaf. */
  is_leaf?: IsLeafFn | null;
  /** When true, `null` and `undefined` are leaves; by default they are nodes with no children. */
  none_is_leaf?: boolean;
  /** Registry namespace for custom node types ('' = the global registry only). */
  namespace?: string;
}

const BRAND: unique symbol = Symbol.for('torchopt-node.pytree.options') as any;

/** A branded options object; the only kind accepted in last position by variadic functions. */
export class PyTreeOptions implements PyTreeOptionsInit {
  declare readonly [BRAND]: true;
  readonly is_leaf: IsLeafFn | null;
  readonly none_is_leaf: boolean;
  readonly namespace: string;
  constructor(init: PyTreeOptionsInit = {}) {
    this.is_leaf = init.is_leaf ?? null;
    this.none_is_leaf = init.none_is_leaf === true;
    this.namespace = init.namespace ?? '';
    if (typeof this.namespace !== 'string') {
      throw new TypeError(`The namespace must be a string, got ${String(this.namespace)}.`);
    }
    if (this.is_leaf !== null && typeof this.is_leaf !== 'function') {
      throw new TypeError(`is_leaf must be a function or null, got ${typeof this.is_leaf}.`);
    }
  }
  toString(): string {
    return `treeOptions({is_leaf: ${this.is_leaf ? 'fn' : 'null'}, none_is_leaf: ${this.none_is_leaf}, namespace: '${this.namespace}'})`;
  }
}
Object.defineProperty(PyTreeOptions.prototype, BRAND, { value: true });

/** Build a branded options object (the trailing argument of `tree_map(fn, tree, ...rests, opts)`). */
export function treeOptions(init: PyTreeOptionsInit = {}): PyTreeOptions {
  return init instanceof PyTreeOptions ? init : new PyTreeOptions(init);
}

/** `treeOptions({none_is_leaf: true})`. */
export const NONE_IS_LEAF: PyTreeOptions = Object.freeze(new PyTreeOptions({ none_is_leaf: true }));
/** `treeOptions({none_is_leaf: false})` (the default). */
export const NONE_IS_NODE: PyTreeOptions = Object.freeze(new PyTreeOptions({ none_is_leaf: false }));
export const DEFAULT_OPTIONS: PyTreeOptions = NONE_IS_NODE;

export function isPyTreeOptions(x: unknown): x is PyTreeOptions {
  return typeof x === 'object' && x !== null && (x as any)[BRAND] === true;
}

/** Options for the single-tree functions: a plain object, a branded object or an is_leaf predicate. */
export type TreeOptionsArg = PyTreeOptionsInit | IsLeafFn | null | undefined;

/** Normalise a single-tree options argument (fast for the common cases). */
export function toOptions(o: TreeOptionsArg): PyTreeOptions {
  if (o === undefined || o === null) return DEFAULT_OPTIONS;
  if (o instanceof PyTreeOptions) return o;
  if (typeof o === 'function') return new PyTreeOptions({ is_leaf: o });
  if (typeof o !== 'object') throw new TypeError(`Expected pytree options, got ${typeof o}.`);
  if (o.is_leaf == null && o.namespace == null) return o.none_is_leaf === true ? NONE_IS_LEAF : NONE_IS_NODE;
  return new PyTreeOptions(o);
}

const OPTION_KEYS = new Set(['is_leaf', 'none_is_leaf', 'namespace']);

/** True for a plain object that only has option keys: a likely unbranded-options mistake. */
export function looksLikeOptions(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(x);
  return keys.length > 0 && keys.every((k) => OPTION_KEYS.has(k));
}
