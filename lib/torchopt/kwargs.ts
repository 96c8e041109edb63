// The keyword-argument helpers torchopt shares with the torch layer (one implementation:
// Python's TypeError for an option a function does not take), and torchopt's key lists.
export { isPlainObject, kw as checkKeys, kwargs, KW } from '../torch/ops/util';

/** update(updates, state, {params, inplace}): the only options an update takes. */
export const UPDATE_KEYS = ['params', 'inplace'];
/** scale_by_adam / scale_by_accelerated_adam. */
export const ADAM_SCALER_KEYS = ['b1', 'b2', 'eps', 'eps_root', 'moment_requires_grad'];
/** cg and the CG-based linear solvers. */
export const CG_KEYS = ['rtol', 'atol', 'maxiter', 'M'];
