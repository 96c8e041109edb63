/**
 * Plain-object key sets. optree visits a dict's children in SORTED key order; sorting the keys of
 * every object on every flatten would dominate the cost, so key sets are interned: the insertion
 * order `Object.keys(x)` returns is looked up in a cache (same strings in the same order → same
 * KeyInfo, compared by identity, which is what V8's internalized property names allow), and the
 * sorted order, and a specialised builder for unflatten, are computed once per key set.
 */

export class KeyInfo {
  /** How many times unflatten used this key set (a builder is compiled after a few uses). */
  uses = 0;
  /** Compiled `(build, children, leaves, cursor) => ({k0: build(children[0], ...), ...})`, or false if not compilable. */
  builder: Function | null | false = null;
  readonly hasProtoKey: boolean;
  /** The shared node of an object of these keys whose values are all leaves (treespec.ts). */
  leafNode: any = null;
  constructor(
    /** Keys in the insertion order they were seen (the cache key). */
    readonly keys: readonly string[],
    /** Keys in sorted order: the children's order. */
    readonly sorted: readonly string[],
  ) {
    this.hasProtoKey = sorted.includes('__proto__');
  }
}

const EMPTY = new KeyInfo(Object.freeze([]), Object.freeze([]));
const MAX_CACHED = 4096;
let cache = new Map<string, KeyInfo[]>();
let cached = 0;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  return true;
}

/** The interned KeyInfo of `keys` (an array from Object.keys; not retained unless new). */
export function keyInfoOf(keys: string[]): KeyInfo {
  const n = keys.length;
  if (n === 0) return EMPTY;
  const bucket = cache.get(keys[0]);
  if (bucket !== undefined) {
    for (let i = 0; i < bucket.length; i++) {
      const info = bucket[i];
      if (sameKeys(info.keys, keys)) return info;
    }
  }
  return insert(keys, bucket);
}

function insert(keys: string[], bucket: KeyInfo[] | undefined): KeyInfo {
  if (cached >= MAX_CACHED) {
    cache = new Map();
    cached = 0;
    bucket = undefined;
  }
  const frozen = Object.freeze(keys.slice());
  const sorted = isSorted(frozen) ? frozen : Object.freeze(frozen.slice().sort());
  const info = new KeyInfo(frozen, sorted);
  if (bucket === undefined) cache.set(keys[0], [info]);
  else bucket.push(info);
  cached++;
  return info;
}

/** The KeyInfo of an already sorted, duplicate-free key list (treespec constructors). */
export function keyInfoSorted(sorted: readonly string[]): KeyInfo {
  return keyInfoOf(sorted.slice());
}

/** Same key set (KeyInfos of different insertion orders may still be equal). */
export function keyInfoEquals(a: KeyInfo, b: KeyInfo): boolean {
  return a === b || a.sorted === b.sorted || sameKeys(a.sorted, b.sorted);
}

const COMPILE_AFTER = 2;
const MAX_COMPILED_KEYS = 2000;

/**
 * A function that builds the object literal of this key set in one go (fast properties, one hidden
 * class), or null while not worth it / not possible. Falls back to null if code generation is
 * disabled (`--disallow-code-generation-from-strings`).
 */
export function objectBuilder(info: KeyInfo): Function | null {
  const b = info.builder;
  if (b !== null) return b === false ? null : b;
  if (++info.uses < COMPILE_AFTER) return null;
  if (info.hasProtoKey || info.sorted.length > MAX_COMPILED_KEYS) {
    info.builder = false;
    return null;
  }
  let body = 'return {';
  const keys = info.sorted;
  for (let i = 0; i < keys.length; i++) body += `${JSON.stringify(keys[i])}: b(ch[${i}], l, c),`;
  body += '};';
  try {
    info.builder = new Function('b', 'ch', 'l', 'c', body);
  } catch {
    info.builder = false;
    return null;
  }
  return info.builder as Function;
}
