// Python's TypeError for a keyword argument a function does not take: an options key not
// in `known` (a misspelt hyper-parameter or option must not be ignored).
export function checkKeys(name: string, opts: object | null | undefined, known: readonly string[]): void {
  if (opts === null || opts === undefined || typeof opts !== 'object' || Array.isArray(opts)) return;
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new TypeError(`${name}() got an unexpected keyword argument '${k}'`);
  }
}

/** update(updates, state, {params, inplace}): the only options an update takes. */
export const UPDATE_KEYS = ['params', 'inplace'];
/** scale_by_adam / scale_by_accelerated_adam. */
export const ADAM_SCALER_KEYS = ['b1', 'b2', 'eps', 'eps_root', 'moment_requires_grad'];
/** cg and the CG-based linear solvers. */
export const CG_KEYS = ['rtol', 'atol', 'maxiter', 'M'];
