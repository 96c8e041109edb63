// torchopt.optim.meta
export { MetaOptimizer } from './base';
export * from './optimizers';
