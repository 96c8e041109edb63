// Shared machinery of the transforms.
//
// Every transform runs on either pytrees (the tree path) or on the flat leaf lists that
// chain_flat hands it (the flat path, TorchOpt's default: flatten once per update).
// A Mapper hides the difference, so each transform is written once.
import { NONE_IS_LEAF, tree_map, tree_map_ } from '../../pytree';
import { Tensor } from '../../torch';
import * as torch from '../../torch';
import { N } from '../../native';
import { wrap } from '../../torch/tensor';
import type { Params, UpdateOpts } from '../typing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Tree = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...xs: any[]) => any;

export interface Mapper {
  /** tree_map: null in the first tree is skipped (kept null). */
  map(fn: Fn, first: Tree, ...rest: Tree[]): Tree;
  /** tree_map_: fn for its side effects; returns the first tree. */
  map_(fn: Fn, first: Tree, ...rest: Tree[]): Tree;
  /** tree_map with none_is_leaf: fn sees nulls of every tree. */
  mapNone(fn: Fn, first: Tree, ...rest: Tree[]): Tree;
}

const anyMap = tree_map as unknown as (fn: Fn, first: Tree, ...rest: unknown[]) => Tree;
const anyMap_ = tree_map_ as unknown as (fn: Fn, first: Tree, ...rest: unknown[]) => Tree;

export const TREE: Mapper = {
  map: (fn, first, ...rest) => anyMap(fn, first, ...rest),
  map_: (fn, first, ...rest) => anyMap_(fn, first, ...rest),
  mapNone: (fn, first, ...rest) => anyMap(fn, first, ...rest, NONE_IS_LEAF),
};

/** TorchOpt's tree_map_flat over lists (nulls stand for absent gradients). */
export function tree_map_flat(fn: Fn, first: Tree[], ...rest: Tree[][]): Tree[] {
  const n = first.length;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = first[i];
    if (x === null || x === undefined) out[i] = null;
    else out[i] = rest.length === 0 ? fn(x) : rest.length === 1 ? fn(x, rest[0][i]) : fn(x, ...rest.map((r) => r[i]));
  }
  return out;
}

export const FLAT: Mapper = {
  map: tree_map_flat,
  map_: (fn, first, ...rest) => {
    tree_map_flat(fn, first, ...rest);
    return first;
  },
  mapNone: (fn, first: Tree[], ...rest: Tree[][]) => {
    const out = new Array(first.length);
    for (let i = 0; i < first.length; i++) out[i] = fn(first[i] ?? null, ...rest.map((r) => r[i] ?? null));
    return out;
  },
};

export const mapper = (flat: boolean): Mapper => (flat ? FLAT : TREE);

/** A transform factory with Python's `.flat` and `.impl` variants. */
export function withFlat<A extends unknown[], R>(impl: (flat: boolean, ...args: A) => R): ((...args: A) => R) & { flat: (...args: A) => R; impl: (flat: boolean, ...args: A) => R } {
  const f = (...args: A) => impl(false, ...args);
  return Object.assign(f, { flat: (...args: A) => impl(true, ...args), impl });
}

/** The per-leaf step counter: a 0-dim int64 tensor on the leaf's device. */
export function zeroCount(t: Tensor): Tensor {
  return torch.zeros([1], { dtype: torch.int64, device: t.device }).squeeze_();
}

/** count + 1 for leaves with a gradient (saturating at INT64_MAX), as TorchOpt's inc_count. */
export function inc_count(m: Mapper, updates: Tree, count: Tree): Tree {
  // One native call for all leaves: collect the counts to increment, then place the results.
  const hs: unknown[] = [];
  m.mapNone((c: Tensor, g: Tensor | null) => (g !== null ? hs.push(c._h) : 0), count, updates);
  if (hs.length === 0) return m.mapNone((c: Tensor) => c, count, updates);
  const out = N.inc_count_list(hs) as unknown[];
  let k = 0;
  return m.mapNone((c: Tensor, g: Tensor | null) => (g !== null ? wrap(out[k++] as never) : c), count, updates);
}

/**
 * TorchOpt's bias correction 1 - decay^count (a 0-dim tensor in the default dtype) for
 * each count, computed once per distinct count value within an update: leaves usually
 * share their step count, and these tiny ops were a third of an Adam step.
 */
export function biasCorrections(decay: number): (c: Tensor) => Tensor {
  const cache = new Map<number, Tensor>();
  return (c: Tensor) => {
    const key = c.item();
    let bc = cache.get(key);
    if (bc === undefined || !bc.device.equals(c.device)) {
      bc = torch.pow(decay, c).rsub(1);
      cache.set(key, bc);
    }
    return bc;
  };
}

/** TorchOpt's update_moment: EMA of g (order 1) or g² (order 2); decay 1 accumulates. */
export function update_moment(m: Mapper, updates: Tree, moments: Tree, decay: number, order: 1 | 2, inplace: boolean): Tree {
  let f: (g: Tensor | null, t: Tensor) => Tensor;
  if (inplace) {
    if (order === 2) {
      f = decay !== 1.0 ? (g, t) => (g !== null ? t.mul_(decay).addcmul_(g, g, { value: 1 - decay }) : t) : (g, t) => (g !== null ? t.addcmul_(g, g) : t);
    } else {
      f = decay !== 1.0 ? (g, t) => (g !== null ? t.mul_(decay).add_(g, { alpha: 1 - decay }) : t) : (g, t) => (g !== null ? t.add_(g) : t);
    }
  } else if (order === 2) {
    f = decay !== 1.0 ? (g, t) => (g !== null ? t.mul(decay).addcmul_(g, g, { value: 1 - decay }) : t) : (g, t) => (g !== null ? t.addcmul(g, g) : t);
  } else {
    f = decay !== 1.0 ? (g, t) => (g !== null ? t.mul(decay).add_(g, { alpha: 1 - decay }) : t) : (g, t) => (g !== null ? t.add(g) : t);
  }
  return m.mapNone(f, updates, moments);
}

export function zerosLike(requires_grad: boolean) {
  return (t: Tensor): Tensor => torch.zeros_like(t, { requires_grad });
}

// Hyper-parameter checks shared by the transforms and the aliases (TorchOpt's messages).
export function checkNonNeg(name: string, v: number): void {
  if (!(v >= 0.0)) throw new RangeError(`Invalid ${name} value: ${v}`);
}
export function checkBetas(b1: number, b2: number): void {
  if (!(0.0 <= b1 && b1 < 1.0)) throw new RangeError(`Invalid beta parameter at index 0: ${b1}`);
  if (!(0.0 <= b2 && b2 < 1.0)) throw new RangeError(`Invalid beta parameter at index 1: ${b2}`);
}

/** The params of an update that adds weight decay (they are required there). */
export function decayParams(o: UpdateOpts | undefined): Params {
  const params = o?.params;
  if (params === undefined || params === null) {
    throw new Error('Parameters are required for weight decay. Call `update(updates, state, {params})` instead.');
  }
  return params;
}
