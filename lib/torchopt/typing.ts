// torchopt.typing: the shapes of things TorchOpt passes around.
import type { Tensor } from '../torch';

export type Scalar = number;
export type Numeric = number | Tensor;
export type Schedule = (count: Numeric) => Numeric;
export type ScalarOrSchedule = number | Schedule;
/** A pytree whose leaves are tensors (or null for absent gradients). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TensorTree = any;
export type Params = TensorTree;
export type Updates = TensorTree;
export type OptState = TensorTree;
export type UpdateOpts = { params?: Params | null; inplace?: boolean };
export type TransformInitFn = (params: Params) => OptState;
export type TransformUpdateFn = (updates: Updates, state: OptState, opts?: UpdateOpts) => [Updates, OptState];
