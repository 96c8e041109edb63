// torchopt.accelerated_op: fused optimizer kernels (C++ with at::vec + at::parallel_for,
// and CUDA multi-tensor kernels where the addon is built with CUDA).
export { is_available } from './is_available';
export { AdamOp } from './adam_op';
export type { AdamOpOptions } from './adam_op';
export { fused_adam_, fused_adamw_, fused_adam, fused_adamw } from './fused_adam';
export type { FusedAdamOptions } from './fused_adam';
export { fused_sgd_, fused_sgd } from './fused_sgd';
export type { FusedSgdOptions } from './fused_sgd';
export { fused_rmsprop_, fused_rmsprop } from './fused_rmsprop';
export type { FusedRmspropOptions } from './fused_rmsprop';
export type { Count, UpdatesOptions } from './args';
