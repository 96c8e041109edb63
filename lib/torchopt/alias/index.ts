// torchopt.alias: the functional optimizers.
export { sgd } from './sgd';
export { adam } from './adam';
export { adamw } from './adamw';
export { rmsprop } from './rmsprop';
export { adagrad } from './adagrad';
export { adadelta } from './adadelta';
export { adamax } from './adamax';
export { radam } from './radam';
export { _set_use_chain_flat, _get_use_chain_flat, flip_sign_and_add_weight_decay, scale_by_neg_lr } from './utils';
export type { SGDOpts } from './sgd';
export type { AdamOpts } from './adam';
export type { AdamWOpts } from './adamw';
export type { RMSPropOpts } from './rmsprop';
export type { AdaGradOpts } from './adagrad';
export type { AdaDeltaOpts } from './adadelta';
export type { AdaMaxOpts } from './adamax';
export type { RAdamOpts } from './radam';
