/**
 * Node kinds and the registry of user node types (optree's `register_pytree_node`).
 *
 * Lookups are by the EXACT constructor (`Object.getPrototypeOf(x).constructor`), like optree's
 * lookups by `type(x)`: a subclass of a registered class is a leaf unless registered itself.
 * With namespace `ns`, a lookup tries the `ns` registrations first, then the global ones; with the
 * default namespace '' only the global ones are seen. Registering needs a non-empty namespace, or
 * `GLOBAL_NAMESPACE` (optree keeps its global sentinel private; we export it so that other layers
 * of this package can register types globally).
 *
 * Classification of a prototype (leaf / namedtuple / custom node) is cached: a one-entry cache in
 * front (a tree's leaves are usually all of one class, e.g. tensors), then a WeakMap per namespace.
 * Any registration change drops the caches.
 */

import { NAMEDTUPLE_FIELDS } from './namedtuple';
import { jsRepr } from './repr';

// Node kinds (numbers, for monomorphic switches).
export const KIND_LEAF = 0;
export const KIND_NONE = 1; // null
export const KIND_UNDEFINED = 2; // undefined
export const KIND_ARRAY = 3;
export const KIND_OBJECT = 4;
export const KIND_MAP = 5;
export const KIND_NAMEDTUPLE = 6;
export const KIND_CUSTOM = 7;

/** Public names of the node kinds (optree's `PyTreeKind`). */
export const PyTreeKind = Object.freeze({
  LEAF: 'leaf',
  NONE: 'none',
  UNDEFINED: 'undefined',
  ARRAY: 'array',
  OBJECT: 'object',
  MAP: 'map',
  NAMEDTUPLE: 'namedtuple',
  CUSTOM: 'custom',
} as const);
export type PyTreeKind = (typeof PyTreeKind)[keyof typeof PyTreeKind];
export const KIND_NAMES: readonly PyTreeKind[] = [
  'leaf',
  'none',
  'undefined',
  'array',
  'object',
  'map',
  'namedtuple',
  'custom',
];

/** What `flatten_func` returns: `[children, auxData?, entries?]` (optree's 2- or 3-tuple). */
export type FlattenResult = readonly [children: Iterable<unknown>, aux?: unknown, entries?: Iterable<unknown> | null];
export type FlattenFunc<T = any> = (x: T) => FlattenResult;
export type UnflattenFunc<T = any> = (aux: any, children: unknown[]) => T;
export type Constructor<T = any> = abstract new (...args: any[]) => T;

/** Sentinel namespace for global registrations (optree's private `__GLOBAL_NAMESPACE`). */
export const GLOBAL_NAMESPACE: unique symbol = Symbol.for('torchopt-node.pytree.global-namespace') as any;
export type RegistryNamespace = string | typeof GLOBAL_NAMESPACE;

export class PyTreeNodeRegistryEntry<T = any> {
  constructor(
    readonly type: Constructor<T>,
    readonly flatten_func: FlattenFunc<T>,
    readonly unflatten_func: UnflattenFunc<T>,
    /** '' for a global registration. */
    readonly namespace: string,
  ) {}
}

/** How instances of one prototype are treated. `null` (not this class) means "leaf". */
export class NodeType {
  constructor(
    readonly kind: number,
    readonly ctor: Function,
    readonly fields: readonly string[] | null,
    readonly entry: PyTreeNodeRegistryEntry | null,
  ) {}
}

const globalRegistry = new Map<Function, PyTreeNodeRegistryEntry>();
const namespaceRegistry = new Map<string, Map<Function, PyTreeNodeRegistryEntry>>();
const BUILTINS = new Set<Function>([Array, Object, Map]);

// Classification caches.
let lastProto: object | undefined;
let lastNs = '';
let lastType: NodeType | null = null;
let caches = new Map<string, WeakMap<object, NodeType | null>>();

// Per namespace: the constructor of the last class classified as a leaf (seeds FlattenCtx.leafCtor).
// A fresh dummy function stands for "none" (it is nobody's constructor).
let leafCtors = new Map<string, unknown>();
const NO_CTOR = function noLeafClassYet() {};

function dropCaches(): void {
  lastProto = undefined;
  lastType = null;
  caches = new Map();
  leafCtors = new Map();
}

/** Constructor whose instances are known leaves in namespace `ns` (or a dummy). */
export function lastLeafCtor(ns: string): unknown {
  const c = leafCtors.get(ns);
  return c === undefined ? NO_CTOR : c;
}

function checkNamespace(namespace: unknown): string {
  if (namespace === GLOBAL_NAMESPACE) return '';
  if (typeof namespace !== 'string') throw new TypeError(`The namespace must be a string, got ${jsRepr(namespace)}.`);
  if (namespace === '') throw new RangeError('The namespace cannot be an empty string.');
  return namespace;
}

function checkClass(cls: unknown): asserts cls is Constructor {
  if (typeof cls !== 'function' || !(cls as any).prototype) throw new TypeError(`Expected a class, got ${jsRepr(cls)}.`);
}

/**
 * Make instances of `cls` (exactly) pytree nodes. `flatten_func(x)` returns
 * `[children, auxData, entries?]`; `unflatten_func(auxData, children)` rebuilds an instance.
 * `entries` (path entries of the children) default to the indices 0..n-1.
 */
export function register_pytree_node<T>(
  cls: Constructor<T>,
  flatten_func: FlattenFunc<T>,
  unflatten_func: UnflattenFunc<T>,
  namespace: RegistryNamespace,
): Constructor<T> {
  checkClass(cls);
  const ns = checkNamespace(namespace);
  if (typeof flatten_func !== 'function' || typeof unflatten_func !== 'function') {
    throw new TypeError('flatten_func and unflatten_func must be functions.');
  }
  if (BUILTINS.has(cls)) throw new RangeError(`PyTree type ${cls.name} is a built-in type and cannot be re-registered.`);
  let table = globalRegistry;
  if (ns !== '') {
    table = namespaceRegistry.get(ns) ?? new Map();
    namespaceRegistry.set(ns, table);
  }
  if (table.has(cls)) {
    throw new RangeError(
      ns === ''
        ? `PyTree type ${cls.name} is already registered in the global namespace.`
        : `PyTree type ${cls.name} is already registered in namespace '${ns}'.`,
    );
  }
  table.set(cls, new PyTreeNodeRegistryEntry(cls, flatten_func, unflatten_func, ns));
  dropCaches();
  return cls;
}

/** A class with an instance method `tree_flatten()` and a static `tree_unflatten(aux, children)`. */
export interface CustomTreeNodeClass<T> {
  new (...args: any[]): T & { tree_flatten(): FlattenResult };
  tree_unflatten(aux: any, children: unknown[]): T;
}

/**
 * Register a class that implements `tree_flatten()` / static `tree_unflatten()`.
 * `register_pytree_node_class(cls, namespace)`, or as a decorator factory:
 * `register_pytree_node_class(namespace)` returns `(cls) => cls` (usable as `@...` decorator).
 */
export function register_pytree_node_class<C extends CustomTreeNodeClass<any>>(cls: C, namespace: RegistryNamespace): C;
export function register_pytree_node_class(namespace: RegistryNamespace): <C extends CustomTreeNodeClass<any>>(cls: C, context?: unknown) => C;
export function register_pytree_node_class(a: any, b?: any): any {
  if (typeof a === 'string' || a === GLOBAL_NAMESPACE) {
    const ns = a;
    checkNamespace(ns);
    return (cls: any) => register_pytree_node_class(cls, ns);
  }
  checkClass(a);
  if (b === undefined) throw new RangeError('Must specify `namespace` when the first argument is a class.');
  const cls = a as CustomTreeNodeClass<any>;
  if (typeof cls.tree_unflatten !== 'function') throw new TypeError(`${cls.name} has no static tree_unflatten(aux, children).`);
  register_pytree_node(cls, (x: any) => x.tree_flatten(), (aux, children) => cls.tree_unflatten(aux, children), b);
  return cls;
}

/** Remove a registration; returns the removed entry. */
export function unregister_pytree_node(cls: Constructor, namespace: RegistryNamespace): PyTreeNodeRegistryEntry {
  checkClass(cls);
  const ns = checkNamespace(namespace);
  if (BUILTINS.has(cls)) throw new RangeError(`PyTree type ${cls.name} is a built-in type and cannot be unregistered.`);
  const table = ns === '' ? globalRegistry : namespaceRegistry.get(ns);
  const entry = table?.get(cls);
  if (!table || !entry) {
    throw new RangeError(
      ns === ''
        ? `PyTree type ${cls.name} is not registered in the global namespace.`
        : `PyTree type ${cls.name} is not registered in namespace '${ns}'.`,
    );
  }
  table.delete(cls);
  dropCaches();
  return entry;
}

/** The registration seen for `cls` from namespace `namespace` ('' = global only), if any. */
export function lookup_registration(cls: Function, namespace = ''): PyTreeNodeRegistryEntry | undefined {
  if (namespace !== '') {
    const e = namespaceRegistry.get(namespace)?.get(cls);
    if (e !== undefined) return e;
  }
  return globalRegistry.get(cls);
}

function classifySlow(proto: object, ns: string): NodeType | null {
  const ctor = (proto as any).constructor;
  if (typeof ctor !== 'function') return null;
  const entry = lookup_registration(ctor, ns);
  if (entry !== undefined) return new NodeType(KIND_CUSTOM, ctor, null, entry);
  const fields = ctor[NAMEDTUPLE_FIELDS];
  if (Array.isArray(fields)) return new NodeType(KIND_NAMEDTUPLE, ctor, fields, null);
  return null;
}

/**
 * Classify an object with prototype `proto` (not Object.prototype/null/Array/Map): a namedtuple,
 * a registered node, or a leaf (`null`). Hot path: called once per leaf object.
 */
export function classify(proto: object, ns: string): NodeType | null {
  if (proto === lastProto && ns === lastNs) return lastType;
  let cache = caches.get(ns);
  if (cache === undefined) {
    cache = new WeakMap();
    caches.set(ns, cache);
  }
  let t = cache.get(proto);
  if (t === undefined) {
    t = classifySlow(proto, ns);
    cache.set(proto, t);
    const ctor = (proto as any).constructor;
    if (t === null && typeof ctor === 'function' && ctor.prototype === proto) leafCtors.set(ns, ctor);
  }
  lastProto = proto;
  lastNs = ns;
  lastType = t;
  return t;
}
