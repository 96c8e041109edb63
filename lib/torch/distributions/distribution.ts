// torch.distributions.Distribution: shapes, argument and sample validation.
import { Tensor } from '../tensor';
import { no_grad } from '../autograd/grad_mode';
import { Constraint, is_dependent } from './constraints';
import { pyFormat, pySize, pyTuple } from './utils';

export type SampleShape = readonly number[];

let defaultValidate = true;

export abstract class Distribution {
  static has_rsample = false;
  static has_enumerate_support = false;
  /** @internal */ _batch_shape: number[];
  /** @internal */ _event_shape: number[];
  /** @internal */ _validate_args: boolean;

  /** Python's Distribution.set_default_validate_args(value). */
  static set_default_validate_args(value: boolean): void {
    if (value !== true && value !== false) throw new RangeError('set_default_validate_args(): expected a boolean');
    defaultValidate = value;
  }

  /** Argument name -> constraint, checked at construction when validation is on. */
  get arg_constraints(): Record<string, Constraint> {
    return {};
  }
  get support(): Constraint | null {
    throw new Error(`${this.constructor.name} does not define support`);
  }
  get has_rsample(): boolean {
    return (this.constructor as typeof Distribution).has_rsample;
  }

  constructor(batch_shape: SampleShape = [], event_shape: SampleShape = [], validate_args?: boolean | null) {
    this._batch_shape = [...batch_shape];
    this._event_shape = [...event_shape];
    this._validate_args = validate_args ?? defaultValidate;
  }

  /** @internal Checks the constructor arguments (call at the end of a subclass constructor). */
  protected _check_args(): void {
    if (!this._validate_args) return;
    for (const [param, constraint] of Object.entries(this.arg_constraints)) {
      if (is_dependent(constraint)) continue;
      if (!this._has_param(param)) continue; // lazily computed, not given
      const value = (this as unknown as Record<string, Tensor>)[param];
      const valid = constraint.check(value);
      if (!valid.all().item()) {
        throw new RangeError(
          `Expected parameter ${param} (Tensor of shape ${pyTuple(value.shape)}) of distribution ${this.toString()} ` +
            `to satisfy the constraint ${constraint}, but found invalid values:\n${pyFormat(value)}`,
        );
      }
    }
  }

  /** @internal Whether a parameter was given (not lazily derived); Python's `param in self.__dict__`. */
  _has_param(name: string): boolean {
    const self = this as unknown as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(this, name) && self[name] !== undefined) return true;
    return self[`_${name}`] !== undefined && self[`_${name}`] !== null;
  }

  get batch_shape(): number[] {
    return [...this._batch_shape];
  }
  get event_shape(): number[] {
    return [...this._event_shape];
  }
  get mean(): Tensor {
    throw new Error(`${this.constructor.name} does not implement mean`);
  }
  get mode(): Tensor {
    throw new Error(`${this.constructor.name} does not implement mode`);
  }
  get variance(): Tensor {
    throw new Error(`${this.constructor.name} does not implement variance`);
  }
  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  /** A sample (no gradient) of shape sample_shape + batch_shape + event_shape. */
  sample(sample_shape: SampleShape = []): Tensor {
    // Python: with torch.no_grad(): return self.rsample(sample_shape)
    return no_grad(() => this.rsample(sample_shape));
  }
  /** A reparameterized sample (differentiable with respect to the parameters). */
  rsample(_sample_shape: SampleShape = []): Tensor {
    throw new Error(`${this.constructor.name} does not implement rsample`);
  }
  sample_n(n: number): Tensor {
    return this.sample([n]);
  }
  log_prob(_value: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement log_prob`);
  }
  cdf(_value: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement cdf`);
  }
  icdf(_value: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement icdf`);
  }
  enumerate_support(_expand = true): Tensor {
    throw new Error(`${this.constructor.name} does not implement enumerate_support`);
  }
  entropy(): Tensor {
    throw new Error(`${this.constructor.name} does not implement entropy`);
  }
  perplexity(): Tensor {
    return this.entropy().exp();
  }

  /** sample_shape + batch_shape + event_shape. */
  _extended_shape(sample_shape: SampleShape = []): number[] {
    return [...sample_shape, ...this._batch_shape, ...this._event_shape];
  }

  /** Python's _validate_sample: value's shape must fit, and value must be in the support. */
  _validate_sample(value: Tensor): void {
    if (!(value instanceof Tensor)) throw new RangeError('The value argument to log_prob must be a Tensor');
    const ev = this._event_shape;
    const vs = value.shape;
    const start = vs.length - ev.length;
    const tail = vs.slice(Math.max(0, start));
    if (start < 0 || tail.join(',') !== ev.join(',')) {
      throw new RangeError(`The right-most size of value must match event_shape: ${pySize(vs)} vs ${pySize(ev)}.`);
    }
    const expected = [...this._batch_shape, ...ev];
    for (let i = vs.length - 1, j = expected.length - 1; i >= 0 && j >= 0; i--, j--) {
      if (vs[i] !== 1 && expected[j] !== 1 && vs[i] !== expected[j]) {
        throw new RangeError(`Value is not broadcastable with batch_shape+event_shape: ${pySize(vs)} vs ${pySize(expected)}.`);
      }
    }
    const support = this.support;
    if (support === null) return;
    if (!support.check(value).all().item()) {
      throw new RangeError(
        `Expected value argument (Tensor of shape ${pyTuple(vs)}) to be within the support (${support}) of the distribution ${this.toString()}, but found invalid values:\n${pyFormat(value)}`,
      );
    }
  }

  /** Python's repr: `Normal(loc: torch.Size([2]), scale: torch.Size([2]))`. */
  toString(): string {
    const names = Object.keys(this.arg_constraints).filter((k) => this._has_param(k));
    const parts = names.map((p) => {
      const v = (this as unknown as Record<string, Tensor>)[p];
      const s = v.numel() === 1 ? pyFormat(v) : pySize(v.shape);
      return `${p}: ${s}`;
    });
    return `${this.constructor.name}(${parts.join(', ')})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
