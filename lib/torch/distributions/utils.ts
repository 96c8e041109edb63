// Helpers shared by the distributions (torch.distributions.utils).
import { Tensor } from '../tensor';
import { tensor, empty, get_default_dtype } from '../creation';
import { broadcast_tensors } from '../ops/shape';
import { dtype } from '../dtype';
import { device } from '../device';
import { finfo, pyFloatRepr } from '../extras';
import { softmax } from '../nn/functional';

export type TensorOrNumber = Tensor | number;

export const euler_constant = 0.5772156649015329;

/**
 * Python's broadcast_all: numbers become tensors (dtype and device of the first tensor
 * argument, else the default dtype), then everything is broadcast together.
 */
export function broadcast_all(...values: TensorOrNumber[]): Tensor[] {
  for (const v of values) {
    if (!(v instanceof Tensor) && typeof v !== 'number') {
      throw new RangeError('Input arguments must all be instances of numbers.Number, torch.Tensor or objects implementing __torch_function__.');
    }
  }
  if (!values.every((v) => v instanceof Tensor)) {
    const first = values.find((v): v is Tensor => v instanceof Tensor);
    const opts: { dtype: dtype; device?: device } = first ? { dtype: first.dtype, device: first.device } : { dtype: get_default_dtype() };
    return broadcast_tensors(...values.map((v) => (v instanceof Tensor ? v : tensor(v, opts))));
  }
  return broadcast_tensors(...(values as Tensor[]));
}

export function _standard_normal(shape: readonly number[], opts: { dtype: dtype; device: device }): Tensor {
  return empty(shape as number[], opts).normal_();
}

export function _sum_rightmost(value: Tensor, dim: number): Tensor {
  if (dim === 0) return value;
  return value.reshape([...value.shape.slice(0, value.dim() - dim), -1]).sum(-1);
}

export function logits_to_probs(logits: Tensor, is_binary = false): Tensor {
  if (is_binary) return logits.sigmoid();
  return softmax(logits, -1);
}

export function clamp_probs(probs: Tensor): Tensor {
  const eps = new finfo(probs.dtype).eps;
  return probs.clamp(eps, 1 - eps);
}

export function probs_to_logits(probs: Tensor, is_binary = false): Tensor {
  const ps = clamp_probs(probs);
  if (is_binary) return ps.log().sub(ps.neg().log1p());
  return ps.log();
}

/** Python's repr of a float (1 -> '1.0'). */
export function pyFloat(x: number): string {
  return pyFloatRepr(x);
}

/** Python's repr of a tuple of ints: (), (2,), (2, 3). */
export function pyTuple(s: readonly number[]): string {
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
}

/** Python's repr of a torch.Size. */
export function pySize(s: readonly number[]): string {
  return `torch.Size([${s.join(', ')}])`;
}

/** Python's '{}'.format(tensor): a 0-dim tensor prints its value (Tensor.__format__). */
export function pyFormat(t: Tensor): string {
  if (t.dim() !== 0) return t.toString();
  const v = t.item();
  if (t.dtype.name === 'bool') return v ? 'True' : 'False';
  return t.dtype.is_floating_point ? pyFloatRepr(v) : String(v);
}
