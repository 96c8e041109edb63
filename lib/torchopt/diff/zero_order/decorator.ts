// zero_order: evolution-strategies gradient estimates for functions autograd cannot see
// through (non-differentiable, black-box).
//
//   const f = zero_order(torch.distributions.Normal(0, 1), {method: 'antithetic', num_samples: 100, sigma: 0.1})(
//     (theta, data) => loss(theta, data));   // a scalar tensor
//
// With noise u_k from the distribution (shaped like each differentiated argument) and g
// the incoming gradient, the backward returns g · mean_k of:
//   naive:      f(θ + σu) / σ · u
//   forward:    (f(θ + σu) - f(θ)) / σ · u
//   antithetic: (f(θ + σu) - f(θ - σu)) / (2σ) · u
// Python TorchOpt's 'forward' code chains the differences across samples and multiplies
// by σ instead of dividing; we implement the documented estimator above.
import { tree_flatten } from '../../../pytree';
import { Tensor } from '../../../torch';
import { Function, FunctionCtx } from '../../../torch/autograd';
import { checkKeys } from '../../kwargs';

export type Method = 'naive' | 'forward' | 'antithetic';
/** Anything with sample(shape) (torch.distributions included), or a function of a shape. */
export type Samplable = { sample(sample_shape?: number[]): Tensor | number } | ((sample_shape: number[]) => Tensor | number);
export type ZeroOrderOpts = { method?: Method; argnums?: number | number[]; num_samples?: number; sigma?: number };

type ScalarFn = (...args: any[]) => Tensor; // eslint-disable-line @typescript-eslint/no-explicit-any

export function zero_order(distribution: Samplable, opts: ZeroOrderOpts = {}) {
  checkKeys('zero_order', opts, ['method', 'argnums', 'num_samples', 'sigma']);
  const method = opts.method ?? 'naive';
  if (!['naive', 'forward', 'antithetic'].includes(method)) throw new RangeError(`zero_order: method must be 'naive', 'forward' or 'antithetic', got '${method}'`);
  const argnums = typeof opts.argnums === 'number' ? [opts.argnums] : (opts.argnums ?? [0]);
  const num_samples = opts.num_samples ?? 1;
  const sigma = opts.sigma ?? 1.0;
  let sample: (shape: number[]) => Tensor | number;
  if (typeof distribution === 'function') sample = distribution;
  else if (distribution !== null && typeof distribution === 'object' && typeof distribution.sample === 'function') sample = (s) => distribution.sample(s);
  else throw new TypeError('`distribution` must be a callable or an instance of `Samplable`.');

  return <F extends ScalarFn>(fn: F): F => {
    const apply = function (...args: unknown[]): Tensor {
      const diff = argnums.map((i) => args[i]);
      const [flatParams, spec] = tree_flatten(diff);
      const params = flatParams as Tensor[];

      const callWith = (flatNoisy: Tensor[]): Tensor => {
        const noisy = spec.unflatten(flatNoisy) as unknown[];
        const a = [...args];
        argnums.forEach((idx, k) => (a[idx] = noisy[k]));
        return fn(...a);
      };

      class ZeroOrder extends Function {
        static override forward(ctx: FunctionCtx, ..._params: Tensor[]): Tensor {
          const out = fn(...args);
          if (!(out instanceof Tensor)) throw new TypeError('`output` must be a tensor.');
          if (out.dim() !== 0) throw new RangeError('`output` must be a scalar tensor.');
          ctx.output = out.detach();
          return out;
        }
        static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | number)[] {
          const base = ctx.output as Tensor;
          const grads: (Tensor | number)[] = params.map(() => 0.0);
          for (let k = 0; k < num_samples; k++) {
            const noises = params.map((p) => sample(p.shape));
            const perturb = (sign: 1 | -1) => callWith(params.map((p, i) => p.detach().add(noises[i] as Tensor, { alpha: sign * sigma })));
            let w: Tensor;
            if (method === 'naive') w = g.mul(perturb(1)).mul_(1 / sigma);
            else if (method === 'forward') w = g.mul(perturb(1).sub(base)).mul_(1 / sigma);
            else w = g.mul(perturb(1).sub(perturb(-1))).mul_(0.5 / sigma);
            noises.forEach((n, i) => {
              const term = w.mul(n as Tensor);
              grads[i] = typeof grads[i] === 'number' ? term.add(grads[i] as number) : (grads[i] as Tensor).add(term);
            });
          }
          return grads.map((x) => (x instanceof Tensor ? x.div(num_samples) : x / num_samples));
        }
      }
      return ZeroOrder.apply(...params) as Tensor;
    };
    Object.defineProperty(apply, 'name', { value: fn.name });
    return apply as F;
  };
}

