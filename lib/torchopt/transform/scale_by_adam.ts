// scale_by_adam: Adam's moment estimates and rescaling (Kingma & Ba, 2014).
//
// As in TorchOpt, the bias correction is 1 - pow(decay, count) with count a 0-dim int64
// tensor, which libtorch computes in the default float dtype (float32) even for float64
// parameters; we keep that so results match TorchOpt's to the last bit.
import { namedtuple } from '../../pytree';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { biasCorrections, checkBetas, checkNonNeg, inc_count, Mapper, mapper, update_moment, withFlat, zeroCount, zerosLike } from './utils';

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

export const scale_by_adam = withFlat((flat: boolean, opts: AdamScalerOpts = {}): GradientTransformation => {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, eps_root = 0.0, moment_requires_grad = false } = opts;
  checkAdamArgs(b1, b2, eps);
  const m = mapper(flat);
  return new GradientTransformation(adamInit(m, moment_requires_grad), (updates, state, o) => {
    const inplace = o?.inplace ?? true;
    const s = state as ScaleByAdamState;
    const mu = update_moment(m, updates, s.mu, b1, 1, inplace);
    const nu = update_moment(m, updates, s.nu, b2, 2, inplace);
    const count = inc_count(m, updates, s.count);
    const mu_hat = bias_correction(m, mu, b1, count);
    const nu_hat = bias_correction(m, nu, b2, count);
    // In place, mu_hat and nu_hat are fresh tensors we may overwrite; adding eps_root = 0
    // changes nothing after the sqrt (+eps follows), so that pass is skipped.
    const f = inplace
      ? eps_root === 0
        ? (mh: Tensor, vh: Tensor, g: Tensor | null) => (g !== null ? mh.div_(vh.sqrt_().add_(eps)) : g)
        : (mh: Tensor, vh: Tensor, g: Tensor | null) => (g !== null ? mh.div_(vh.add_(eps_root).sqrt_().add_(eps)) : g)
      : (mh: Tensor, vh: Tensor, g: Tensor | null) => (g !== null ? mh.div(vh.add(eps_root).sqrt_().add(eps)) : g);
    updates = m.map(f, mu_hat, nu_hat, updates);
    return [updates, new ScaleByAdamState(mu, nu, count)];
  });
});
