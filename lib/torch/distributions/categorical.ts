// torch.distributions.Categorical.
import { Tensor } from '../tensor';
import { multinomial } from '../random';
import { arange, full } from '../creation';
import { int64 } from '../dtype';
import { enable_grad } from '../autograd/grad_mode';
import { broadcast_tensors } from '../ops/shape';
import { finfo } from '../extras';
import { Distribution, SampleShape } from './distribution';
import * as constraints from './constraints';
import { logits_to_probs, probs_to_logits } from './utils';
import { kw } from '../ops/util';

export type CategoricalArgs = { probs?: Tensor | null; logits?: Tensor | null; validate_args?: boolean | null };

export class Categorical extends Distribution {
  static override has_enumerate_support = true;
  /** @internal */ _probs: Tensor | undefined;
  /** @internal */ _logits: Tensor | undefined;
  /** @internal */ _param: Tensor;
  /** @internal */ _num_events: number;

  override get arg_constraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.real_vector };
  }
  override get support(): constraints.Constraint {
    return constraints.integer_interval(0, this._num_events - 1);
  }

  /** new Categorical(probs) or new Categorical({probs}) / new Categorical({logits}). */
  constructor(probs?: Tensor | CategoricalArgs | null, logits?: Tensor | null, validate_args?: boolean | null) {
    let o: CategoricalArgs;
    if (probs !== null && probs !== undefined && !(probs instanceof Tensor)) {
      kw('Categorical', probs, ['probs', 'logits', 'validate_args']);
      o = probs;
    }
    else o = { probs: probs ?? null, logits: logits ?? null, validate_args };
    const hasP = o.probs !== null && o.probs !== undefined;
    const hasL = o.logits !== null && o.logits !== undefined;
    if (hasP === hasL) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
    let param: Tensor;
    if (hasP) {
      const p = o.probs as Tensor;
      if (p.dim() < 1) throw new RangeError('`probs` parameter must be at least one-dimensional.');
      param = p.div(p.sum(-1, true));
    } else {
      const l = o.logits as Tensor;
      if (l.dim() < 1) throw new RangeError('`logits` parameter must be at least one-dimensional.');
      param = l.sub(l.logsumexp(-1, true));
    }
    const shape = param.shape;
    super(param.dim() > 1 ? shape.slice(0, -1) : [], [], o.validate_args);
    if (hasP) this._probs = param;
    else this._logits = param;
    this._param = param;
    this._num_events = shape[shape.length - 1];
    this._check_args();
  }

  get probs(): Tensor {
    if (this._probs === undefined) this._probs = enable_grad(() => logits_to_probs(this._logits!));
    return this._probs;
  }
  get logits(): Tensor {
    if (this._logits === undefined) this._logits = enable_grad(() => probs_to_logits(this._probs!));
    return this._logits;
  }
  get param_shape(): number[] {
    return this._param.shape;
  }
  override get mean(): Tensor {
    return full(this._extended_shape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }
  override get mode(): Tensor {
    return this.probs.argmax(-1);
  }
  override get variance(): Tensor {
    return full(this._extended_shape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }

  expand(batch_shape: SampleShape): Categorical {
    const n = Object.create(Categorical.prototype) as Categorical;
    const pshape = [...batch_shape, this._num_events];
    if (this._probs !== undefined) n._probs = n._param = this._probs.expand(pshape);
    if (this._logits !== undefined) n._logits = n._param = this._logits.expand(pshape);
    n._num_events = this._num_events;
    n._batch_shape = [...batch_shape];
    n._event_shape = [];
    n._validate_args = this._validate_args;
    return n;
  }

  override sample(sample_shape: SampleShape = []): Tensor {
    let n = 1;
    for (const s of sample_shape) n *= s;
    const probs2d = this.probs.reshape(-1, this._num_events);
    const samples2d = multinomial(probs2d, n, true).T;
    return samples2d.reshape(this._extended_shape(sample_shape));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    let v = value.long().unsqueeze(-1);
    let logPmf: Tensor;
    [v, logPmf] = broadcast_tensors(v, this.logits);
    v = v.get('..., :1');
    return logPmf.gather(-1, v).squeeze(-1);
  }
  override entropy(): Tensor {
    const minReal = new finfo(this.logits.dtype).min;
    const logits = this.logits.clamp(minReal, null);
    return logits.mul(this.probs).sum(-1).neg();
  }
  override enumerate_support(expand = true): Tensor {
    let values = arange(this._num_events, { dtype: int64, device: this._param.device });
    values = values.view([-1, ...this._batch_shape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batch_shape]);
    return values;
  }
}
