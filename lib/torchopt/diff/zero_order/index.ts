// torchopt.diff.zero_order
export { zero_order } from './decorator';
export type { Method, Samplable, ZeroOrderOpts } from './decorator';
export { ZeroOrderGradientModule } from './nn/module';
