// torch.nn
export { Module } from './module';
export type { StateDict, NamedTensor } from './module';
export { Parameter } from './parameter';
export * from './modules/linear';
export * from './modules/conv';
export * from './modules/batchnorm';
export * from './modules/activation';
export * from './modules/pooling';
export * from './modules/container';
export * from './modules/loss';
export * from './modules/embedding';
export * as functional from './functional';
export * as init from './init';
export * as utils from './utils';
