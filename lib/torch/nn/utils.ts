// torch.nn.utils: gradient clipping and parameter vectors.
import { Tensor } from '../tensor';
import { no_grad } from '../autograd/grad_mode';
import { stack, cat } from '../ops/shape';
import { tensor } from '../creation';
import { functional_call } from '../func';

/** Python's clip_grad_norm_: returns the total norm; scales grads in place. */
export function clip_grad_norm_(parameters: Tensor | Iterable<Tensor>, max_norm: number, norm_type: number = 2, error_if_nonfinite = false): Tensor {
  const params = parameters instanceof Tensor ? [parameters] : [...parameters];
  const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return tensor(0.0);
  return no_grad(() => {
    const total =
      norm_type === Infinity
        ? (() => {
            const norms = grads.map((g) => g.detach().abs().max());
            return norms.length === 1 ? norms[0] : stack(norms).max();
          })()
        : stack(grads.map((g) => g.detach().norm(norm_type))).norm(norm_type);
    if (error_if_nonfinite && (total.isnan().item() || total.isinf().item())) {
      throw new Error(`The total norm of order ${norm_type} for gradients from \`parameters\` is non-finite, so it cannot be clipped.`);
    }
    const coef = total.add(1e-6).rdiv(max_norm).clamp(null, 1.0);
    for (const g of grads) g.detach().mul_(coef.to(g.device));
    return total;
  });
}

export function clip_grad_value_(parameters: Tensor | Iterable<Tensor>, clip_value: number): void {
  const params = parameters instanceof Tensor ? [parameters] : [...parameters];
  no_grad(() => {
    for (const p of params) if (p.grad !== null) p.grad.clamp_(-clip_value, clip_value);
  });
}

export function parameters_to_vector(parameters: Iterable<Tensor>): Tensor {
  return cat([...parameters].map((p) => p.reshape(-1)));
}

export function vector_to_parameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  let offset = 0;
  no_grad(() => {
    for (const p of parameters) {
      const n = p.numel();
      p.copy_(vec.narrow(0, offset, n).view_as(p));
      offset += n;
    }
  });
}

/** torch.nn.utils.stateless (torch 1.13's home of functional_call; see torch.func). */
export const stateless = { functional_call };
