// Helpers shared by the aliases: sign flip + weight decay, -lr scaling, and the global
// switch between the flat (default) and tree code paths.
import { Tensor } from '../../torch';
import { checkKeys, isPlainObject } from '../kwargs';
export { checkKeys };
import { EmptyState, GradientTransformation, identity } from '../base';
import { scale } from '../transform/scale';
import { scale_by_schedule } from '../transform/scale_by_schedule';
import { checkNonNeg, decayParams, mapper, withFlat } from '../transform/utils';
import { Numeric, ScalarOrSchedule } from '../typing';

let useChainFlat = true;
/** TorchOpt's _set_use_chain_flat: tests run both code paths. */
export function _set_use_chain_flat(v: boolean): void {
  useChainFlat = v;
}
export function _get_use_chain_flat(): boolean {
  return useChainFlat;
}

export const flip_sign_and_add_weight_decay = withFlat((flat: boolean, opts: { weight_decay?: number; maximize?: boolean } = {}): GradientTransformation => {
  const { weight_decay = 0.0, maximize = false } = opts;
  checkNonNeg('weight_decay', weight_decay);
  if (!maximize && weight_decay === 0.0) return identity();
  const m = mapper(flat);
  if (maximize && weight_decay === 0.0) {
    return new GradientTransformation(
      () => new EmptyState(),
      (updates, state, o) => {
        if (o?.inplace ?? true) m.map_((g: Tensor) => g.neg_(), updates);
        else updates = m.map((g: Tensor) => g.neg(), updates);
        return [updates, state];
      },
    );
  }
  return new GradientTransformation(
    () => new EmptyState(),
    (updates, state, o) => {
      const params = decayParams(o);
      if (o?.inplace ?? true) {
        m.map_(
          (p: Tensor, g: Tensor | null) => {
            if (g === null) return g;
            const gg = maximize ? g.neg_() : g;
            return g.requires_grad ? gg.add_(p, { alpha: weight_decay }) : gg.add_(p.data, { alpha: weight_decay });
          },
          params,
          updates,
        );
      } else {
        updates = m.map((p: Tensor, g: Tensor | null) => (g === null ? g : (maximize ? g.neg().add_(p, { alpha: weight_decay }) : g.add(p, { alpha: weight_decay }))), params, updates);
      }
      return [updates, state];
    },
  );
});

export const scale_by_neg_lr = withFlat((flat: boolean, lr: ScalarOrSchedule): GradientTransformation => {
  checkLr(lr);
  if (typeof lr === 'function') {
    const wrapper = (count: Numeric): Numeric => {
      const v = lr(count);
      return v instanceof Tensor ? v.neg() : -v;
    };
    return scale_by_schedule.impl(flat, wrapper);
  }
  return scale.impl(flat, -lr);
});

/** Python's keyword form of the learning rate: `sgd(lr=0.5, momentum=0.9)` ports to
 * `sgd({lr: 0.5, momentum: 0.9})`, beside the positional `sgd(0.5, {momentum: 0.9})`. */
export type WithLr<O> = O & { lr?: ScalarOrSchedule };
/** The same where the learning rate has no default (sgd, SGD, MetaSGD). */
export type WithRequiredLr<O> = O & { lr: ScalarOrSchedule };

/** Splits `(lr, opts)` or `({lr, ...opts})` into the learning rate (or `dflt`) and the rest. */
export function splitLr<O extends object>(name: string, lr: ScalarOrSchedule | WithLr<O> | undefined, opts: O | undefined, dflt?: ScalarOrSchedule): [ScalarOrSchedule | undefined, O] {
  if (isPlainObject(lr)) {
    if (opts !== undefined) throw new TypeError(`${name}(): the options were given twice (as the learning rate and after it)`);
    const { lr: l, ...rest } = lr as WithLr<O>;
    return [l ?? dflt, rest as O];
  }
  if (opts !== undefined && !isPlainObject(opts)) throw new TypeError(`${name}(): options must be an object, got ${Array.isArray(opts) ? 'an array' : typeof opts}`);
  return [lr ?? dflt, opts ?? ({} as O)];
}

/** An alias's learning rate and options, checked: a required `lr` (no default) missing is
 * Python's TypeError. */
export function aliasArgs<O extends object>(name: string, lr: ScalarOrSchedule | WithLr<O> | undefined, opts: O | undefined, dflt: ScalarOrSchedule | undefined, known: readonly string[]): [ScalarOrSchedule, O] {
  const [l, o] = splitLr(name, lr, opts, dflt);
  if (l === undefined) throw new TypeError(`${name}() missing 1 required positional argument: 'lr'`);
  checkKeys(name, o, known);
  return [l, o];
}

export function checkLr(lr: ScalarOrSchedule): void {
  if (!(typeof lr === 'function' || lr >= 0.0)) throw new RangeError(`Invalid learning rate: ${lr}`);
}
export { checkBetas, checkNonNeg } from '../transform/utils';
