// scale_by_adadelta (Zeiler, 2012).
import { namedtuple } from '../../pytree';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { checkNonNeg, mapper, update_moment, withFlat, zerosLike } from './utils';
import { checkKeys } from '../kwargs';

export class ScaleByAdadeltaState extends namedtuple('ScaleByAdadeltaState', ['mu', 'nu']) {}

export const scale_by_adadelta = withFlat((flat: boolean, opts: { rho?: number; eps?: number; moment_requires_grad?: boolean } = {}): GradientTransformation => {
  checkKeys('scale_by_adadelta', opts, ['rho', 'eps', 'moment_requires_grad']);
  const { rho = 0.9, eps = 1e-6, moment_requires_grad = false } = opts;
  checkNonNeg('epsilon', eps);
  if (!(0.0 <= rho && rho < 1.0)) throw new RangeError(`Invalid rho parameter at index 0: ${rho}`);
  const m = mapper(flat);
  return new GradientTransformation(
    (params) => new ScaleByAdadeltaState(m.map(zerosLike(moment_requires_grad), params), m.map(zerosLike(moment_requires_grad), params)),
    (updates, state, o) => {
      const inplace = o?.inplace ?? true;
      const s = state as ScaleByAdadeltaState;
      const mu = update_moment(m, updates, s.mu, rho, 2, inplace);
      const f = inplace
        ? (mm: Tensor, v: Tensor, g: Tensor | null) => (g !== null ? g.mul_(v.add(eps).div_(mm.add(eps)).sqrt_()) : g)
        : (mm: Tensor, v: Tensor, g: Tensor | null) => (g !== null ? g.mul(v.add(eps).div_(mm.add(eps)).sqrt_()) : g);
      updates = m.map(f, mu, s.nu, updates);
      const nu = update_moment(m, updates, s.nu, rho, 2, inplace);
      return [updates, new ScaleByAdadeltaState(mu, nu)];
    },
  );
});
