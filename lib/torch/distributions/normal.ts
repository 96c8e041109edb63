// torch.distributions.Normal.
import { Tensor } from '../tensor';
import { normal } from '../random';
import { no_grad } from '../autograd/grad_mode';
import { Distribution, SampleShape } from './distribution';
import * as constraints from './constraints';
import { broadcast_all, TensorOrNumber, _standard_normal } from './utils';
import { kw } from '../ops/util';

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

export class Normal extends Distribution {
  static override has_rsample = true;
  loc: Tensor;
  scale: Tensor;
  override get arg_constraints() {
    return { loc: constraints.real, scale: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get stddev(): Tensor {
    return this.scale;
  }
  override get variance(): Tensor {
    return this.stddev.pow(2);
  }

  constructor(loc: TensorOrNumber, scale: TensorOrNumber, validate_args?: boolean | null | { validate_args?: boolean | null }) {
    kw('Normal', validate_args, ['validate_args']);
    const [l, s] = broadcast_all(loc, scale);
    const batch = typeof loc === 'number' && typeof scale === 'number' ? [] : l.shape;
    super(batch, [], typeof validate_args === 'object' && validate_args !== null ? validate_args.validate_args : validate_args);
    this.loc = l;
    this.scale = s;
    this._check_args();
  }

  expand(batch_shape: SampleShape): Normal {
    const n = Object.create(Normal.prototype) as Normal;
    n.loc = this.loc.expand([...batch_shape]);
    n.scale = this.scale.expand([...batch_shape]);
    n._batch_shape = [...batch_shape];
    n._event_shape = [];
    n._validate_args = this._validate_args;
    return n;
  }

  override sample(sample_shape: SampleShape = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return no_grad(() => normal(this.loc.expand(shape), this.scale.expand(shape)));
  }
  override rsample(sample_shape: SampleShape = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const eps = _standard_normal(shape, { dtype: this.loc.dtype, device: this.loc.device });
    return this.loc.add(eps.mul(this.scale));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const v = this.scale.pow(2);
    const logScale = this.scale.log();
    return value.sub(this.loc).pow(2).neg().div(v.mul(2)).sub(logScale).sub(LOG_SQRT_2PI);
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.sqrt(2)).erf().add(1).mul(0.5);
  }
  override icdf(value: Tensor): Tensor {
    return this.loc.add(this.scale.mul(value.mul(2).sub(1).erfinv()).mul(Math.sqrt(2)));
  }
  override entropy(): Tensor {
    return this.scale.log().add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }
}
