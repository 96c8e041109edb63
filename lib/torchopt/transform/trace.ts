// trace: momentum (torch.optim.SGD's buffer rule, Nesterov optional).
//
// As in TorchOpt, the first update copies the gradient into the trace (no dampening),
// and whether the first call happened is state of the transformation object itself,
// not of its state tree: re-init or recover_state_dict does not reset it.
import { namedtuple } from '../../pytree';
import { Tensor } from '../../torch';
import { GradientTransformation, identity } from '../base';
import { checkNonNeg, mapper, withFlat, zerosLike } from './utils';
import { checkKeys } from '../kwargs';

export class TraceState extends namedtuple('TraceState', ['trace']) {}

export type TraceOpts = { momentum?: number; dampening?: number; nesterov?: boolean; moment_requires_grad?: boolean };

export const trace = withFlat((flat: boolean, opts: TraceOpts = {}): GradientTransformation => {
  checkKeys('trace', opts, ['momentum', 'dampening', 'nesterov', 'moment_requires_grad']);
  const { momentum = 0.9, dampening = 0.0, nesterov = false, moment_requires_grad = false } = opts;
  checkNonNeg('momentum', momentum);
  if (nesterov && (momentum <= 0.0 || dampening !== 0.0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  if (momentum === 0.0) return identity();
  const m = mapper(flat);
  let first_call = true;
  return new GradientTransformation(
    (params) => new TraceState(m.map(zerosLike(moment_requires_grad), params)),
    (updates, state, o) => {
      const inplace = o?.inplace ?? true;
      const s = state as TraceState;
      let new_trace: unknown;
      if (nesterov) {
        if (inplace) {
          new_trace = m.map((t: Tensor, g: Tensor | null) => (g === null ? g : first_call ? t.add_(g) : t.mul_(momentum).add_(g)), s.trace, updates);
          m.map_((t: Tensor, g: Tensor | null) => (g !== null ? g.add_(t, { alpha: momentum }) : g), new_trace, updates);
        } else {
          new_trace = m.map((t: Tensor, g: Tensor | null) => (g === null ? g : first_call ? t.add(g) : t.mul(momentum).add_(g)), s.trace, updates);
          updates = m.map((t: Tensor, g: Tensor | null) => (g !== null ? g.add(t, { alpha: momentum }) : g), new_trace, updates);
        }
      } else if (inplace) {
        new_trace = m.map(
          (t: Tensor, g: Tensor | null) => (g === null ? g : first_call ? t.add_(g) : t.mul_(momentum).add_(g, { alpha: 1.0 - dampening })),
          s.trace,
          updates,
        );
        m.map_((t: Tensor, g: Tensor | null) => (g !== null ? g.copy_(t) : g), new_trace, updates);
      } else {
        new_trace = m.map(
          (t: Tensor, g: Tensor | null) => (g === null ? g : first_call ? t.add(g) : t.mul(momentum).add_(g, { alpha: 1.0 - dampening })),
          s.trace,
          updates,
        );
        updates = m.map((t: Tensor) => t.clone(), new_trace);
      }
      first_call = false;
      return [updates, new TraceState(new_trace)];
    },
  );
});
