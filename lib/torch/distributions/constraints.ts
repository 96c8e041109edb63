// torch.distributions.constraints: the checks behind argument validation.
import { Tensor } from '../tensor';
import { isclose } from '../ops/pointwise';
import { eigvalsh } from '../linalg';
import { pyFloat } from './utils';

type Bound = number | Tensor;
const fmtBound = (b: Bound): string => (typeof b === 'number' ? pyFloat(b) : b.toString());

export abstract class Constraint {
  is_discrete = false;
  event_dim = 0;
  /** A bool tensor: whether each event of `value` satisfies the constraint. */
  abstract check(value: Tensor): Tensor;
  toString(): string {
    return `${this.constructor.name.replace(/^_/, '')}()`;
  }
}

export class _Dependent extends Constraint {
  constructor(opts?: { is_discrete?: boolean; event_dim?: number }) {
    super();
    this.is_discrete = opts?.is_discrete ?? false;
    this.event_dim = opts?.event_dim ?? 0;
  }
  check(): Tensor {
    throw new Error('Cannot determine validity of dependent constraint');
  }
}
export function is_dependent(c: Constraint): boolean {
  return c instanceof _Dependent;
}

export class _Real extends Constraint {
  check(value: Tensor): Tensor {
    return value.eq(value); // false for NaNs
  }
}
export class _Boolean extends Constraint {
  override is_discrete = true;
  check(value: Tensor): Tensor {
    return value.eq(0).logical_or(value.eq(1));
  }
}
export class _GreaterThan extends Constraint {
  constructor(readonly lower_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return value.gt(this.lower_bound);
  }
  override toString(): string {
    return `GreaterThan(lower_bound=${fmtBound(this.lower_bound)})`;
  }
}
export class _GreaterThanEq extends Constraint {
  constructor(readonly lower_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return value.ge(this.lower_bound);
  }
  override toString(): string {
    return `GreaterThanEq(lower_bound=${fmtBound(this.lower_bound)})`;
  }
}
export class _Interval extends Constraint {
  constructor(readonly lower_bound: Bound, readonly upper_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    const lo = typeof this.lower_bound === 'number' ? value.ge(this.lower_bound) : this.lower_bound.le(value);
    return lo.logical_and(value.le(this.upper_bound));
  }
  override toString(): string {
    return `Interval(lower_bound=${fmtBound(this.lower_bound)}, upper_bound=${fmtBound(this.upper_bound)})`;
  }
}
export class _HalfOpenInterval extends _Interval {
  override check(value: Tensor): Tensor {
    const lo = typeof this.lower_bound === 'number' ? value.ge(this.lower_bound) : this.lower_bound.le(value);
    return lo.logical_and(value.lt(this.upper_bound));
  }
  override toString(): string {
    return super.toString().replace(/^Interval/, 'HalfOpenInterval');
  }
}
export class _IntegerInterval extends Constraint {
  override is_discrete = true;
  constructor(readonly lower_bound: number, readonly upper_bound: number) {
    super();
  }
  check(value: Tensor): Tensor {
    return value.remainder(1).eq(0).logical_and(value.ge(this.lower_bound)).logical_and(value.le(this.upper_bound));
  }
  override toString(): string {
    return `IntegerInterval(lower_bound=${this.lower_bound}, upper_bound=${this.upper_bound})`;
  }
}
export class _Simplex extends Constraint {
  override event_dim = 1;
  check(value: Tensor): Tensor {
    return value.ge(0).all(-1).logical_and(value.sum(-1).sub(1).abs().lt(1e-6));
  }
}
export class _IndependentConstraint extends Constraint {
  constructor(readonly base_constraint: Constraint, readonly reinterpreted_batch_ndims: number) {
    super();
    this.is_discrete = base_constraint.is_discrete;
    this.event_dim = base_constraint.event_dim + reinterpreted_batch_ndims;
  }
  check(value: Tensor): Tensor {
    let r = this.base_constraint.check(value);
    if (r.dim() < this.reinterpreted_batch_ndims) {
      const expected = this.base_constraint.event_dim + this.reinterpreted_batch_ndims;
      throw new RangeError(`Expected value.dim() >= ${expected} but got ${value.dim()}`);
    }
    r = r.reshape([...r.shape.slice(0, r.dim() - this.reinterpreted_batch_ndims), -1]);
    return r.all(-1);
  }
  override toString(): string {
    return `IndependentConstraint(${this.base_constraint}, ${this.reinterpreted_batch_ndims})`;
  }
}
export class _LowerCholesky extends Constraint {
  override event_dim = 2;
  check(value: Tensor): Tensor {
    const lowerTriangular = value.tril().eq(value).reshape([...value.shape.slice(0, -2), -1]).min(-1).values;
    const positiveDiagonal = value.diagonal(0, -2, -1).gt(0).min(-1).values;
    return lowerTriangular.logical_and(positiveDiagonal);
  }
}
export class _Symmetric extends Constraint {
  override event_dim = 2;
  check(value: Tensor): Tensor {
    const n = value.dim();
    if (n < 2 || value.size(-1) !== value.size(-2)) return value.new_full(value.shape.slice(0, Math.max(0, n - 2)), false, { dtype: value.eq(value).dtype });
    return isclose(value, value.mT, { atol: 1e-6 }).all(-2).all(-1);
  }
}
export class _PositiveDefinite extends _Symmetric {
  override check(value: Tensor): Tensor {
    const sym = super.check(value);
    if (!sym.all().item()) return sym;
    return eigvalsh(value).gt(0).all(-1);
  }
}

export const dependent = new _Dependent();
export function dependent_property<T>(fn: T): T {
  return fn;
}
export const real = new _Real();
export const real_vector = new _IndependentConstraint(real, 1);
export const boolean = new _Boolean();
export const positive = new _GreaterThan(0);
export const nonnegative = new _GreaterThanEq(0);
export const unit_interval = new _Interval(0, 1);
export const simplex = new _Simplex();
export const lower_cholesky = new _LowerCholesky();
export const symmetric = new _Symmetric();
export const positive_definite = new _PositiveDefinite();
export const greater_than = (b: Bound) => new _GreaterThan(b);
export const greater_than_eq = (b: Bound) => new _GreaterThanEq(b);
export const interval = (lo: Bound, hi: Bound) => new _Interval(lo, hi);
export const half_open_interval = (lo: Bound, hi: Bound) => new _HalfOpenInterval(lo, hi);
export const integer_interval = (lo: number, hi: number) => new _IntegerInterval(lo, hi);
export const independent = (c: Constraint, n: number) => new _IndependentConstraint(c, n);
