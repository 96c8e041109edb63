// torchopt.diff
export * as implicit from './implicit';
export * as zero_order from './zero_order';
