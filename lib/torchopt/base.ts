// GradientTransformation: the (init, update) pair every optimizer is made of, and chaining.
import { namedtuple } from '../pytree';
import type { Tensor } from '../torch';
import type { OptState, Params, TransformInitFn, TransformUpdateFn, UpdateOpts, Updates } from './typing';
import { checkKeys, UPDATE_KEYS } from './kwargs';

/** The state of a transformation that keeps none. */
export class EmptyState extends namedtuple('EmptyState', []) {}
/** Marks lazily initialized state in the OO wrappers. */
export class UninitializedState extends namedtuple('UninitializedState', []) {}

export class GradientTransformation {
  /** Set on scale(step_size): a chain lets the member before it fold the product in. */
  scaleBy?: number;
  /** Where set: update() followed by an in-place scale(step), in one pass, with the same
   * bits. A chain calls it (in place only, unless scalesOutOfPlace) for a member followed
   * by a scale. */
  updateScaled?: (updates: Updates, state: OptState, opts: UpdateOpts | undefined, step: number) => [Updates, OptState];
  /** updateScaled also stands for update() then an out-of-place scale (g.mul(step)). */
  scalesOutOfPlace?: boolean;
  /** Where set: update() then apply_updates() in one pass, with the same bits, for a
   * stateless transformation (its state passes through). The optimizers call it with
   * flat lists of tensors (no nulls) in place of both. */
  applyFused?: {
    inPlace(params: Tensor[], updates: Tensor[]): void;
    outOfPlace(params: Tensor[], updates: Tensor[]): Tensor[];
  };

  constructor(
    readonly init: TransformInitFn,
    readonly update: TransformUpdateFn,
  ) {}
  /** Python's `gt.chain(next)`. */
  chain(next: GradientTransformation): ChainedGradientTransformation {
    return new ChainedGradientTransformation(this, next);
  }
  /** The transformations this one is made of (itself, for a plain one). */
  get transformations(): readonly GradientTransformation[] {
    return [this];
  }
  /** Python's == on the (init, update) named tuple: the same two functions. A chain
   * equals a plain transformation when it holds exactly that one. */
  equals(other: unknown): boolean {
    if (other instanceof ChainedGradientTransformation) return other.equals(this);
    return other instanceof GradientTransformation && other.init === this.init && other.update === this.update;
  }
  toString(): string {
    return `GradientTransformation(init=${this.init.name || 'init_fn'}, update=${this.update.name || 'update_fn'})`;
  }
}

const identityInit: TransformInitFn = () => new EmptyState();
const identityUpdate: TransformUpdateFn = (updates, state) => [updates, state];

export class IdentityGradientTransformation extends GradientTransformation {
  constructor() {
    super(identityInit, identityUpdate);
  }
  override toString(): string {
    return 'IdentityGradientTransformation()';
  }
}

export function identity(): IdentityGradientTransformation {
  return new IdentityGradientTransformation();
}

/** Flattens nested chains and drops identities; init returns one sub-state per member. */
export class ChainedGradientTransformation extends GradientTransformation {
  readonly #members: readonly GradientTransformation[];
  constructor(...transformations: GradientTransformation[]) {
    let flat: GradientTransformation[] = [];
    for (const t of transformations) {
      if (!(t instanceof GradientTransformation)) throw new TypeError(`chain: expected GradientTransformations, got ${typeof t}`);
      if (t instanceof ChainedGradientTransformation) flat.push(...t.transformations);
      else if (!(t instanceof IdentityGradientTransformation)) flat.push(t);
    }
    if (flat.length === 0) flat = [new IdentityGradientTransformation()];
    const members = Object.freeze(flat);
    const init = (params: Params): OptState => members.map((t) => t.init(params));
    const update = (updates: Updates, state: OptState, opts?: UpdateOpts): [Updates, OptState] => {
      if (!Array.isArray(state) || state.length !== members.length) {
        throw new RangeError('The number of updates and states has to be the same in chain! Make sure you have called init first!');
      }
      checkKeys('update', opts, UPDATE_KEYS);
      const newState: OptState[] = [];
      let u = updates;
      const inplace = opts?.inplace ?? true;
      for (let i = 0; i < members.length; i++) {
        const t = members[i];
        const step = members[i + 1]?.scaleBy;
        if (step !== undefined && t.updateScaled !== undefined && (inplace || t.scalesOutOfPlace)) {
          // The scale's own state (empty) passes through unchanged, as its update does.
          const [nu, ns] = t.updateScaled(u, state[i], opts, step);
          u = nu;
          newState.push(ns, state[i + 1]);
          i++;
          continue;
        }
        const [nu, ns] = t.update(u, state[i], opts);
        u = nu;
        newState.push(ns);
      }
      return [u, newState];
    };
    super(init, update);
    this.#members = members;
    // A lone stateless member (sgd without momentum: a scale) updates and applies at once.
    if (members.length === 1) this.applyFused = members[0].applyFused;
  }
  override get transformations(): readonly GradientTransformation[] {
    return this.#members;
  }
  override equals(other: unknown): boolean {
    if (!(other instanceof GradientTransformation)) return false;
    const a = this.#members;
    const b = other.transformations;
    return a.length === b.length && a.every((t, i) => t.equals(b[i]));
  }
  override toString(): string {
    return `ChainedGradientTransformation(\n    ${this.#members.map(String).join(',\n    ')},\n)`;
  }
}
