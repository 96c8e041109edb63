/**
 * Type-level mirrors of the runtime structure, so that `tree_map(fn, tree)` is typed
 * `MapLeaves<T, R>` and `fn` receives `LeafOf<T>`.
 *
 * TypeScript cannot tell a class instance (a leaf at run time, e.g. a tensor) from a plain object
 * (a node), so the type-level rule is:
 *  - primitives and functions are leaves; arrays/tuples, Maps, namedtuples and null/undefined are
 *    nodes (null/undefined are typed as empty nodes, i.e. `none_is_leaf: false`);
 *  - an object type is a LEAF if it has any method (class instances: tensors, Dates...) or if it is
 *    listed in `PyTreeLeafTypes`; other object types are mapped key by key.
 * `PyTreeLeafTypes` is an interface other modules augment, e.g.
 *   `declare module '../pytree/types' { interface PyTreeLeafTypes { tensor: Tensor } }`.
 * Every helper also takes an explicit leaf type `L` as its last (optional) parameter. Recursion
 * is cut at depth 10 (the result is then `unknown`), which keeps recursive tree aliases cheap.
 */

import type { NAMEDTUPLE_RECORD, NamedTuple } from './namedtuple';
import type { PyTreeOptions } from './options';

/** Augment this interface to declare extra leaf types (the property names do not matter). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PyTreeLeafTypes {}

export type RegisteredLeaf = PyTreeLeafTypes[keyof PyTreeLeafTypes];

type Primitive = string | number | boolean | bigint | symbol;
type AnyFn = (...args: any[]) => any;
type IsAny<T> = 0 extends 1 & T ? true : false;
type HasMethod<T> = { [K in keyof T]-?: T[K] extends AnyFn ? K : never }[keyof T] extends never ? false : true;
type Next = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
type MaxDepth = 10;

/** A pytree whose leaves have type L (a loose description; runtime accepts any value). */
export type PyTree<L = unknown> =
  | L
  | null
  | undefined
  | readonly PyTree<L>[]
  | { readonly [key: string]: PyTree<L> }
  | ReadonlyMap<unknown, PyTree<L>>
  | NamedTuple<any>;

/** The union of the leaf types of a tree type. */
export type LeafOf<T, L = RegisteredLeaf, D extends number = 0> =
  IsAny<T> extends true
    ? any
    : unknown extends T
      ? unknown
      : D extends MaxDepth
        ? unknown
        : T extends L
          ? T
          : T extends null | undefined
            ? never
            : T extends Primitive | AnyFn
              ? T
              : T extends readonly (infer E)[]
                ? LeafOf<E, L, Next[D]>
                : T extends ReadonlyMap<any, infer V>
                  ? LeafOf<V, L, Next[D]>
                  : T extends { readonly [NAMEDTUPLE_RECORD]: infer V }
                    ? LeafOf<V[keyof V], L, Next[D]>
                    : HasMethod<T> extends true
                      ? T
                      : { [K in keyof T]-?: LeafOf<T[K], L, Next[D]> }[keyof T];

/**
 * The parameter type of a mapped function: `LeafOf<T>`, or `any` where that is `unknown` (a tree
 * typed loosely, or a registered class with untyped fields), so that an annotated callback such
 * as `(x: number) => ...` is accepted there. Never used for inference (NoInfer).
 */
export type LeafArg<T, L = RegisteredLeaf> = NoInfer<unknown extends LeafOf<T, L> ? any : LeafOf<T, L>>;

/** The tree type T with every leaf replaced by R. */
export type MapLeaves<T, R, L = RegisteredLeaf, D extends number = 0> =
  IsAny<T> extends true
    ? any
    : unknown extends T
      ? unknown
      : D extends MaxDepth
        ? unknown
        : T extends L
          ? R
          : T extends null | undefined
            ? T
            : T extends Primitive | AnyFn
              ? R
              : T extends readonly unknown[]
                ? { -readonly [K in keyof T]: MapLeaves<T[K], R, L, Next[D]> }
                : T extends ReadonlyMap<infer K, infer V>
                  ? Map<K, MapLeaves<V, R, L, Next[D]>>
                  : T extends { readonly [NAMEDTUPLE_RECORD]: infer V extends object }
                    ? NamedTuple<{ [K in keyof V]: MapLeaves<V[K], R, L, Next[D]> }>
                    : HasMethod<T> extends true
                      ? R
                      : { -readonly [K in keyof T]: MapLeaves<T[K], R, L, Next[D]> };

type OptionKeys = 'is_leaf' | 'none_is_leaf' | 'namespace';
type LooksLikeOptions<X> = X extends PyTreeOptions
  ? false
  : X extends readonly unknown[]
    ? false
    : X extends object
      ? [keyof X] extends [never]
        ? false
        : [keyof X] extends [OptionKeys]
          ? true
          : false
      : false;

/**
 * The extra trees of a variadic map, checked: a last argument that is a plain object with only
 * option keys (`{none_is_leaf: true}`) must be branded (`treeOptions({...})`), so it is typed
 * `PyTreeOptions` there and the call does not compile.
 */
export type CheckRests<Rs extends unknown[]> = Rs extends [...infer Init, infer Last]
  ? LooksLikeOptions<Last> extends true
    ? [...Init, PyTreeOptions]
    : Rs
  : Rs;
