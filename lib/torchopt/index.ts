// The torchopt namespace: `import { torchopt } from 'torchopt-node'`.
export * as alias from './alias';
export * as base from './base';
export * as combine from './combine';
export * as clip from './clip';
export * as hook from './hook';
export * as pytree from './pytree';
export * as schedule from './schedule';
export * as transform from './transform';
export * as typing from './typing';
export * as update from './update';
export * as optim from './optim';
export * as utils from './utils';
export * as linalg from './linalg';
export * as linear_solve from './linear_solve';
export * as diff from './diff';

export { sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, radam } from './alias';
export { GradientTransformation, ChainedGradientTransformation, identity, EmptyState, UninitializedState } from './base';
export { chain, chain_flat } from './combine';
export { clip_grad_norm } from './clip';
export { register_hook, zero_nan_hook, nan_to_num_hook } from './hook';
export { nan_to_num } from './transform/nan_to_num';
export { apply_updates } from './update';
export { Optimizer, SGD, Adam, AdamW, AdaGrad, Adagrad, AdaDelta, Adadelta, AdaMax, Adamax, RAdam, RMSProp, RMSprop } from './optim';
export { MetaOptimizer, MetaSGD, MetaAdam, MetaAdamW, MetaAdaGrad, MetaAdagrad, MetaAdaDelta, MetaAdadelta, MetaAdaMax, MetaAdamax, MetaRAdam, MetaRMSProp, MetaRMSprop } from './optim/meta';
export { FuncOptimizer } from './optim/func';
export { extract_state_dict, recover_state_dict, stop_gradient, module_clone, module_detach_, ModuleState } from './utils';
export { version as __version__ } from '../version';
