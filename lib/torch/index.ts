// The torch namespace.
import { N } from '../native';
import './ops/pointwise';
import './ops/reduction';
import './ops/shape';
import './ops/indexing';
import './data';
import './autograd/tensor';
import { Tensor } from './tensor';

export * from './dtype';
export { device, cuda } from './device';
export type { DeviceLike } from './device';
export { Tensor, is_tensor, tidy, keep, dispose, memory } from './tensor';
export { set_gc_threshold, get_gc_threshold, gc_stats } from './gc';
export type { GcThreshold } from './gc';
export * from './creation';
export * from './random';
export * from './ops/pointwise';
export * from './ops/reduction';
export { var_ as var } from './ops/reduction';
export * from './ops/shape';
export { Slice, slice } from './ops/indexing';
export type { Index } from './ops/indexing';
export type { TensorLike, Scalar } from './ops/util';
export { set_printoptions } from './format';
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode } from './autograd/grad_mode';
export * as autograd from './autograd';
export * as linalg from './linalg';
export * as nn from './nn';
export {
  typename,
  Size,
  size_numel,
  iinfo,
  finfo,
  nan,
  inf,
  pi,
  e,
  is_complex,
  is_nonzero,
  use_deterministic_algorithms,
  are_deterministic_algorithms_enabled,
  is_deterministic_algorithms_warn_only_enabled,
  random,
} from './extras';
export * as func from './func';
export * as distributions from './distributions';
export * as utils from './utils';
export * as optim from './optim';
export * as testing from './testing';
export * as futures from './futures';

export { version as __version__ } from '../version';
/** The version of the libtorch the addon runs on. */
export const libtorch_version: string = N.torch_version();

export function numel(t: Tensor): number {
  return t.numel();
}
export function is_floating_point(t: Tensor): boolean {
  return t.dtype.is_floating_point;
}
export function get_num_threads(): number {
  return N.get_num_threads();
}
export function set_num_threads(n: number): void {
  N.set_num_threads(n);
}
