/**
 * The tree structure (`TreeSpec`, optree's `PyTreeSpec`) and the three hot loops: flatten,
 * unflatten and flatten_up_to.
 *
 * Representation: a tree of immutable `Node`s (not optree's flat post-order vector). All leaves
 * share one `LEAF` node, and all-leaf array/object nodes are shared per arity/key set, so
 * flattening an object of 100 arrays of 10 leaves allocates one node and one children array, not
 * 1101 nodes. Unflatten is a recursive
 * switch over node kinds with precomputed plans: an all-leaf array is one `slice`, a plain object
 * is built by a compiled object literal per key set (see keys.ts). flatten_up_to reports WHERE a
 * mismatch is by catching an internal error on the way up (free when nothing goes wrong) instead of
 * maintaining a path stack on the success path.
 */

import { KeyInfo, keyInfoEquals, keyInfoOf, objectBuilder } from './keys';
import {
  KIND_ARRAY,
  KIND_CUSTOM,
  KIND_LEAF,
  KIND_MAP,
  KIND_NAMEDTUPLE,
  KIND_NAMES,
  KIND_NONE,
  KIND_OBJECT,
  KIND_UNDEFINED,
  NodeType,
  PyTreeKind,
  classify,
  lastLeafCtor,
} from './registry';
import { IsLeafFn } from './options';
import {
  PathStep,
  describe,
  entryStep,
  fieldStep,
  indexStep,
  jsRepr,
  keyList,
  keyStep,
  mapStep,
  pyRepr,
  pyStr,
} from './repr';

/** Deeper trees are refused (and a cyclic structure ends here instead of in a stack overflow). */
export const MAX_RECURSION_DEPTH = 1000;

/** One node of a tree structure. Immutable; shared between treespecs where possible. */
export class Node {
  constructor(
    readonly kind: number,
    readonly arity: number,
    /** OBJECT: KeyInfo; MAP: keys (insertion order); CUSTOM: aux data; otherwise null. */
    readonly data: any,
    readonly children: readonly Node[],
    readonly numLeaves: number,
    readonly numNodes: number,
    /** Every child is LEAF (vacuously true without children). */
    readonly allLeaves: boolean,
    /** NAMEDTUPLE / CUSTOM: the class and its registration. */
    readonly type: NodeType | null,
    /** CUSTOM: the path entries given by flatten_func, or null (= indices). */
    readonly entries: readonly unknown[] | null,
  ) {}
}

const NO_CHILDREN: readonly Node[] = Object.freeze([]);
export const LEAF = new Node(KIND_LEAF, 0, null, NO_CHILDREN, 1, 1, true, null, null);
export const NONE_NODE = new Node(KIND_NONE, 0, null, NO_CHILDREN, 0, 1, true, null, null);
export const UNDEFINED_NODE = new Node(KIND_UNDEFINED, 0, null, NO_CHILDREN, 0, 1, true, null, null);

// Shared rows of LEAF children and all-leaf array nodes, per arity. Large arities go to a Map,
// bounded by the total number of cached slots.
const leafRows: (readonly Node[])[] = [];
const bigLeafRows = new Map<number, readonly Node[]>();
let bigLeafSlots = 0;
const MAX_BIG_LEAF_SLOTS = 1 << 22;

function newLeafRow(n: number): Node[] {
  const a: Node[] = [];
  for (let i = 0; i < n; i++) a.push(LEAF);
  return a;
}

/** A shared array of n LEAF nodes. */
export function leafRow(n: number): readonly Node[] {
  if (n < 512) {
    let row = leafRows[n];
    if (row === undefined) row = leafRows[n] = Object.freeze(newLeafRow(n));
    return row;
  }
  let row = bigLeafRows.get(n);
  if (row === undefined) {
    row = Object.freeze(newLeafRow(n));
    if (bigLeafSlots + n <= MAX_BIG_LEAF_SLOTS) {
      bigLeafRows.set(n, row);
      bigLeafSlots += n;
    }
  }
  return row;
}

/** Builds a node from its children (used by the constructors and compose). */
export function makeNode(
  kind: number,
  data: any,
  children: readonly Node[],
  type: NodeType | null = null,
  entries: readonly unknown[] | null = null,
): Node {
  let numLeaves = 0;
  let numNodes = 1;
  let allLeaves = true;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    numLeaves += c.numLeaves;
    numNodes += c.numNodes;
    if (c !== LEAF) allLeaves = false;
  }
  return new Node(kind, children.length, data, allLeaves ? leafRow(children.length) : children, numLeaves, numNodes, allLeaves, type, entries);
}

// ---------------------------------------------------------------------------------------------
// Flatten

/** All-leaf array nodes, shared per arity (an array node of n leaves is fully determined by n). */
const leafArrayNodes: Node[] = [];
const bigLeafArrayNodes = new Map<number, Node>();
export function leafArrayNode(n: number): Node {
  let node = n < 512 ? leafArrayNodes[n] : bigLeafArrayNodes.get(n);
  if (node === undefined) {
    node = new Node(KIND_ARRAY, n, null, leafRow(n), n, n + 1, true, null, null);
    if (n < 512) leafArrayNodes[n] = node;
    else if (bigLeafRows.get(n) === node.children) bigLeafArrayNodes.set(n, node);
  }
  return node;
}

/** State of one flatten call (passed down instead of module globals: flatten re-enters through
 * is_leaf and custom flatten functions). */
export class FlattenCtx {
  /** Constructor of the last class found to be a leaf: instances of it skip classification. */
  leafCtor: unknown;
  /** Number of leaves written (`leaves` may be preallocated longer; see flattenTop). */
  n = 0;
  constructor(
    readonly leaves: unknown[],
    readonly isLeaf: IsLeafFn | null,
    readonly noneIsLeaf: boolean,
    readonly ns: string,
  ) {
    this.leafCtor = lastLeafCtor(ns);
  }
}

// Leaf count of the previous top-level flatten: the next leaves array is preallocated to it
// (appending to a preallocated array is ~2x faster than growing one by push).
let leafHint = 0;

/** Flatten `x` from the root; returns the root node, `leaves` receives the leaves. */
export function flattenTop(x: unknown, isLeaf: IsLeafFn | null, noneIsLeaf: boolean, ns: string): [Node, unknown[]] {
  const leaves: unknown[] = leafHint > 8 ? new Array(leafHint) : [];
  const ctx = new FlattenCtx(leaves, isLeaf, noneIsLeaf, ns);
  const root = flattenValue(x, ctx, 0);
  if (leaves.length !== ctx.n) leaves.length = ctx.n;
  leafHint = ctx.n < 65536 ? ctx.n : 65536;
  return [root, leaves];
}

function depthError(): never {
  throw new RangeError(
    `Maximum recursion depth (${MAX_RECURSION_DEPTH}) exceeded during flattening the tree (is the structure cyclic?).`,
  );
}

/*
 * Hot path. A leaf object is recognised by `x.constructor === ctx.leafCtor` (a monomorphic
 * property load) before anything else: Object.getPrototypeOf is several times slower in V8.
 * Only the slow path below looks at the real prototype, so an object with an own `constructor`
 * property is still classified by its prototype (unless that property is the leaf class itself).
 */
export function flattenValue(x: unknown, ctx: FlattenCtx, depth: number): Node {
  const isLeaf = ctx.isLeaf;
  if (isLeaf !== null && isLeaf(x)) {
    ctx.leaves[ctx.n++] = x;
    return LEAF;
  }
  if (typeof x !== 'object') {
    if (x === undefined && !ctx.noneIsLeaf) return UNDEFINED_NODE;
    ctx.leaves[ctx.n++] = x;
    return LEAF;
  }
  if (x === null) {
    if (!ctx.noneIsLeaf) return NONE_NODE;
    ctx.leaves[ctx.n++] = x;
    return LEAF;
  }
  if ((x as any).constructor === ctx.leafCtor) {
    ctx.leaves[ctx.n++] = x;
    return LEAF;
  }
  if (Array.isArray(x)) return flattenArray(x, ctx, depth);
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) return flattenObject(x, ctx, depth);
  if (proto === Map.prototype) return flattenMap(x as Map<unknown, unknown>, ctx, depth);
  const t = classify(proto, ctx.ns);
  if (t === null) {
    const ctor = proto.constructor;
    if (typeof ctor === 'function' && ctor.prototype === proto) ctx.leafCtor = ctor;
    ctx.leaves[ctx.n++] = x;
    return LEAF;
  }
  if (t.kind === KIND_NAMEDTUPLE) return flattenNamedTuple(x, t, ctx, depth);
  return flattenCustom(x, t, ctx, depth);
}

/*
 * flattenArray / flattenObject inline the two common child cases (a leaf of the known leaf class
 * or a primitive; a nested array) to save a call per child. Only without is_leaf, which must see
 * every node.
 */
function flattenArray(x: readonly unknown[], ctx: FlattenCtx, depth: number): Node {
  if (depth >= MAX_RECURSION_DEPTH) depthError();
  const n = x.length;
  const leaves = ctx.leaves;
  const fast = ctx.isLeaf === null;
  let children: Node[] | null = null;
  let numLeaves = 0;
  let numNodes = 1;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    let c: Node;
    if (fast && (typeof v === 'object' ? v !== null && (v as any).constructor === ctx.leafCtor : v !== undefined)) {
      leaves[ctx.n++] = v;
      if (children !== null) children[i] = LEAF;
      numLeaves++;
      numNodes++;
      continue;
    } else if (fast && Array.isArray(v)) c = flattenArray(v, ctx, depth + 1);
    else c = flattenValue(v, ctx, depth + 1);
    if (children !== null) children[i] = c;
    else if (c !== LEAF) children = startChildren(n, i, c);
    numLeaves += c.numLeaves;
    numNodes += c.numNodes;
  }
  if (children === null) return leafArrayNode(n);
  return new Node(KIND_ARRAY, n, null, children, numLeaves, numNodes, false, null, null);
}

/** The children array of n slots, started when the first non-leaf child (c, at i) shows up. */
function startChildren(n: number, i: number, c: Node): Node[] {
  const a: Node[] = new Array(n);
  for (let j = 0; j < i; j++) a[j] = LEAF;
  a[i] = c;
  return a;
}

function flattenObject(x: object, ctx: FlattenCtx, depth: number): Node {
  if (depth >= MAX_RECURSION_DEPTH) depthError();
  const info = keyInfoOf(Object.keys(x));
  const keys = info.sorted;
  const n = keys.length;
  const leaves = ctx.leaves;
  const fast = ctx.isLeaf === null;
  let children: Node[] | null = null;
  let numLeaves = 0;
  let numNodes = 1;
  for (let i = 0; i < n; i++) {
    const v = (x as any)[keys[i]];
    let c: Node;
    if (fast && (typeof v === 'object' ? v !== null && v.constructor === ctx.leafCtor : v !== undefined)) {
      leaves[ctx.n++] = v;
      if (children !== null) children[i] = LEAF;
      numLeaves++;
      numNodes++;
      continue;
    } else if (fast && Array.isArray(v)) c = flattenArray(v, ctx, depth + 1);
    else c = flattenValue(v, ctx, depth + 1);
    if (children !== null) children[i] = c;
    else if (c !== LEAF) children = startChildren(n, i, c);
    numLeaves += c.numLeaves;
    numNodes += c.numNodes;
  }
  if (children === null) return info.leafNode ?? (info.leafNode = new Node(KIND_OBJECT, n, info, leafRow(n), n, n + 1, true, null, null));
  return new Node(KIND_OBJECT, n, info, children, numLeaves, numNodes, false, null, null);
}

function flattenMap(x: Map<unknown, unknown>, ctx: FlattenCtx, depth: number): Node {
  if (depth >= MAX_RECURSION_DEPTH) depthError();
  const keys: unknown[] = [];
  const children: Node[] = [];
  for (const [k, v] of x) {
    keys.push(k);
    children.push(flattenValue(v, ctx, depth + 1));
  }
  return makeNode(KIND_MAP, keys, children);
}

function flattenNamedTuple(x: object, t: NodeType, ctx: FlattenCtx, depth: number): Node {
  if (depth >= MAX_RECURSION_DEPTH) depthError();
  const fields = t.fields!;
  const children: Node[] = [];
  for (let i = 0; i < fields.length; i++) children.push(flattenValue((x as any)[fields[i]], ctx, depth + 1));
  return makeNode(KIND_NAMEDTUPLE, null, children, t);
}

/** Runs a custom flatten_func and checks its result: [children array, aux, entries array | null]. */
export function callCustomFlatten(x: unknown, t: NodeType): [unknown[], unknown, unknown[] | null] {
  const entry = t.entry!;
  const out = entry.flatten_func(x);
  if (out == null || typeof (out as any)[Symbol.iterator] !== 'function') {
    throw new TypeError(`PyTree custom flatten function for type ${entry.type.name} should return [children, auxData, entries?], got ${jsRepr(out)}.`);
  }
  const r = Array.isArray(out) ? out : Array.from(out as Iterable<unknown>);
  if (r.length !== 2 && r.length !== 3) {
    throw new TypeError(`PyTree custom flatten function for type ${entry.type.name} should return a 2- or 3-element array, got ${r.length}.`);
  }
  const c = r[0] as Iterable<unknown>;
  if (c == null || typeof (c as any)[Symbol.iterator] !== 'function') {
    throw new TypeError(`PyTree custom flatten function for type ${entry.type.name} returned non-iterable children ${jsRepr(c)}.`);
  }
  const children = Array.isArray(c) ? c : Array.from(c);
  let entries: unknown[] | null = null;
  if (r.length === 3 && r[2] != null) {
    entries = Array.from(r[2] as Iterable<unknown>);
    if (entries.length !== children.length) {
      throw new RangeError(`PyTree custom flatten function for type ${entry.type.name} returned ${entries.length} entries for ${children.length} children.`);
    }
  }
  return [children, r[1], entries];
}

function flattenCustom(x: object, t: NodeType, ctx: FlattenCtx, depth: number): Node {
  if (depth >= MAX_RECURSION_DEPTH) depthError();
  const [values, aux, entries] = callCustomFlatten(x, t);
  const children: Node[] = [];
  for (let i = 0; i < values.length; i++) children.push(flattenValue(values[i], ctx, depth + 1));
  return makeNode(KIND_CUSTOM, aux, children, t, entries === null ? null : Object.freeze(entries));
}

// ---------------------------------------------------------------------------------------------
// Unflatten

export class Cursor {
  i = 0;
}

export function build(node: Node, leaves: readonly unknown[], cur: Cursor): unknown {
  switch (node.kind) {
    case KIND_LEAF:
      return leaves[cur.i++];
    case KIND_NONE:
      return null;
    case KIND_UNDEFINED:
      return undefined;
    case KIND_ARRAY: {
      const n = node.arity;
      if (node.allLeaves) {
        const i = cur.i;
        cur.i = i + n;
        return leaves.slice(i, i + n);
      }
      return buildChildren(node, leaves, cur);
    }
    case KIND_OBJECT:
      return buildObject(node, leaves, cur);
    case KIND_MAP: {
      const keys = node.data as unknown[];
      const ch = node.children;
      const out = new Map<unknown, unknown>();
      for (let i = 0; i < keys.length; i++) out.set(keys[i], build(ch[i], leaves, cur));
      return out;
    }
    case KIND_NAMEDTUPLE:
      return Reflect.construct(node.type!.ctor, buildChildren(node, leaves, cur));
    default:
      return node.type!.entry!.unflatten_func(node.data, buildChildren(node, leaves, cur));
  }
}

function buildChildren(node: Node, leaves: readonly unknown[], cur: Cursor): unknown[] {
  const ch = node.children;
  const out: unknown[] = [];
  for (let i = 0; i < ch.length; i++) out.push(build(ch[i], leaves, cur));
  return out;
}

function buildObject(node: Node, leaves: readonly unknown[], cur: Cursor): object {
  const info = node.data as KeyInfo;
  const b = objectBuilder(info);
  if (b !== null) return b(build, node.children, leaves, cur);
  const keys = info.sorted;
  const ch = node.children;
  const out: any = {};
  for (let i = 0; i < keys.length; i++) {
    const v = build(ch[i], leaves, cur);
    if (keys[i] === '__proto__') Object.defineProperty(out, '__proto__', { value: v, enumerable: true, writable: true, configurable: true });
    else out[keys[i]] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// flatten_up_to (structure checks with paths)

/** Internal: thrown by the structure walkers, completed with its path on the way up. */
export class StructureMismatch {
  readonly steps: PathStep[] = [];
  constructor(
    readonly what: string,
    readonly range: boolean,
  ) {}
}

function mismatch(what: string, range = false): never {
  throw new StructureMismatch(what, range);
}

/** Adds `step` to a StructureMismatch passing through; other errors pass unchanged. */
export function withStep(e: unknown, step: PathStep): unknown {
  if (e instanceof StructureMismatch) e.steps.push(step);
  return e;
}

/** The public error for a mismatch: says where (`root[1]['b']`) and what. */
export function mismatchError(e: StructureMismatch, root: string, prefix = 'Tree structure mismatch', hint = ''): Error {
  let path = root;
  for (let i = e.steps.length - 1; i >= 0; i--) path += e.steps[i];
  const msg = `${prefix} at ${path}: ${e.what}.${hint}`;
  return e.range ? new RangeError(msg) : new TypeError(msg);
}

/** What a node expects, in words (for messages). */
export function expectation(node: Node): string {
  switch (node.kind) {
    case KIND_LEAF:
      return 'a leaf';
    case KIND_NONE:
      return 'null';
    case KIND_UNDEFINED:
      return 'undefined';
    case KIND_ARRAY:
      return `array of length ${node.arity}`;
    case KIND_OBJECT:
      return `object with keys ${keyList((node.data as KeyInfo).sorted)}`;
    case KIND_MAP:
      return `Map with keys ${keyList(node.data)}`;
    case KIND_NAMEDTUPLE:
      return `namedtuple ${node.type!.ctor.name}`;
    default:
      return `instance of ${node.type!.ctor.name} (custom node)`;
  }
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** Output of flatten_up_to: a preallocated array and a write index. */
class UpToOut {
  n = 0;
  constructor(
    readonly out: unknown[],
    readonly ns: string,
  ) {}
}

/** The subtrees of `x` at the leaves of `root` (throws StructureMismatch). */
export function flattenUpTo(root: Node, x: unknown, ns: string): unknown[] {
  const col = new UpToOut(new Array(root.numLeaves), ns);
  upTo(root, x, col);
  return col.out;
}

/** Writes the subtrees of `x` at the leaves of `node` into `col`; throws StructureMismatch. */
function upTo(node: Node, x: unknown, col: UpToOut): void {
  switch (node.kind) {
    case KIND_LEAF:
      col.out[col.n++] = x;
      return;
    case KIND_NONE:
    case KIND_UNDEFINED:
      // null and undefined are both "None" here: either matches a None node.
      if (x !== null && x !== undefined) mismatch(`expected ${expectation(node)}, got ${describe(x)}`);
      return;
    case KIND_ARRAY: {
      const n = node.arity;
      if (!Array.isArray(x)) mismatch(`expected array of length ${n}, got ${describe(x)}`);
      if (x.length !== n) mismatch(`expected array of length ${n}, got array of length ${x.length}`, true);
      if (node.allLeaves) {
        const out = col.out;
        for (let i = 0; i < n; i++) out[col.n++] = x[i];
        return;
      }
      const ch = node.children;
      let i = 0;
      try {
        for (; i < n; i++) upTo(ch[i], x[i], col);
      } catch (e) {
        throw withStep(e, indexStep(i));
      }
      return;
    }
    case KIND_OBJECT: {
      const info = node.data as KeyInfo;
      if (!isPlainObject(x)) mismatch(`expected ${expectation(node)}, got ${describe(x)}`);
      const got = keyInfoOf(Object.keys(x));
      if (!keyInfoEquals(info, got)) mismatch(keyDifference(info.sorted, got.sorted, 'object'));
      const keys = info.sorted;
      const ch = node.children;
      if (node.allLeaves) {
        const out = col.out;
        for (let i = 0; i < keys.length; i++) out[col.n++] = x[keys[i]];
        return;
      }
      let i = 0;
      try {
        for (; i < keys.length; i++) upTo(ch[i], x[keys[i]], col);
      } catch (e) {
        throw withStep(e, keyStep(keys[i]));
      }
      return;
    }
    case KIND_MAP: {
      const keys = node.data as unknown[];
      if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Map.prototype) {
        mismatch(`expected ${expectation(node)}, got ${describe(x)}`);
      }
      const m = x as Map<unknown, unknown>;
      if (m.size !== keys.length || !keys.every((k) => m.has(k))) mismatch(keyDifference(keys, Array.from(m.keys()), 'Map'));
      const ch = node.children;
      let i = 0;
      try {
        for (; i < keys.length; i++) upTo(ch[i], m.get(keys[i]), col);
      } catch (e) {
        throw withStep(e, mapStep(keys[i]));
      }
      return;
    }
    case KIND_NAMEDTUPLE: {
      const t = node.type!;
      if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x)?.constructor !== t.ctor) {
        mismatch(`expected ${expectation(node)}, got ${describe(x)}`);
      }
      const fields = t.fields!;
      const ch = node.children;
      let i = 0;
      try {
        for (; i < fields.length; i++) upTo(ch[i], (x as any)[fields[i]], col);
      } catch (e) {
        throw withStep(e, fieldStep(fields[i]));
      }
      return;
    }
    default: {
      const t = node.type!;
      const proto = typeof x === 'object' && x !== null ? Object.getPrototypeOf(x) : null;
      const got = proto === null ? null : classify(proto, col.ns);
      if (got === null || got.entry !== t.entry) mismatch(`expected ${expectation(node)}, got ${describe(x)}`);
      const [values, aux, entries] = callCustomFlatten(x, t);
      if (!auxEquals(node.data, aux)) {
        mismatch(`custom node data of ${t.ctor.name} differs; expected ${pyRepr(node.data)}, got ${pyRepr(aux)}`);
      }
      if (values.length !== node.arity) {
        mismatch(`expected ${t.ctor.name} with ${node.arity} children, got ${values.length}`, true);
      }
      const ch = node.children;
      let i = 0;
      try {
        for (; i < values.length; i++) upTo(ch[i], values[i], col);
      } catch (e) {
        throw withStep(e, entryStep(entries === null ? i : entries[i]));
      }
    }
  }
}

function keyDifference(expected: readonly unknown[], got: readonly unknown[], what: string): string {
  const g = new Set(got);
  const e = new Set(expected);
  const missing = expected.filter((k) => !g.has(k));
  const extra = got.filter((k) => !e.has(k));
  let s = `expected ${what} with keys ${keyList(expected)}, got ${what} with keys ${keyList(got)}`;
  if (missing.length) s += `; missing ${keyList(missing)}`;
  if (extra.length) s += `; extra ${keyList(extra)}`;
  return s;
}

/** Equality of custom-node auxiliary data (Python `==` on node_data): deep on arrays, plain
 * objects, Maps and treespecs, `equals()` if the value has one, else Object.is. */
export function auxEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!auxEquals(a[i], b[i])) return false;
    return true;
  }
  if (typeof (a as any).equals === 'function') return (a as any).equals(b) === true;
  const pa = Object.getPrototypeOf(a);
  if (pa !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Map) {
    const mb = b as Map<unknown, unknown>;
    if (a.size !== mb.size) return false;
    for (const [k, v] of a) if (!mb.has(k) || !auxEquals(v, mb.get(k))) return false;
    return true;
  }
  if (pa === Object.prototype || pa === null) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !auxEquals((a as any)[k], (b as any)[k])) return false;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Structural comparisons

function sameKeyList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(a[i] === 0 && b[i] === 0)) return false;
  return true;
}

/** Same node (ignoring children). */
function sameHead(a: Node, b: Node): boolean {
  if (a.kind !== b.kind || a.arity !== b.arity) return false;
  switch (a.kind) {
    case KIND_OBJECT:
      return keyInfoEquals(a.data, b.data);
    case KIND_MAP:
      return sameKeyList(a.data, b.data);
    case KIND_NAMEDTUPLE:
      return a.type!.ctor === b.type!.ctor;
    case KIND_CUSTOM:
      return a.type!.entry === b.type!.entry && auxEquals(a.data, b.data);
    default:
      return true;
  }
}

export function nodeEquals(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (a.numNodes !== b.numNodes || a.numLeaves !== b.numLeaves || !sameHead(a, b)) return false;
  if (a.allLeaves && b.allLeaves) return true;
  for (let i = 0; i < a.arity; i++) if (!nodeEquals(a.children[i], b.children[i])) return false;
  return true;
}

/** `a` is a prefix of `b`: `b` can be made by replacing leaves of `a` with subtrees. */
export function nodeIsPrefix(a: Node, b: Node): boolean {
  if (a === LEAF) return true;
  if (!sameHead(a, b)) return false;
  for (let i = 0; i < a.arity; i++) if (!nodeIsPrefix(a.children[i], b.children[i])) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// TreeSpec

/** The structure of a pytree (optree's `PyTreeSpec`). Immutable. */
export class TreeSpec {
  /** @internal */
  readonly root: Node;
  readonly none_is_leaf: boolean;
  readonly namespace: string;

  constructor(root: Node, none_is_leaf = false, namespace = '') {
    this.root = root;
    this.none_is_leaf = none_is_leaf;
    this.namespace = namespace;
  }

  get num_leaves(): number {
    return this.root.numLeaves;
  }
  get num_nodes(): number {
    return this.root.numNodes;
  }
  get num_children(): number {
    return this.root.arity;
  }
  /** Same as num_leaves (Python's `len(treespec)`). */
  get length(): number {
    return this.root.numLeaves;
  }
  get kind(): PyTreeKind {
    return KIND_NAMES[this.root.kind];
  }
  /** The node's class: Array, Object, Map, the namedtuple / registered class; null for leaf/None. */
  get type(): Function | null {
    const n = this.root;
    switch (n.kind) {
      case KIND_ARRAY:
        return Array;
      case KIND_OBJECT:
        return Object;
      case KIND_MAP:
        return Map;
      case KIND_NAMEDTUPLE:
      case KIND_CUSTOM:
        return n.type!.ctor;
      default:
        return null;
    }
  }

  /** Rebuild a tree of this structure from its leaves (an array or any iterable). */
  unflatten<T = unknown>(leaves: Iterable<T> | ArrayLike<T>): any {
    const arr: readonly unknown[] = Array.isArray(leaves) ? leaves : Array.from(leaves as Iterable<T>);
    const n = this.root.numLeaves;
    if (arr.length !== n) {
      throw new RangeError(
        `${arr.length < n ? 'Too few' : 'Too many'} leaves for ${this.shortString()}; expected ${n}, got ${arr.length}.`,
      );
    }
    const root = this.root;
    if (root === LEAF) return arr[0];
    return build(root, arr, new Cursor());
  }

  /**
   * The subtrees of `tree` found at this structure's leaves (this structure must be a prefix of
   * `tree`'s). Throws a TypeError/RangeError naming the path of the first difference.
   */
  flatten_up_to(tree: unknown): unknown[] {
    try {
      return flattenUpTo(this.root, tree, this.namespace);
    } catch (e) {
      if (e instanceof StructureMismatch) throw mismatchError(e, 'tree', `Tree structure mismatch with ${this.shortString()}`);
      throw e;
    }
  }

  children(): TreeSpec[] {
    return this.root.children.map((c) => new TreeSpec(c, this.none_is_leaf, this.namespace));
  }
  child(index: number): TreeSpec {
    if (!Number.isInteger(index) || index < 0 || index >= this.root.arity) {
      throw new RangeError(`Child index ${index} out of range for a node with ${this.root.arity} children.`);
    }
    return new TreeSpec(this.root.children[index], this.none_is_leaf, this.namespace);
  }

  /** Path entries of the children: indices, sorted object keys, Map keys, custom entries. */
  entries(): unknown[] {
    return nodeEntries(this.root);
  }
  entry(index: number): unknown {
    const e = this.entries();
    if (!Number.isInteger(index) || index < 0 || index >= e.length) {
      throw new RangeError(`Entry index ${index} out of range for a node with ${e.length} children.`);
    }
    return e[index];
  }
  /** The path (array of entries) of every leaf, in leaf order. */
  paths(): unknown[][] {
    const out: unknown[][] = [];
    collectPaths(this.root, [], out);
    return out;
  }

  /** strict (default): a single leaf; non-strict: a single node (a leaf or a None). */
  is_leaf(strict = true): boolean {
    return strict ? this.root === LEAF : this.root.numNodes === 1;
  }
  /** This structure is a prefix of `other` (strict: and not equal). */
  is_prefix(other: TreeSpec, strict = false): boolean {
    if (!this.compatible(other)) return false;
    if (!nodeIsPrefix(this.root, other.root)) return false;
    return !strict || !nodeEquals(this.root, other.root);
  }
  is_suffix(other: TreeSpec, strict = false): boolean {
    return other.is_prefix(this, strict);
  }

  /** Replace every leaf of this structure by `inner` (optree's `compose`). */
  compose(inner: TreeSpec): TreeSpec {
    this.checkCompatible(inner);
    const graft = (n: Node): Node => {
      if (n === LEAF) return inner.root;
      if (n.numLeaves === 0) return n;
      return makeNode(n.kind, n.data, n.children.map(graft), n.type, n.entries);
    };
    return new TreeSpec(graft(this.root), this.none_is_leaf, this.namespace || inner.namespace);
  }

  /**
   * Fold over the structure: `f_leaf(leaf)` at leaves (identity when null), `f_node(children,
   * nodeData)` at inner nodes, bottom-up (optree's `walk`).
   */
  walk<U>(f_node: (children: U[], data: unknown) => U, f_leaf: ((leaf: any) => U) | null, leaves: Iterable<unknown>): U {
    const arr = Array.from(leaves);
    if (arr.length !== this.num_leaves) {
      throw new RangeError(`Expected ${this.num_leaves} leaves, got ${arr.length}.`);
    }
    const cur = new Cursor();
    const go = (n: Node): U => {
      if (n === LEAF) {
        const x = arr[cur.i++];
        return f_leaf === null ? (x as U) : f_leaf(x);
      }
      return f_node(n.children.map(go), nodeData(n));
    };
    return go(this.root);
  }

  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof TreeSpec)) return false;
    return this.compatible(other) && nodeEquals(this.root, other.root);
  }

  toString(): string {
    let s = `PyTreeSpec(${nodeString(this.root, this.none_is_leaf)}`;
    if (this.none_is_leaf) s += ', NoneIsLeaf';
    if (this.namespace !== '') s += `, namespace=${pyStr(this.namespace)}`;
    return s + ')';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** toString(), cut for error messages. */
  shortString(max = 200): string {
    const s = this.toString();
    return s.length <= max ? s : `${s.slice(0, max - 4)}...)`;
  }

  private compatible(other: TreeSpec): boolean {
    return (
      this.none_is_leaf === other.none_is_leaf &&
      (this.namespace === '' || other.namespace === '' || this.namespace === other.namespace)
    );
  }

  /** @internal */
  checkCompatible(other: TreeSpec): void {
    if (this.none_is_leaf !== other.none_is_leaf) throw new RangeError('PyTreeSpecs must have the same none_is_leaf value.');
    if (this.namespace !== '' && other.namespace !== '' && this.namespace !== other.namespace) {
      throw new RangeError(`PyTreeSpecs must have the same namespace, got ${pyStr(this.namespace)} vs. ${pyStr(other.namespace)}.`);
    }
  }
}

/** The node data exposed to users (walk): keys, aux data, class. */
function nodeData(n: Node): unknown {
  switch (n.kind) {
    case KIND_OBJECT:
      return (n.data as KeyInfo).sorted;
    case KIND_MAP:
    case KIND_CUSTOM:
      return n.data;
    case KIND_NAMEDTUPLE:
      return n.type!.ctor;
    case KIND_UNDEFINED:
      return undefined;
    default:
      return null;
  }
}

export function nodeEntries(n: Node): unknown[] {
  switch (n.kind) {
    case KIND_OBJECT:
      return (n.data as KeyInfo).sorted.slice();
    case KIND_MAP:
      return (n.data as unknown[]).slice();
    case KIND_CUSTOM:
      if (n.entries !== null) return n.entries.slice();
    // falls through: indices
    default: {
      const out: number[] = [];
      for (let i = 0; i < n.arity; i++) out.push(i);
      return out;
    }
  }
}

function collectPaths(n: Node, prefix: unknown[], out: unknown[][]): void {
  if (n === LEAF) {
    out.push(prefix.slice());
    return;
  }
  if (n.numLeaves === 0) return;
  const entries = nodeEntries(n);
  for (let i = 0; i < n.arity; i++) {
    prefix.push(entries[i]);
    collectPaths(n.children[i], prefix, out);
    prefix.pop();
  }
}

function nodeString(n: Node, noneIsLeaf: boolean): string {
  const kids = (): string[] => n.children.map((c) => nodeString(c, noneIsLeaf));
  switch (n.kind) {
    case KIND_LEAF:
      return '*';
    case KIND_NONE:
      return 'None';
    case KIND_UNDEFINED:
      return 'undefined';
    case KIND_ARRAY:
      return `[${kids().join(', ')}]`;
    case KIND_OBJECT: {
      const keys = (n.data as KeyInfo).sorted;
      const c = kids();
      return `{${keys.map((k, i) => `${pyStr(k)}: ${c[i]}`).join(', ')}}`;
    }
    case KIND_MAP: {
      const keys = n.data as unknown[];
      const c = kids();
      return `Map([${keys.map((k, i) => `(${pyRepr(k)}, ${c[i]})`).join(', ')}])`;
    }
    case KIND_NAMEDTUPLE: {
      const t = n.type!;
      const c = kids();
      return `${t.ctor.name}(${t.fields!.map((f, i) => `${f}=${c[i]}`).join(', ')})`;
    }
    default: {
      const t = n.type!;
      return `CustomTreeNode(${t.ctor.name}[${pyRepr(n.data)}], [${kids().join(', ')}])`;
    }
  }
}
