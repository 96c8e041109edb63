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

export { version as __version__ } from '../version';
/** The version of the libtorch the addon runs on. */
export const libtorch_version: string = N.torch_version();

export function numel(t: Tensor): number {
  return t.numel();
}
export function is_floating_point(t: Tensor): boolean {
  return t.dtype.is_floating_point;
}
export function typename(x: unknown): string {
  if (x instanceof Tensor) return `torch.${x.dtype.name === 'float32' ? 'Float' : x.dtype.name}Tensor`;
  return typeof x;
}
export function get_num_threads(): number {
  return N.get_num_threads();
}
export function set_num_threads(n: number): void {
  N.set_num_threads(n);
}
