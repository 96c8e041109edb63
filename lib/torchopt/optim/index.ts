// torchopt.optim
export { Optimizer } from './base';
export * from './optimizers';
export * as meta from './meta';
export * as func from './func';
