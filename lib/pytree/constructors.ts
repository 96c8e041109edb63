/**
 * `treespec_*` constructors and accessors (optree's module-level treespec functions).
 * JS arrays are both tuples and lists, so `treespec_tuple` and `treespec_list` build the same
 * node; `treespec_ordereddict` / `treespec_map` build a Map node (insertion order).
 */

import { TreeOptionsArg, toOptions } from './options';
import { KIND_ARRAY, KIND_MAP, KIND_NAMEDTUPLE, KIND_OBJECT, NodeType, classify } from './registry';
import { is_namedtuple_instance } from './namedtuple';
import { keyInfoSorted } from './keys';
import { LEAF, NONE_NODE, Node, TreeSpec, UNDEFINED_NODE, makeNode } from './treespec';
import { oneLevel } from './ops';
import { jsRepr } from './repr';

type SpecOptions = { none_is_leaf?: boolean; namespace?: string } | undefined;

/** The namespace shared by `children` and the options (the non-empty one wins; clashes throw). */
function checkChildren(children: readonly unknown[], opts: SpecOptions, what: string): [Node[], boolean, string] {
  const o = toOptions(opts as TreeOptionsArg);
  let ns = o.namespace;
  const nodes: Node[] = [];
  for (const c of children) {
    if (!(c instanceof TreeSpec)) throw new TypeError(`${what}: expected a TreeSpec, got ${jsRepr(c)}.`);
    if (c.none_is_leaf !== o.none_is_leaf) {
      throw new RangeError(`${what}: expected treespec(s) with none_is_leaf=${o.none_is_leaf}, got ${c.toString()}.`);
    }
    if (c.namespace !== '') {
      if (ns !== '' && ns !== c.namespace) {
        throw new RangeError(`${what}: expected treespec(s) with namespace '${ns}', got ${c.toString()}.`);
      }
      ns = c.namespace;
    }
    nodes.push(c.root);
  }
  return [nodes, o.none_is_leaf, ns];
}

export function treespec_leaf(opts?: SpecOptions): TreeSpec {
  const o = toOptions(opts as TreeOptionsArg);
  return new TreeSpec(LEAF, o.none_is_leaf, o.namespace);
}

/** The structure of `null`: an empty node, or a leaf with `none_is_leaf: true`. */
export function treespec_none(opts?: SpecOptions): TreeSpec {
  const o = toOptions(opts as TreeOptionsArg);
  return new TreeSpec(o.none_is_leaf ? LEAF : NONE_NODE, o.none_is_leaf, o.namespace);
}

/** The structure of `undefined` (JS-only, like treespec_none). */
export function treespec_undefined(opts?: SpecOptions): TreeSpec {
  const o = toOptions(opts as TreeOptionsArg);
  return new TreeSpec(o.none_is_leaf ? LEAF : UNDEFINED_NODE, o.none_is_leaf, o.namespace);
}

/** An array node with the given child structures. */
export function treespec_tuple(children: Iterable<TreeSpec> = [], opts?: SpecOptions): TreeSpec {
  const [nodes, nil, ns] = checkChildren(Array.from(children), opts, 'treespec_tuple');
  return new TreeSpec(makeNode(KIND_ARRAY, null, nodes), nil, ns);
}
export const treespec_list = treespec_tuple;
export const treespec_array = treespec_tuple;

/** A plain-object node (children in sorted key order). */
export function treespec_dict(
  mapping: Record<string, TreeSpec> | Iterable<readonly [string, TreeSpec]> = {},
  opts?: SpecOptions,
): TreeSpec {
  const pairs: [string, TreeSpec][] =
    Symbol.iterator in Object(mapping) && !(typeof mapping === 'object' && Object.getPrototypeOf(mapping) === Object.prototype)
      ? Array.from(mapping as Iterable<readonly [string, TreeSpec]>, ([k, v]) => [String(k), v])
      : Object.keys(mapping).map((k) => [k, (mapping as Record<string, TreeSpec>)[k]]);
  const byKey = new Map(pairs);
  const keys = Array.from(byKey.keys()).sort();
  const [nodes, nil, ns] = checkChildren(keys.map((k) => byKey.get(k)), opts, 'treespec_dict');
  return new TreeSpec(makeNode(KIND_OBJECT, keyInfoSorted(keys), nodes), nil, ns);
}

/** A Map node (insertion order) — optree's OrderedDict. */
export function treespec_ordereddict(
  mapping: ReadonlyMap<unknown, TreeSpec> | Iterable<readonly [unknown, TreeSpec]> | Record<string, TreeSpec> = [],
  opts?: SpecOptions,
): TreeSpec {
  const pairs: [unknown, TreeSpec][] =
    mapping instanceof Map || Symbol.iterator in Object(mapping)
      ? Array.from(mapping as Iterable<readonly [unknown, TreeSpec]>, ([k, v]) => [k, v])
      : Object.keys(mapping).map((k) => [k, (mapping as Record<string, TreeSpec>)[k]]);
  const m = new Map(pairs);
  const [nodes, nil, ns] = checkChildren(Array.from(m.values()), opts, 'treespec_ordereddict');
  return new TreeSpec(makeNode(KIND_MAP, Array.from(m.keys()), nodes), nil, ns);
}
export const treespec_map = treespec_ordereddict;

/** A namedtuple node from a namedtuple instance whose fields are treespecs. */
export function treespec_namedtuple(record: object, opts?: SpecOptions): TreeSpec {
  if (!is_namedtuple_instance(record)) throw new TypeError(`treespec_namedtuple: expected a namedtuple instance, got ${jsRepr(record)}.`);
  const ctor = Object.getPrototypeOf(record).constructor;
  const t = classify(Object.getPrototypeOf(record), '');
  const type = t !== null && t.kind === KIND_NAMEDTUPLE ? t : new NodeType(KIND_NAMEDTUPLE, ctor, ctor._fields, null);
  const [nodes, nil, ns] = checkChildren(type.fields!.map((f) => (record as any)[f]), opts, 'treespec_namedtuple');
  return new TreeSpec(makeNode(KIND_NAMEDTUPLE, null, nodes, type), nil, ns);
}

/** A node of the collection's own type whose children are the treespecs it holds (one level). */
export function treespec_from_collection(collection: unknown, opts?: SpecOptions): TreeSpec {
  const o = toOptions(opts as TreeOptionsArg);
  if (collection instanceof TreeSpec) return collection;
  const one = oneLevel(collection, o);
  if (one === null) throw new TypeError(`treespec_from_collection: expected a collection of TreeSpecs, got leaf ${jsRepr(collection)}.`);
  const [children, meta, entries] = one;
  if (collection === null || collection === undefined) return o.none_is_leaf ? treespec_leaf(opts) : collection === null ? treespec_none(opts) : treespec_undefined(opts);
  const [nodes, nil, ns] = checkChildren(children, opts, 'treespec_from_collection');
  if (Array.isArray(collection)) return new TreeSpec(makeNode(KIND_ARRAY, null, nodes), nil, ns);
  const proto = Object.getPrototypeOf(collection);
  if (proto === Map.prototype) return new TreeSpec(makeNode(KIND_MAP, meta, nodes), nil, ns);
  if (proto === Object.prototype || proto === null) return new TreeSpec(makeNode(KIND_OBJECT, keyInfoSorted(meta as string[]), nodes), nil, ns);
  const t = classify(proto, o.namespace)!;
  if (t.kind === KIND_NAMEDTUPLE) return new TreeSpec(makeNode(KIND_NAMEDTUPLE, null, nodes, t), nil, ns);
  const custom = t.entry !== null && Array.isArray(entries) && entries.some((e, i) => e !== i) ? Object.freeze(entries.slice()) : null;
  return new TreeSpec(makeNode(t.kind, meta, nodes, t, custom), nil, ns);
}

// Accessors (module-level forms of the TreeSpec methods).
export const treespec_paths = (t: TreeSpec): unknown[][] => t.paths();
export const treespec_entries = (t: TreeSpec): unknown[] => t.entries();
export const treespec_entry = (t: TreeSpec, index: number): unknown => t.entry(index);
export const treespec_children = (t: TreeSpec): TreeSpec[] => t.children();
export const treespec_child = (t: TreeSpec, index: number): TreeSpec => t.child(index);
export const treespec_is_leaf = (t: TreeSpec, strict = true): boolean => t.is_leaf(strict);
export const treespec_is_strict_leaf = (t: TreeSpec): boolean => t.is_leaf(true);
export const treespec_is_prefix = (t: TreeSpec, other: TreeSpec, strict = false): boolean => t.is_prefix(other, strict);
export const treespec_is_suffix = (t: TreeSpec, other: TreeSpec, strict = false): boolean => t.is_suffix(other, strict);
