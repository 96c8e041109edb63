// torch.optim: Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Adadelta, RAdam and
// torch.optim.lr_scheduler, with torch 1.13's update rules (same numbers as Python).
export { Optimizer, required } from './optimizer';
export type { ParamGroup, ParamGroupInit, Params, OptimizerState, OptimizerStateDict } from './optimizer';
export { SGD } from './sgd';
export type { SGDOpts } from './sgd';
export { Adam, AdamW } from './adam';
export type { AdamOpts } from './adam';
export { RMSprop, Adagrad, Adamax, Adadelta, RAdam } from './others';
export * as lr_scheduler from './lr_scheduler';
