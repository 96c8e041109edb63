// scale_by_stddev: centered RMSProp (rescaling by the running standard deviation).
import { namedtuple } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { checkNonNeg, mapper, update_moment, withFlat } from './utils';
import { checkKeys } from '../kwargs';

export class ScaleByRStdDevState extends namedtuple('ScaleByRStdDevState', ['mu', 'nu']) {}

export const scale_by_stddev = withFlat((flat: boolean, opts: { alpha?: number; eps?: number; initial_scale?: number } = {}): GradientTransformation => {
  checkKeys('scale_by_stddev', opts, ['alpha', 'eps', 'initial_scale']);
  const { alpha = 0.9, eps = 1e-8, initial_scale = 0.0 } = opts;
  checkNonNeg('alpha', alpha);
  checkNonNeg('epsilon', eps);
  const m = mapper(flat);
  return new GradientTransformation(
    (params) => new ScaleByRStdDevState(m.map((t: Tensor) => torch.zeros_like(t), params), m.map((t: Tensor) => torch.full_like(t, initial_scale), params)),
    (updates, state, o) => {
      const inplace = o?.inplace ?? true;
      const s = state as ScaleByRStdDevState;
      const mu = update_moment(m, updates, s.mu, alpha, 1, inplace);
      const nu = update_moment(m, updates, s.nu, alpha, 2, inplace);
      if (inplace) {
        m.map_((mm: Tensor, n: Tensor, g: Tensor | null) => (g !== null ? g.div_(n.addcmul(mm, mm, { value: -1.0 }).sqrt_().add(eps)) : g), mu, nu, updates);
      } else {
        updates = m.map((mm: Tensor, n: Tensor, g: Tensor | null) => (g !== null ? g.div(n.addcmul(mm, mm, { value: -1.0 }).sqrt_().add(eps)) : g), mu, nu, updates);
      }
      return [updates, new ScaleByRStdDevState(mu, nu)];
    },
  );
});
