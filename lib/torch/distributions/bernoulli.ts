// torch.distributions.Bernoulli.
import { Tensor } from '../tensor';
import { bernoulli } from '../random';
import { arange } from '../creation';
import { no_grad, enable_grad } from '../autograd/grad_mode';
import { binary_cross_entropy_with_logits } from '../nn/functional';
import { Distribution, SampleShape } from './distribution';
import * as constraints from './constraints';
import { broadcast_all, logits_to_probs, probs_to_logits, TensorOrNumber } from './utils';
import { kw } from '../ops/util';

export type ProbsOrLogits = { probs?: TensorOrNumber | null; logits?: TensorOrNumber | null; validate_args?: boolean | null };

export class Bernoulli extends Distribution {
  static override has_enumerate_support = true;
  /** @internal */ _probs: Tensor | undefined;
  /** @internal */ _logits: Tensor | undefined;
  /** @internal */ _param: Tensor;

  override get arg_constraints() {
    return { probs: constraints.unit_interval, logits: constraints.real };
  }
  override get support(): constraints.Constraint {
    return constraints.boolean;
  }

  /** new Bernoulli(probs) or new Bernoulli({probs}) / new Bernoulli({logits}). */
  constructor(probs?: TensorOrNumber | ProbsOrLogits | null, logits?: TensorOrNumber | null, validate_args?: boolean | null) {
    let o: ProbsOrLogits;
    if (probs !== null && probs !== undefined && typeof probs === 'object' && !(probs instanceof Tensor)) {
      kw('Bernoulli', probs, ['probs', 'logits', 'validate_args']);
      o = probs;
    }
    else o = { probs: probs ?? null, logits: logits ?? null, validate_args };
    const hasP = o.probs !== null && o.probs !== undefined;
    const hasL = o.logits !== null && o.logits !== undefined;
    if (hasP === hasL) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
    const raw = (hasP ? o.probs : o.logits) as TensorOrNumber;
    const [param] = broadcast_all(raw);
    super(typeof raw === 'number' ? [] : param.shape, [], o.validate_args);
    if (hasP) this._probs = param;
    else this._logits = param;
    this._param = param;
    this._check_args();
  }

  get probs(): Tensor {
    if (this._probs === undefined) this._probs = enable_grad(() => logits_to_probs(this._logits!, true));
    return this._probs;
  }
  get logits(): Tensor {
    if (this._logits === undefined) this._logits = enable_grad(() => probs_to_logits(this._probs!, true));
    return this._logits;
  }
  get param_shape(): number[] {
    return this._param.shape;
  }
  override get mean(): Tensor {
    return this.probs;
  }
  override get mode(): Tensor {
    const m = this.probs.ge(0.5).to(this.probs);
    m.set(this.probs.eq(0.5), NaN);
    return m;
  }
  override get variance(): Tensor {
    return this.probs.mul(this.probs.rsub(1));
  }

  expand(batch_shape: SampleShape): Bernoulli {
    const n = Object.create(Bernoulli.prototype) as Bernoulli;
    const b = [...batch_shape];
    if (this._probs !== undefined) n._probs = n._param = this._probs.expand(b);
    if (this._logits !== undefined) n._logits = n._param = this._logits.expand(b);
    n._batch_shape = b;
    n._event_shape = [];
    n._validate_args = this._validate_args;
    return n;
  }

  override sample(sample_shape: SampleShape = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return no_grad(() => bernoulli(this.probs.expand(shape)));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [logits, v] = broadcast_all(this.logits, value);
    return binary_cross_entropy_with_logits(logits, v, { reduction: 'none' }).neg();
  }
  override entropy(): Tensor {
    return binary_cross_entropy_with_logits(this.logits, this.probs, { reduction: 'none' });
  }
  override enumerate_support(expand = true): Tensor {
    let values = arange(2, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([-1, ...this._batch_shape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batch_shape]);
    return values;
  }
}
