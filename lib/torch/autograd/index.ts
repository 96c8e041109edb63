// torch.autograd
import './tensor';
export { backward, grad } from './grad';
export type { GradOpts } from './grad';
export { Function, FunctionCtx, once_differentiable } from './function';
export { Node } from './graph';
export { RemovableHandle } from './tensor';
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode } from './grad_mode';
export * as functional from './functional';
