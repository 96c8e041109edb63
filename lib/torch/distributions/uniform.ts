// torch.distributions.Uniform.
import { Tensor } from '../tensor';
import { rand } from '../random';
import { Distribution, SampleShape } from './distribution';
import * as constraints from './constraints';
import { broadcast_all, TensorOrNumber } from './utils';
import { kw } from '../ops/util';

export class Uniform extends Distribution {
  static override has_rsample = true;
  low: Tensor;
  high: Tensor;
  override get arg_constraints() {
    return { low: constraints.dependent, high: constraints.dependent };
  }
  override get support(): constraints.Constraint {
    return constraints.interval(this.low, this.high);
  }
  override get mean(): Tensor {
    return this.high.add(this.low).div(2);
  }
  override get mode(): Tensor {
    return this.high.mul(NaN);
  }
  override get stddev(): Tensor {
    return this.high.sub(this.low).div(12 ** 0.5);
  }
  override get variance(): Tensor {
    return this.high.sub(this.low).pow(2).div(12);
  }

  constructor(low: TensorOrNumber, high: TensorOrNumber, validate_args?: boolean | null | { validate_args?: boolean | null }) {
    kw('Uniform', validate_args, ['validate_args']);
    const [lo, hi] = broadcast_all(low, high);
    const batch = typeof low === 'number' && typeof high === 'number' ? [] : lo.shape;
    super(batch, [], typeof validate_args === 'object' && validate_args !== null ? validate_args.validate_args : validate_args);
    this.low = lo;
    this.high = hi;
    this._check_args();
    if (this._validate_args && !lo.lt(hi).all().item()) throw new RangeError('Uniform is not defined when low>= high');
  }

  expand(batch_shape: SampleShape): Uniform {
    const n = Object.create(Uniform.prototype) as Uniform;
    n.low = this.low.expand([...batch_shape]);
    n.high = this.high.expand([...batch_shape]);
    n._batch_shape = [...batch_shape];
    n._event_shape = [];
    n._validate_args = this._validate_args;
    return n;
  }

  override rsample(sample_shape: SampleShape = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const r = rand(shape, { dtype: this.low.dtype, device: this.low.device });
    return this.low.add(r.mul(this.high.sub(this.low)));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const lb = this.low.le(value).type_as(this.low);
    const ub = this.high.gt(value).type_as(this.low);
    return lb.mul(ub).log().sub(this.high.sub(this.low).log());
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return value.sub(this.low).div(this.high.sub(this.low)).clamp(0, 1);
  }
  override icdf(value: Tensor): Tensor {
    return value.mul(this.high.sub(this.low)).add(this.low);
  }
  override entropy(): Tensor {
    return this.high.sub(this.low).log();
  }
}
