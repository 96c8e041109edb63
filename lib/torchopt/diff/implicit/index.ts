// torchopt.diff.implicit
export { custom_root } from './decorator';
export type { CustomRootOpts } from './decorator';
export { ImplicitMetaGradientModule } from './nn/module';
