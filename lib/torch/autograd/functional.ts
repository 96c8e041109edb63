// torch.autograd.functional: vjp, jvp, jacobian, hessian, vhp, hvp (reverse mode).
import { Tensor } from '../tensor';
import { stack } from '../ops/shape';
import { zeros_like } from '../creation';
import { grad } from './grad';
import { enable_grad } from './grad_mode';

type Inputs = Tensor | Tensor[];
const asList = (x: Inputs): Tensor[] => (x instanceof Tensor ? [x] : x);
const prep = (xs: Tensor[]): Tensor[] => xs.map((x) => x.detach().requires_grad_(true));

/** vjp(func, inputs, v): [func(inputs), v^T J]. */
export function vjp(func: (...x: Tensor[]) => Tensor | Tensor[], inputs: Inputs, v?: Inputs | null, opts?: { create_graph?: boolean }): [Tensor | Tensor[], Tensor | Tensor[]] {
  const single = inputs instanceof Tensor;
  const xs = opts?.create_graph ? asList(inputs) : prep(asList(inputs));
  return enable_grad(() => {
    const out = func(...xs);
    const outs = asList(out);
    const vs = v === undefined || v === null ? outs.map((o) => zeros_like(o).add_(1)) : asList(v);
    const g = grad(outs, xs, { grad_outputs: vs, create_graph: opts?.create_graph ?? false, allow_unused: true }).map((gi, i) => gi ?? zeros_like(xs[i]));
    return [out, single ? g[0] : g];
  });
}

/** jacobian(func, inputs): d func / d inputs, shape out.shape + in.shape (one input, one output),
 * or nested arrays [output][input] otherwise. */
export function jacobian(func: (...x: Tensor[]) => Tensor | Tensor[], inputs: Inputs, opts?: { create_graph?: boolean }): Tensor | Tensor[] | Tensor[][] {
  const singleIn = inputs instanceof Tensor;
  const xs = opts?.create_graph ? asList(inputs) : prep(asList(inputs));
  return enable_grad(() => {
    const out = func(...xs);
    const singleOut = out instanceof Tensor;
    const outs = asList(out);
    const jac: Tensor[][] = outs.map((o) => {
      const flat = o.reshape(-1);
      const rows: Tensor[][] = xs.map(() => []);
      for (let k = 0; k < flat.numel(); k++) {
        const g = grad([flat.get(k)], xs, { retain_graph: true, create_graph: opts?.create_graph ?? false, allow_unused: true });
        g.forEach((gi, i) => rows[i].push(gi ?? zeros_like(xs[i])));
      }
      return rows.map((r, i) => (r.length ? stack(r) : zeros_like(xs[i]).reshape(0, ...xs[i].shape)).reshape([...o.shape, ...xs[i].shape]));
    });
    if (singleOut && singleIn) return jac[0][0];
    if (singleOut) return jac[0];
    if (singleIn) return jac.map((r) => r[0]);
    return jac;
  });
}

/** hessian(func, inputs) for a scalar func of one tensor. */
export function hessian(func: (x: Tensor) => Tensor, inputs: Tensor, opts?: { create_graph?: boolean }): Tensor {
  return jacobian((x: Tensor) => {
    const [g] = grad(func(x), x, { create_graph: true });
    return g!;
  }, inputs, opts) as Tensor;
}

/** vhp(func, inputs, v): [func(inputs), v^T H]. hvp is the same for symmetric H. */
export function vhp(func: (x: Tensor) => Tensor, inputs: Tensor, v: Tensor): [Tensor, Tensor] {
  const x = inputs.detach().requires_grad_(true);
  return enable_grad(() => {
    const out = func(x);
    const [g] = grad(out, x, { create_graph: true });
    const [hv] = grad(g!, x, { grad_outputs: v, allow_unused: true });
    return [out.detach(), hv ?? zeros_like(x)];
  });
}
export const hvp = vhp;

/** jvp(func, inputs, v): [func(inputs), J v] by the double-vjp trick. */
export function jvp(func: (...x: Tensor[]) => Tensor, inputs: Inputs, v: Inputs): [Tensor, Tensor] {
  const xs = prep(asList(inputs));
  const vs = asList(v);
  return enable_grad(() => {
    const out = func(...xs);
    const u = zeros_like(out).requires_grad_(true);
    const g = grad(out, xs, { grad_outputs: u, create_graph: true, allow_unused: true });
    const used = g.map((gi, i) => [gi, vs[i]] as const).filter(([gi]) => gi !== null && gi.requires_grad);
    if (used.length === 0) return [out.detach(), zeros_like(out)];
    const [jv] = grad(used.map(([gi]) => gi!), [u], { grad_outputs: used.map(([, vi]) => vi), allow_unused: true });
    return [out.detach(), jv ?? zeros_like(out)];
  });
}
