// torch.autograd.backward and torch.autograd.grad.
import { N } from '../../native';
import { Tensor, wrapList } from '../tensor';
import { describe, handles, kw } from '../ops/util';
import { zeros_like } from '../creation';

export type GradOpts = {
  grad_outputs?: Tensor | readonly (Tensor | null)[] | null;
  retain_graph?: boolean | null;
  create_graph?: boolean;
  allow_unused?: boolean;
  /** Python 2.x: materialize unused inputs' grads as zeros instead of null. */
  materialize_grads?: boolean;
};

function list(x: Tensor | readonly Tensor[], what: string): Tensor[] {
  if (x instanceof Tensor) return [x];
  if (!Array.isArray(x)) throw new TypeError(`${what} must be a Tensor or an array of Tensors, got ${describe(x)}`);
  return x as Tensor[];
}

function optHandles(x: Tensor | readonly (Tensor | null)[] | null | undefined): unknown[] | null {
  if (x === undefined || x === null) return null;
  if (x instanceof Tensor) return [x._h];
  return x.map((t) => (t === null || t === undefined ? null : t._h));
}

export type BackwardOpts = { retain_graph?: boolean | null; create_graph?: boolean; inputs?: Tensor | readonly Tensor[] | null };
const BACKWARD_KEYS = ['retain_graph', 'create_graph', 'inputs'];

/** torch.autograd.backward(tensors, grad_tensors?, {retain_graph, create_graph, inputs}). */
export function backward(
  tensors: Tensor | readonly Tensor[],
  grad_tensors?: Tensor | readonly (Tensor | null)[] | null | (BackwardOpts & { grad_tensors?: Tensor | readonly (Tensor | null)[] | null }),
  opts?: BackwardOpts,
): void {
  // Python's keyword form: backward(loss, {grad_tensors, retain_graph, ...}).
  if (grad_tensors !== null && grad_tensors !== undefined && !(grad_tensors instanceof Tensor) && !Array.isArray(grad_tensors)) {
    if (opts !== undefined) throw new TypeError('backward(): the options were given twice');
    const { grad_tensors: g, ...rest } = grad_tensors as BackwardOpts & { grad_tensors?: Tensor | readonly (Tensor | null)[] | null };
    return backward(tensors, g ?? null, rest);
  }
  kw('backward', opts, BACKWARD_KEYS);
  const ts = list(tensors, 'tensors');
  const inputs = opts?.inputs === undefined || opts.inputs === null ? null : handles(list(opts.inputs, 'inputs'));
  N.backward(handles(ts), optHandles(grad_tensors), opts?.retain_graph ?? null, opts?.create_graph ?? false, inputs);
}

/**
 * torch.autograd.grad(outputs, inputs, {grad_outputs, retain_graph, create_graph,
 * allow_unused}): the gradients of outputs with respect to inputs, as an array
 * (null for unused inputs when allow_unused).
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], opts?: GradOpts): (Tensor | null)[] {
  // A misspelt create_graph must not silently give first-order gradients.
  kw('grad', opts, ['grad_outputs', 'retain_graph', 'create_graph', 'allow_unused', 'materialize_grads']);
  const outs = list(outputs, 'outputs');
  const ins = list(inputs, 'inputs');
  const materialize = opts?.materialize_grads ?? false;
  const res = wrapList(
    N.grad(
      handles(outs),
      handles(ins),
      optHandles(opts?.grad_outputs),
      opts?.retain_graph ?? null,
      opts?.create_graph ?? false,
      (opts?.allow_unused ?? false) || materialize,
    ),
  ) as (Tensor | null)[];
  if (materialize) {
    for (let i = 0; i < res.length; i++) if (res[i] === null) res[i] = zeros_like(ins[i]);
  }
  return res;
}
