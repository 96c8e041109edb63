// clip_grad_norm: scales updates so that their total norm is at most max_norm
// (torch.nn.utils.clip_grad_norm_'s coefficient, computed without autograd).
import { tree_leaves, tree_map } from '../pytree';
import * as torch from '../torch';
import { Tensor } from '../torch';
import { EmptyState, GradientTransformation } from './base';

export const ClipState = EmptyState;

export function clip_grad_norm(max_norm: number, norm_type: number = 2.0, error_if_nonfinite = false): GradientTransformation {
  return new GradientTransformation(
    () => new EmptyState(),
    (updates, state, opts) => {
      const available = tree_leaves(updates) as Tensor[];
      if (available.length === 0) return [updates, state];
      const device = available[0].device;
      const total = torch.no_grad(() => {
        let t: Tensor;
        if (norm_type === Infinity) {
          const norms = available.map((p) => p.abs().max().to(device));
          t = norms.length === 1 ? norms[0] : torch.stack(norms).max();
        } else {
          t = torch.stack(available.map((p) => p.norm(norm_type).to(device))).norm(norm_type);
        }
        if (error_if_nonfinite && (t.isnan().item() || t.isinf().item())) {
          throw new Error(
            `The total norm of order ${norm_type} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``,
          );
        }
        return t;
      });
      const coef = Math.min(max_norm / (total.item() + 1e-6), 1.0);
      const f = opts?.inplace ?? true ? (g: Tensor) => g.mul_(coef) : (g: Tensor) => g.mul(coef);
      return [tree_map(f, updates), state];
    },
  );
}
