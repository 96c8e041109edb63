// scale_by_rss: AdaGrad's rescaling by the root of the sum of squared gradients.
import { namedtuple } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { GradientTransformation } from '../base';
import { mapper, update_moment, withFlat } from './utils';
import { checkKeys } from '../kwargs';

export class ScaleByRssState extends namedtuple('ScaleByRssState', ['sum_of_squares']) {}

export const scale_by_rss = withFlat((flat: boolean, opts: { initial_accumulator_value?: number; eps?: number } = {}): GradientTransformation => {
  checkKeys('scale_by_rss', opts, ['initial_accumulator_value', 'eps']);
  const { initial_accumulator_value = 0.0, eps = 1e-10 } = opts;
  const m = mapper(flat);
  return new GradientTransformation(
    (params) => new ScaleByRssState(m.map((t: Tensor) => torch.full_like(t, initial_accumulator_value), params)),
    (updates, state, o) => {
      const inplace = o?.inplace ?? true;
      const sos = update_moment(m, updates, (state as ScaleByRssState).sum_of_squares, 1.0, 2, inplace);
      const f = inplace
        ? (s: Tensor, g: Tensor | null) => (g !== null ? torch.where(s.gt(0.0), g.div_(s.sqrt().add_(eps)), 0.0) : g)
        : (s: Tensor, g: Tensor | null) => (g !== null ? torch.where(s.gt(0.0), g.div(s.sqrt().add(eps)), 0.0) : g);
      updates = m.map(f, sos, updates);
      return [updates, new ScaleByRssState(sos)];
    },
  );
});
