// GradientTransformation: the (init, update) pair every optimizer is made of, and chaining.
import { namedtuple } from '../pytree';
import type { OptState, Params, TransformInitFn, TransformUpdateFn, UpdateOpts, Updates } from './typing';

/** The state of a transformation that keeps none. */
export class EmptyState extends namedtuple('EmptyState', []) {}
/** Marks lazily initialized state in the OO wrappers. */
export class UninitializedState extends namedtuple('UninitializedState', []) {}

export class GradientTransformation {
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
      const newState: OptState[] = [];
      let u = updates;
      for (let i = 0; i < members.length; i++) {
        const [nu, ns] = members[i].update(u, state[i], opts);
        u = nu;
        newState.push(ns);
      }
      return [u, newState];
    };
    super(init, update);
    this.#members = members;
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
