// Pooling and dropout modules.
import { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';

type Pair = number | [number, number];
const fmt = (x: Pair) => (typeof x === 'number' ? String(x) : `(${x.join(', ')})`);

export class MaxPool2d extends Module {
  readonly stride: Pair;
  constructor(readonly kernel_size: Pair, stride?: Pair | null, readonly padding: Pair = 0, readonly dilation: Pair = 1, readonly return_indices = false, readonly ceil_mode = false) {
    super();
    this.stride = stride ?? kernel_size;
  }
  override forward(x: Tensor): Tensor | [Tensor, Tensor] {
    const o = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceil_mode: this.ceil_mode };
    return this.return_indices ? F.max_pool2d_with_indices(x, this.kernel_size, o) : F.max_pool2d(x, this.kernel_size, o);
  }
  override extra_repr(): string {
    return `kernel_size=${fmt(this.kernel_size)}, stride=${fmt(this.stride)}, padding=${fmt(this.padding)}, dilation=${fmt(this.dilation)}, ceil_mode=${this.ceil_mode ? 'True' : 'False'}`;
  }
}
export class MaxPool1d extends Module {
  constructor(readonly kernel_size: number, readonly stride: number | null = null, readonly padding = 0) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.max_pool1d(x, this.kernel_size, { stride: this.stride, padding: this.padding });
  }
}
export class AvgPool2d extends Module {
  constructor(readonly kernel_size: Pair, readonly stride: Pair | null = null, readonly padding: Pair = 0) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.avg_pool2d(x, this.kernel_size, { stride: this.stride, padding: this.padding });
  }
}
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly output_size: Pair) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.adaptive_avg_pool2d(x, this.output_size);
  }
}
export class AdaptiveMaxPool2d extends Module {
  constructor(readonly output_size: Pair) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.adaptive_max_pool2d(x, this.output_size);
  }
}

export class Dropout extends Module {
  constructor(readonly p = 0.5, readonly inplace = false) {
    super();
    if (p < 0 || p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override forward(x: Tensor): Tensor {
    return F.dropout(x, this.p, this.training, this.inplace);
  }
  override extra_repr(): string {
    return `p=${this.p}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}
export class Dropout2d extends Dropout {
  override forward(x: Tensor): Tensor {
    return F.dropout2d(x, this.p, this.training);
  }
}
export class AlphaDropout extends Dropout {
  override forward(x: Tensor): Tensor {
    return F.alpha_dropout(x, this.p, this.training);
  }
}
