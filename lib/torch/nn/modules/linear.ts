// Linear, Bilinear, Identity, Flatten, Unflatten.
import { Tensor } from '../../tensor';
import { empty } from '../../creation';
import { dtype } from '../../dtype';
import { DeviceLike } from '../../device';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as F from '../functional';
import { kw, kwargs, KW } from '../../ops/util';
import * as init from '../init';

export type FactoryKwargs = { device?: DeviceLike; dtype?: dtype };

export class Identity extends Module {
  override forward(input: Tensor): Tensor {
    return input;
  }
}

export class Linear extends Module {
  declare weight: Tensor;
  declare bias: Tensor | null;
  constructor(
    readonly in_features: number,
    readonly out_features: number,
    opts?: { bias?: boolean } & FactoryKwargs,
  ) {
    super();
    kw('Linear', opts, ['bias', 'device', 'dtype']);
    const f = { dtype: opts?.dtype, device: opts?.device };
    this.weight = new Parameter(empty([out_features, in_features], f));
    if (opts?.bias ?? true) this.bias = new Parameter(empty([out_features], f));
    else this.register_parameter('bias', null);
    this.reset_parameters();
  }
  reset_parameters(): void {
    // Same draws as Python: kaiming_uniform_(weight, a=sqrt(5)), then uniform_ on bias.
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }
  override forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }
  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

export class Bilinear extends Module {
  declare weight: Tensor;
  declare bias: Tensor | null;
  constructor(readonly in1_features: number, readonly in2_features: number, readonly out_features: number, opts?: { bias?: boolean } & FactoryKwargs) {
    super();
    kw('Bilinear', opts, ['bias', 'device', 'dtype']);
    const f = { dtype: opts?.dtype, device: opts?.device };
    this.weight = new Parameter(empty([out_features, in1_features, in2_features], f));
    if (opts?.bias ?? true) this.bias = new Parameter(empty([out_features], f));
    else this.register_parameter('bias', null);
    const bound = 1 / Math.sqrt(in1_features);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias !== null) init.uniform_(this.bias, -bound, bound);
  }
  override forward(a: Tensor, b: Tensor): Tensor {
    return F.bilinear(a, b, this.weight, this.bias);
  }
}

export class Flatten extends Module {
  readonly start_dim: number;
  readonly end_dim: number;
  constructor(...args: KW<[start_dim: number | undefined, end_dim: number | undefined], { start_dim?: number; end_dim?: number }>) {
    super();
    const [start_dim = 1, end_dim = -1] = kwargs('Flatten', args, ['start_dim', 'end_dim']) as [number?, number?];
    this.start_dim = start_dim;
    this.end_dim = end_dim;
  }
  override forward(input: Tensor): Tensor {
    return input.flatten(this.start_dim, this.end_dim);
  }
  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}

export class Unflatten extends Module {
  constructor(readonly dim: number, readonly unflattened_size: number[]) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input.unflatten(this.dim, this.unflattened_size);
  }
}
