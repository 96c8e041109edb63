// scale_by_adamax: Adam with the infinity norm. The step t is a plain number in state,
// as in TorchOpt.
import { namedtuple } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { checkNonNeg, mapper, update_moment, withFlat, zerosLike } from './utils';
import { checkKeys } from '../kwargs';

export class ScaleByAdamaxState extends namedtuple('ScaleByAdamaxState', ['mu', 'nu', 't']) {}

export const scale_by_adamax = withFlat((flat: boolean, opts: { b1?: number; b2?: number; eps?: number; moment_requires_grad?: boolean } = {}): GradientTransformation => {
  checkKeys('scale_by_adamax', opts, ['b1', 'b2', 'eps', 'moment_requires_grad']);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-6, moment_requires_grad = false } = opts;
  checkNonNeg('epsilon', eps);
  if (!(0.0 <= b1 && b1 < 1.0)) throw new RangeError(`Invalid b1 parameter at index 0: ${b1}`);
  if (!(0.0 <= b2 && b2 < 1.0)) throw new RangeError(`Invalid b2 parameter at index 1: ${b2}`);
  const m = mapper(flat);
  return new GradientTransformation(
    (params) => new ScaleByAdamaxState(m.map(zerosLike(moment_requires_grad), params), m.map(zerosLike(moment_requires_grad), params), 1),
    (updates, state, o) => {
      const inplace = o?.inplace ?? true;
      const s = state as ScaleByAdamaxState;
      const mu = update_moment(m, updates, s.mu, b1, 1, inplace);
      const nu = m.map((n: Tensor, g: Tensor | null) => (g !== null ? torch.maximum(n.mul(b2), g.abs().add_(eps)) : g), s.nu, updates);
      const one_minus_b1_pow_t = 1 - b1 ** s.t;
      updates = m.map((mm: Tensor, n: Tensor | null) => (n !== null ? mm.div(n).div_(one_minus_b1_pow_t) : mm), mu, nu);
      return [updates, new ScaleByAdamaxState(mu, nu, s.t + 1)];
    },
  );
});
