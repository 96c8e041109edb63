// Activation modules.
import { Tensor } from '../../tensor';
import { full } from '../../creation';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as F from '../functional';
import { kwargs, KW } from '../../ops/util';

export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(...args: KW<[inplace: boolean | undefined], { inplace?: boolean }>) {
    super();
    const [inplace = false] = kwargs('ReLU', args, ['inplace']) as [boolean?];
    this.inplace = inplace;
  }
  override forward(x: Tensor): Tensor {
    return F.relu(x, this.inplace);
  }
  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}
export class ReLU6 extends Module {
  override forward(x: Tensor): Tensor {
    return F.relu6(x);
  }
}
export class LeakyReLU extends Module {
  readonly negative_slope: number;
  readonly inplace: boolean;
  constructor(...args: KW<[negative_slope: number | undefined, inplace: boolean | undefined], { negative_slope?: number; inplace?: boolean }>) {
    super();
    const [negative_slope = 0.01, inplace = false] = kwargs('LeakyReLU', args, ['negative_slope', 'inplace']) as [number?, boolean?];
    this.negative_slope = negative_slope;
    this.inplace = inplace;
  }
  override forward(x: Tensor): Tensor {
    return F.leaky_relu(x, this.negative_slope, this.inplace);
  }
  override extra_repr(): string {
    return `negative_slope=${this.negative_slope}`;
  }
}
export class ELU extends Module {
  readonly alpha: number;
  constructor(...args: KW<[alpha: number | undefined], { alpha?: number }>) {
    super();
    const [alpha = 1.0] = kwargs('ELU', args, ['alpha']) as [number?];
    this.alpha = alpha;
  }
  override forward(x: Tensor): Tensor {
    return F.elu(x, this.alpha);
  }
}
export class SELU extends Module {
  override forward(x: Tensor): Tensor {
    return F.selu(x);
  }
}
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(...args: KW<[approximate: 'none' | 'tanh' | undefined], { approximate?: 'none' | 'tanh' }>) {
    super();
    const [approximate = 'none'] = kwargs('GELU', args, ['approximate']) as [('none' | 'tanh')?];
    this.approximate = approximate;
  }
  override forward(x: Tensor): Tensor {
    return F.gelu(x, { approximate: this.approximate });
  }
}
export class SiLU extends Module {
  override forward(x: Tensor): Tensor {
    return F.silu(x);
  }
}
export class Mish extends Module {
  override forward(x: Tensor): Tensor {
    return F.mish(x);
  }
}
export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}
export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return x.tanh();
  }
}
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(...args: KW<[beta: number | undefined, threshold: number | undefined], { beta?: number; threshold?: number }>) {
    super();
    const [beta = 1, threshold = 20] = kwargs('Softplus', args, ['beta', 'threshold']) as [number?, number?];
    this.beta = beta;
    this.threshold = threshold;
  }
  override forward(x: Tensor): Tensor {
    return F.softplus(x, this.beta, this.threshold);
  }
}
export class Hardtanh extends Module {
  readonly min_val: number;
  readonly max_val: number;
  constructor(...args: KW<[min_val: number | undefined, max_val: number | undefined], { min_val?: number; max_val?: number }>) {
    super();
    const [min_val = -1, max_val = 1] = kwargs('Hardtanh', args, ['min_val', 'max_val']) as [number?, number?];
    this.min_val = min_val;
    this.max_val = max_val;
  }
  override forward(x: Tensor): Tensor {
    return F.hardtanh(x, this.min_val, this.max_val);
  }
}
export class LogSigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return F.logsigmoid(x);
  }
}
export class Softmax extends Module {
  readonly dim: number | null;
  constructor(...args: KW<[dim: number | null | undefined], { dim?: number | null }>) {
    super();
    const [dim = null] = kwargs('Softmax', args, ['dim']) as [(number | null)?];
    this.dim = dim;
  }
  override forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim ?? undefined);
  }
  override extra_repr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(...args: KW<[dim: number | null | undefined], { dim?: number | null }>) {
    super();
    const [dim = null] = kwargs('LogSoftmax', args, ['dim']) as [(number | null)?];
    this.dim = dim;
  }
  override forward(x: Tensor): Tensor {
    return F.log_softmax(x, this.dim ?? undefined);
  }
  override extra_repr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
export class Softmin extends Module {
  readonly dim: number | null;
  constructor(...args: KW<[dim: number | null | undefined], { dim?: number | null }>) {
    super();
    const [dim = null] = kwargs('Softmin', args, ['dim']) as [(number | null)?];
    this.dim = dim;
  }
  override forward(x: Tensor): Tensor {
    return F.softmin(x, this.dim ?? undefined);
  }
}
export class PReLU extends Module {
  declare weight: Tensor;
  constructor(...args: KW<[num_parameters: number | undefined, init: number | undefined], { num_parameters?: number; init?: number }>) {
    super();
    const [num_parameters = 1, init = 0.25] = kwargs('PReLU', args, ['num_parameters', 'init']) as [number?, number?];
    this.weight = new Parameter(full([num_parameters], init));
  }
  override forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }
}
