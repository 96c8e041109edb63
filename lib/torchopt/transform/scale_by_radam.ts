// scale_by_radam: rectified Adam (Liu et al., 2019). The branch on rho is decided per
// step in JS from the plain-number step t, as in TorchOpt.
import { namedtuple } from '../../pytree';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { checkNonNeg, mapper, update_moment, withFlat, zerosLike } from './utils';
import { checkKeys } from '../kwargs';

export class ScaleByRAdamState extends namedtuple('ScaleByRAdamState', ['mu', 'nu', 't']) {}

export const scale_by_radam = withFlat((flat: boolean, opts: { b1?: number; b2?: number; eps?: number; moment_requires_grad?: boolean } = {}): GradientTransformation => {
  checkKeys('scale_by_radam', opts, ['b1', 'b2', 'eps', 'moment_requires_grad']);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-6, moment_requires_grad = false } = opts;
  checkNonNeg('epsilon', eps);
  if (!(0.0 <= b1 && b1 < 1.0)) throw new RangeError(`Invalid b1 parameter at index 0: ${b1}`);
  if (!(0.0 <= b2 && b2 < 1.0)) throw new RangeError(`Invalid b2 parameter at index 1: ${b2}`);
  const m = mapper(flat);
  return new GradientTransformation(
    (params) => new ScaleByRAdamState(m.map(zerosLike(moment_requires_grad), params), m.map(zerosLike(moment_requires_grad), params), 1),
    (updates, state, o) => {
      const inplace = o?.inplace ?? true;
      const s = state as ScaleByRAdamState;
      const mu = update_moment(m, updates, s.mu, b1, 1, inplace);
      const nu = update_moment(m, updates, s.nu, b2, 2, inplace);
      const t = s.t as number;
      const rho_inf = 2 / (1 - b2) - 1;
      const one_minus_b1_pow_t = 1 - b1 ** t;
      const one_minus_b2_pow_t = 1 - b2 ** t;
      const rho = rho_inf - (2 * t * b2 ** t) / one_minus_b2_pow_t;
      let f: (mm: Tensor, v: Tensor) => Tensor;
      if (rho > 5) {
        const numerator = Math.sqrt((one_minus_b2_pow_t * (rho - 4) * (rho - 2) * rho_inf) / ((rho_inf - 4) * (rho_inf - 2) * rho));
        f = inplace
          ? (mm, v) => mm.mul(numerator / one_minus_b1_pow_t).div_(v.sqrt().add_(eps))
          : (mm, v) => mm.mul(numerator / one_minus_b1_pow_t).div(v.sqrt().add(eps));
      } else f = (mm) => mm.div(one_minus_b1_pow_t);
      updates = m.map(f, mu, nu);
      return [updates, new ScaleByRAdamState(mu, nu, t + 1)];
    },
  );
});
