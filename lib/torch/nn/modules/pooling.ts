// Pooling and dropout modules.
import { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import { kwargs, KW } from '../../ops/util';

type Pair = number | [number, number];
const fmt = (x: Pair) => (typeof x === 'number' ? String(x) : `(${x.join(', ')})`);

export class MaxPool2d extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly return_indices: boolean;
  readonly ceil_mode: boolean;
  constructor(readonly kernel_size: Pair, ...args: KW<[stride: Pair | null | undefined, padding: Pair | undefined, dilation: Pair | undefined, return_indices: boolean | undefined, ceil_mode: boolean | undefined], { stride?: Pair | null; padding?: Pair; dilation?: Pair; return_indices?: boolean; ceil_mode?: boolean }>) {
    super();
    const [stride, padding = 0, dilation = 1, return_indices = false, ceil_mode = false] = kwargs('MaxPool2d', args, ['stride', 'padding', 'dilation', 'return_indices', 'ceil_mode']) as [(Pair | null)?, Pair?, Pair?, boolean?, boolean?];
    this.padding = padding;
    this.dilation = dilation;
    this.return_indices = return_indices;
    this.ceil_mode = ceil_mode;
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
  readonly stride: number | null;
  readonly padding: number;
  constructor(readonly kernel_size: number, ...args: KW<[stride: number | null | undefined, padding: number | undefined], { stride?: number | null; padding?: number }>) {
    super();
    const [stride = null, padding = 0] = kwargs('MaxPool1d', args, ['stride', 'padding']) as [(number | null)?, number?];
    this.stride = stride;
    this.padding = padding;
  }
  override forward(x: Tensor): Tensor {
    return F.max_pool1d(x, this.kernel_size, { stride: this.stride, padding: this.padding });
  }
}
export class AvgPool2d extends Module {
  readonly stride: Pair | null;
  readonly padding: Pair;
  constructor(readonly kernel_size: Pair, ...args: KW<[stride: Pair | null | undefined, padding: Pair | undefined], { stride?: Pair | null; padding?: Pair }>) {
    super();
    const [stride = null, padding = 0] = kwargs('AvgPool2d', args, ['stride', 'padding']) as [(Pair | null)?, Pair?];
    this.stride = stride;
    this.padding = padding;
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
  readonly p: number;
  readonly inplace: boolean;
  constructor(...args: KW<[p: number | undefined, inplace: boolean | undefined], { p?: number; inplace?: boolean }>) {
    super();
    const [p = 0.5, inplace = false] = kwargs('Dropout', args, ['p', 'inplace']) as [number?, boolean?];
    this.p = p;
    this.inplace = inplace;
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
