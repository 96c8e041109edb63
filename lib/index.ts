// torchopt-node: `import { torch, torchopt } from 'torchopt-node'`.
export * as torch from './torch';
export * as torchopt from './torchopt';
export * as copy from './torch/copy';
export * as todist from './distributed';
