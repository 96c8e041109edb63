// Grad mode: torch.no_grad / enable_grad / set_grad_enabled / inference_mode.
//
// Python's context managers and decorators become one function that either runs a
// callback (`torch.no_grad(() => ...)`) or, given a function to wrap, returns the
// wrapped function (`const f = torch.no_grad.wrap(g)`). The previous mode is restored
// when the callback returns or throws. Async callbacks are not supported: grad mode
// is per thread and would leak across awaits.
import { N } from '../../native';

export function is_grad_enabled(): boolean {
  return N.is_grad_enabled();
}

function withMode<T>(enabled: boolean, fn: () => T): T {
  const prev: boolean = N.is_grad_enabled();
  if (prev === enabled) return fn();
  N.set_grad_enabled(enabled);
  try {
    return fn();
  } finally {
    N.set_grad_enabled(prev);
  }
}

type ModeFn = {
  /** Runs fn in this mode and returns its result. */
  <T>(fn: () => T): T;
  /** Python's decorator form: returns fn wrapped to run in this mode. */
  wrap<F extends (...args: never[]) => unknown>(fn: F): F;
};

function mode(enabled: boolean): ModeFn {
  const f = (<T>(fn: () => T): T => withMode(enabled, fn)) as ModeFn;
  f.wrap = <F extends (...args: never[]) => unknown>(fn: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      return withMode(enabled, () => fn.apply(this, args));
    } as unknown as F;
  return f;
}

/** torch.no_grad: `torch.no_grad(() => ...)` or `torch.no_grad.wrap(fn)`. */
export const no_grad = mode(false);
/** torch.enable_grad. */
export const enable_grad = mode(true);
/** torch.inference_mode (grad off; libtorch's inference tensors are not used). */
export const inference_mode = mode(false);

/**
 * torch.set_grad_enabled(mode): sets the mode globally (Python's function form), or
 * with a callback runs it in that mode (Python's context-manager form).
 */
export function set_grad_enabled(enabled: boolean): void;
export function set_grad_enabled<T>(enabled: boolean, fn: () => T): T;
export function set_grad_enabled<T>(enabled: boolean, fn?: () => T): T | void {
  if (fn === undefined) {
    N.set_grad_enabled(enabled);
    return;
  }
  return withMode(enabled, fn);
}
