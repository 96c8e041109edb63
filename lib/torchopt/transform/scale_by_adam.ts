// scale_by_adam: Adam's moment estimates and rescaling (Kingma & Ba, 2014).
//
// As in TorchOpt, the bias correction is 1 - pow(decay, count) with count a 0-dim int64
// tensor, which libtorch computes in the default float dtype (float32) even for float64
// parameters; we keep that so results match TorchOpt's to the last bit.
import { N } from '../../native';
import { namedtuple, NONE_IS_LEAF, tree_flatten, tree_leaves } from '../../pytree';
import { Tensor } from '../../torch';
import { wrap } from '../../torch/tensor';
import { GradientTransformation } from '../base';
import { scaleInPlace, scaleOutOfPlace } from './scale';
import { biasCorrections, checkBetas, checkNonNeg, inc_count, Mapper, mapper, update_moment, withFlat, zeroCount, zerosLike } from './utils';
import { ADAM_SCALER_KEYS, checkKeys } from '../kwargs';

export class ScaleByAdamState extends namedtuple('ScaleByAdamState', ['mu', 'nu', 'count']) {}

export type AdamScalerOpts = { b1?: number; b2?: number; eps?: number; eps_root?: number; moment_requires_grad?: boolean };

export function checkAdamArgs(b1: number, b2: number, eps: number): void {
  checkNonNeg('epsilon', eps);
  checkBetas(b1, b2);
}

export function bias_correction(m: Mapper, moment: unknown, decay: number, count: unknown): unknown {
  const bc = biasCorrections(decay);
  return m.map((t: Tensor, c: Tensor) => t.div(bc(c)), moment, count);
}

export function adamInit(m: Mapper, moment_requires_grad: boolean) {
  return (params: unknown) => new ScaleByAdamState(m.map(zerosLike(moment_requires_grad), params), m.map(zerosLike(moment_requires_grad), params), m.map(zeroCount, params));
}

type LeafLists = { g: (Tensor | null)[]; mu: Tensor[]; nu: Tensor[]; count: Tensor[]; back: (xs: (Tensor | null)[]) => unknown };

type Gathered = { g: Tensor[]; mu: Tensor[]; nu: Tensor[]; bc1: Tensor[]; bc2: Tensor[]; idx: number[] };

/** The leaves with a gradient, and their bias corrections; null where a moment is missing. */
function gather(updates: (Tensor | null)[], mu: Tensor[], nu: Tensor[], count: Tensor[], b1: number, b2: number): Gathered | null {
  const bc1 = biasCorrections(b1), bc2 = biasCorrections(b2);
  const l: Gathered = { g: [], mu: [], nu: [], bc1: [], bc2: [], idx: [] };
  for (let i = 0; i < updates.length; i++) {
    const u = updates[i];
    if (u === null || u === undefined) continue;
    if (!mu[i] || !nu[i]) return null;
    l.idx.push(i), l.g.push(u), l.mu.push(mu[i]), l.nu.push(nu[i]), l.bc1.push(bc1(count[i])), l.bc2.push(bc2(count[i]));
  }
  return l.idx.length === 0 ? null : l;
}

const handles = (ts: Tensor[]) => ts.map((t) => t._h);

/** Results for the gathered leaves, placed back among the others (`rest`). */
function scatter(l: Gathered, out: unknown[], rest: (Tensor | null)[]): (Tensor | null)[] {
  const res = rest.slice();
  for (let k = 0; k < l.idx.length; k++) res[l.idx[k]] = wrap(out[k] as never);
  return res;
}

/**
 * The flat in-place update as one native pass (adam_exact.cpp): the same bits as the op
 * sequence below, which it replaces where libtorch's rounding is reproduced (CPU,
 * float32/float64, nothing for autograd to record). Returns null where it declines.
 */
function exactUpdate(updates: (Tensor | null)[], mu: Tensor[], nu: Tensor[], count: Tensor[], b1: number, b2: number, eps: number, eps_root: number, scale?: number): (Tensor | null)[] | null {
  const l = gather(updates, mu, nu, count, b1, b2);
  if (l === null) return null;
  const out = N.adam_exact_(handles(l.g), handles(l.mu), handles(l.nu), handles(l.bc1), handles(l.bc2), b1, b2, eps, eps_root, scale) as unknown[];
  return out.length === 0 ? null : scatter(l, out, new Array(updates.length).fill(null));
}

/**
 * The same out of place, differentiable (MetaAdam's update): new moments and updates,
 * and autograd nodes whose gradients are the op sequence's to the bit. Null where it
 * declines (then the op sequence runs).
 */
function exactDiffUpdate(updates: (Tensor | null)[], mu: Tensor[], nu: Tensor[], count: Tensor[], b1: number, b2: number, eps: number, eps_root: number, scale?: number): [(Tensor | null)[], Tensor[], Tensor[]] | null {
  const l = gather(updates, mu, nu, count, b1, b2);
  if (l === null) return null;
  const [m1, v1, u] = N.adam_exact(handles(l.g), handles(l.mu), handles(l.nu), handles(l.bc1), handles(l.bc2), b1, b2, eps, eps_root, scale) as unknown[][];
  if (u.length === 0) return null;
  return [scatter(l, u, new Array(updates.length).fill(null)), scatter(l, m1, mu) as Tensor[], scatter(l, v1, nu) as Tensor[]];
}

export const scale_by_adam = withFlat((flat: boolean, opts: AdamScalerOpts = {}): GradientTransformation => {
  checkKeys('scale_by_adam', opts, ADAM_SCALER_KEYS);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, eps_root = 0.0, moment_requires_grad = false } = opts;
  checkAdamArgs(b1, b2, eps);
  const m = mapper(flat);
  // The op sequence (TorchOpt's): mu and nu in place or new, then the update.
  const opSequence = (updates: unknown, s: ScaleByAdamState, inplace: boolean, count: unknown): [unknown, ScaleByAdamState] => {
    const mu = update_moment(m, updates, s.mu, b1, 1, inplace);
    const nu = update_moment(m, updates, s.nu, b2, 2, inplace);
    const mu_hat = bias_correction(m, mu, b1, count);
    const nu_hat = bias_correction(m, nu, b2, count);
    // In place, mu_hat and nu_hat are fresh tensors we may overwrite; adding eps_root = 0
    // changes nothing after the sqrt (+eps follows), so that pass is skipped.
    const f = inplace
      ? eps_root === 0
        ? (mh: Tensor, vh: Tensor, g: Tensor | null) => (g !== null ? mh.div_(vh.sqrt_().add_(eps)) : g)
        : (mh: Tensor, vh: Tensor, g: Tensor | null) => (g !== null ? mh.div_(vh.add_(eps_root).sqrt_().add_(eps)) : g)
      : (mh: Tensor, vh: Tensor, g: Tensor | null) => (g !== null ? mh.div(vh.add(eps_root).sqrt_().add(eps)) : g);
    return [m.map(f, mu_hat, nu_hat, updates), new ScaleByAdamState(mu, nu, count)];
  };
  // The native passes take leaf lists: the tree path flattens the four trees (same
  // structure, nulls as leaves) around them.
  const lists = (updates: unknown, s: ScaleByAdamState, count: unknown): LeafLists | null => {
    if (flat) return { g: updates as (Tensor | null)[], mu: s.mu as Tensor[], nu: s.nu as Tensor[], count: count as Tensor[], back: (xs) => xs };
    const [g, spec] = tree_flatten(updates, NONE_IS_LEAF);
    const [mu, muSpec] = tree_flatten(s.mu, NONE_IS_LEAF) as [Tensor[], typeof spec];
    const leaves = (t: unknown) => tree_leaves(t, NONE_IS_LEAF) as Tensor[];
    const nu = leaves(s.nu), cs = leaves(count);
    // Trees that do not match go to the op sequence, which raises tree_map's error.
    if (!muSpec.equals(spec) || nu.length !== g.length || cs.length !== g.length) return null;
    return { g: g as (Tensor | null)[], mu, nu, count: cs, back: (xs) => spec.unflatten(xs) };
  };
  // In place: one native pass (with a following scale folded in, when given).
  const inPlace = (updates: unknown, s: ScaleByAdamState, step?: number): [unknown, ScaleByAdamState] => {
    const count = inc_count(m, updates, s.count);
    const l = lists(updates, s, count);
    const u = l && exactUpdate(l.g, l.mu, l.nu, l.count, b1, b2, eps, eps_root, step);
    if (u) return [l!.back(u), new ScaleByAdamState(s.mu, s.nu, count)];
    const [ops, ns] = opSequence(updates, s, true, count);
    return [step === undefined ? ops : scaleInPlace(flat, ops, step), ns];
  };
  // Out of place (MetaAdam): one differentiable native pass, a following scale folded in.
  const outOfPlace = (updates: unknown, s: ScaleByAdamState, step?: number): [unknown, ScaleByAdamState] => {
    const count = inc_count(m, updates, s.count);
    const l = lists(updates, s, count);
    const r = l && exactDiffUpdate(l.g, l.mu, l.nu, l.count, b1, b2, eps, eps_root, step);
    if (r) return [l!.back(r[0]), new ScaleByAdamState(l!.back(r[1]), l!.back(r[2]), count)];
    const [ops, ns] = opSequence(updates, s, false, count);
    return [step === undefined ? ops : scaleOutOfPlace(flat, ops, step), ns];
  };
  const t = new GradientTransformation(adamInit(m, moment_requires_grad), (updates, state, o) => {
    const s = state as ScaleByAdamState;
    return (o?.inplace ?? true) ? inPlace(updates, s) : outOfPlace(updates, s);
  });
  t.updateScaled = (updates, state, o, step) => ((o?.inplace ?? true) ? inPlace : outOfPlace)(updates, state as ScaleByAdamState, step);
  t.scalesOutOfPlace = true;
  return t;
});
