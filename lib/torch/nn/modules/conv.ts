// Conv1d, Conv2d, ConvTranspose2d.
import { Tensor } from '../../tensor';
import { empty } from '../../creation';
import { Module } from '../module';
import { kw } from '../../ops/util';
import { Parameter } from '../parameter';
import * as F from '../functional';
import * as init from '../init';
import { FactoryKwargs } from './linear';

type Pair = number | [number, number];
const pair = (x: Pair): [number, number] => (typeof x === 'number' ? [x, x] : x);

export type ConvOpts = { stride?: Pair; padding?: Pair | 'same' | 'valid'; dilation?: Pair; groups?: number; bias?: boolean } & FactoryKwargs;

abstract class ConvNd extends Module {
  declare weight: Tensor;
  declare bias: Tensor | null;
  protected resetConv(): void {
    // Python's _ConvNd.reset_parameters.
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }
}

export class Conv2d extends ConvNd {
  readonly kernel_size: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;
  constructor(readonly in_channels: number, readonly out_channels: number, kernel_size: Pair, opts?: ConvOpts) {
    super();
    kw(this.constructor.name, opts, ['stride', 'padding', 'dilation', 'groups', 'bias', 'device', 'dtype']);
    this.kernel_size = pair(kernel_size);
    this.stride = pair(opts?.stride ?? 1);
    const p = opts?.padding ?? 0;
    this.padding = typeof p === 'string' ? p : pair(p);
    this.dilation = pair(opts?.dilation ?? 1);
    this.groups = opts?.groups ?? 1;
    if (in_channels % this.groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (out_channels % this.groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    const f = { dtype: opts?.dtype, device: opts?.device };
    this.weight = new Parameter(empty([out_channels, in_channels / this.groups, ...this.kernel_size], f));
    if (opts?.bias ?? true) this.bias = new Parameter(empty([out_channels], f));
    else this.register_parameter('bias', null);
    this.resetConv();
  }
  override forward(input: Tensor): Tensor {
    return F.conv2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
  override extra_repr(): string {
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=(${this.kernel_size.join(', ')}), stride=(${this.stride.join(', ')})`;
    if (typeof this.padding === 'string' || this.padding.some((x) => x !== 0)) s += `, padding=${typeof this.padding === 'string' ? this.padding : `(${this.padding.join(', ')})`}`;
    if (this.dilation.some((x) => x !== 1)) s += `, dilation=(${this.dilation.join(', ')})`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

export class Conv1d extends ConvNd {
  constructor(readonly in_channels: number, readonly out_channels: number, readonly kernel_size: number, readonly opts?: { stride?: number; padding?: number; dilation?: number; groups?: number; bias?: boolean } & FactoryKwargs) {
    super();
    kw('Conv1d', opts, ['stride', 'padding', 'dilation', 'groups', 'bias', 'device', 'dtype']);
    const groups = opts?.groups ?? 1;
    const f = { dtype: opts?.dtype, device: opts?.device };
    this.weight = new Parameter(empty([out_channels, in_channels / groups, kernel_size], f));
    if (opts?.bias ?? true) this.bias = new Parameter(empty([out_channels], f));
    else this.register_parameter('bias', null);
    this.resetConv();
  }
  override forward(input: Tensor): Tensor {
    return F.conv1d(input, this.weight, this.bias, this.opts);
  }
  override extra_repr(): string {
    return `${this.in_channels}, ${this.out_channels}, kernel_size=(${this.kernel_size},), stride=(${this.opts?.stride ?? 1},)`;
  }
}

export class ConvTranspose2d extends ConvNd {
  readonly kernel_size: [number, number];
  constructor(readonly in_channels: number, readonly out_channels: number, kernel_size: Pair, readonly opts?: { stride?: Pair; padding?: Pair; output_padding?: Pair; groups?: number; bias?: boolean; dilation?: Pair } & FactoryKwargs) {
    super();
    kw('ConvTranspose2d', opts, ['stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation', 'device', 'dtype']);
    this.kernel_size = pair(kernel_size);
    const groups = opts?.groups ?? 1;
    const f = { dtype: opts?.dtype, device: opts?.device };
    this.weight = new Parameter(empty([in_channels, out_channels / groups, ...this.kernel_size], f));
    if (opts?.bias ?? true) this.bias = new Parameter(empty([out_channels], f));
    else this.register_parameter('bias', null);
    this.resetConv();
  }
  override forward(input: Tensor): Tensor {
    return F.conv_transpose2d(input, this.weight, this.bias, this.opts);
  }
}
