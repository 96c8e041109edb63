// scale_by_rms: RMSProp's rescaling by the root mean square of past gradients.
import { namedtuple } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { checkNonNeg, mapper, update_moment, withFlat } from './utils';
import { checkKeys } from '../kwargs';

export class ScaleByRmsState extends namedtuple('ScaleByRmsState', ['nu']) {}

export const scale_by_rms = withFlat((flat: boolean, opts: { alpha?: number; eps?: number; initial_scale?: number } = {}): GradientTransformation => {
  checkKeys('scale_by_rms', opts, ['alpha', 'eps', 'initial_scale']);
  const { alpha = 0.9, eps = 1e-8, initial_scale = 0.0 } = opts;
  checkNonNeg('alpha', alpha);
  checkNonNeg('epsilon', eps);
  const m = mapper(flat);
  return new GradientTransformation(
    (params) => new ScaleByRmsState(m.map((t: Tensor) => torch.full_like(t, initial_scale), params)),
    (updates, state, o) => {
      const inplace = o?.inplace ?? true;
      const nu = update_moment(m, updates, (state as ScaleByRmsState).nu, alpha, 2, inplace);
      if (inplace) m.map_((n: Tensor, g: Tensor | null) => (g !== null ? g.div_(n.sqrt().add_(eps)) : g), nu, updates);
      else updates = m.map((n: Tensor, g: Tensor | null) => (g !== null ? g.div(n.sqrt().add(eps)) : g), nu, updates);
      return [updates, new ScaleByRmsState(nu)];
    },
  );
});
