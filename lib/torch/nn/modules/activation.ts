// Activation modules.
import { Tensor } from '../../tensor';
import { full } from '../../creation';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as F from '../functional';

export class ReLU extends Module {
  constructor(readonly inplace = false) {
    super();
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
  constructor(readonly negative_slope = 0.01, readonly inplace = false) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.leaky_relu(x, this.negative_slope, this.inplace);
  }
  override extra_repr(): string {
    return `negative_slope=${this.negative_slope}`;
  }
}
export class ELU extends Module {
  constructor(readonly alpha = 1.0) {
    super();
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
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
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
  constructor(readonly beta = 1, readonly threshold = 20) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.softplus(x, this.beta, this.threshold);
  }
}
export class Hardtanh extends Module {
  constructor(readonly min_val = -1, readonly max_val = 1) {
    super();
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
  constructor(readonly dim: number | null = null) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim ?? undefined);
  }
  override extra_repr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
export class LogSoftmax extends Module {
  constructor(readonly dim: number | null = null) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.log_softmax(x, this.dim ?? undefined);
  }
  override extra_repr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
export class Softmin extends Module {
  constructor(readonly dim: number | null = null) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.softmin(x, this.dim ?? undefined);
  }
}
export class PReLU extends Module {
  declare weight: Tensor;
  constructor(num_parameters = 1, init = 0.25) {
    super();
    this.weight = new Parameter(full([num_parameters], init));
  }
  override forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }
}
