// torchopt.nn
export { MetaGradientModule, MetaInputsContainer } from './module';
export { swap_state, reparametrize, reparameterize, MISSING } from './stateless';
export { ImplicitMetaGradientModule } from '../diff/implicit/nn/module';
export { ZeroOrderGradientModule } from '../diff/zero_order/nn/module';
