// BatchNorm1d/2d with Python's running-statistics rules, LayerNorm, GroupNorm.
import { Tensor } from '../../tensor';
import { empty, ones, tensor as mk, zeros } from '../../creation';
import { int64 } from '../../dtype';
import { no_grad } from '../../autograd/grad_mode';
import { Module } from '../module';
import { kw } from '../../ops/util';
import { Parameter } from '../parameter';
import * as F from '../functional';
import { FactoryKwargs } from './linear';
import { pyFloatRepr } from '../../extras';

export type BatchNormOpts = { eps?: number; momentum?: number | null; affine?: boolean; track_running_stats?: boolean } & FactoryKwargs;

abstract class BatchNormBase extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly track_running_stats: boolean;
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  constructor(readonly num_features: number, opts?: BatchNormOpts) {
    super();
    kw(this.constructor.name, opts, ['eps', 'momentum', 'affine', 'track_running_stats', 'device', 'dtype']);
    this.eps = opts?.eps ?? 1e-5;
    this.momentum = opts?.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts?.affine ?? true;
    this.track_running_stats = opts?.track_running_stats ?? true;
    const f = { dtype: opts?.dtype, device: opts?.device };
    if (this.affine) {
      this.weight = new Parameter(empty([num_features], f));
      this.bias = new Parameter(empty([num_features], f));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
    if (this.track_running_stats) {
      this.register_buffer('running_mean', zeros([num_features], f));
      this.register_buffer('running_var', ones([num_features], f));
      this.register_buffer('num_batches_tracked', mk(0n, { dtype: int64, device: opts?.device }));
    } else {
      this.register_buffer('running_mean', null);
      this.register_buffer('running_var', null);
      this.register_buffer('num_batches_tracked', null);
    }
    this.reset_parameters();
  }
  reset_running_stats(): void {
    if (this.track_running_stats) {
      no_grad(() => {
        this.running_mean!.zero_();
        this.running_var!.fill_(1);
        this.num_batches_tracked!.zero_();
      });
    }
  }
  reset_parameters(): void {
    this.reset_running_stats();
    if (this.affine) {
      no_grad(() => {
        this.weight!.fill_(1);
        this.bias!.zero_();
      });
    }
  }
  protected abstract check_input_dim(input: Tensor): void;
  override forward(input: Tensor): Tensor {
    this.check_input_dim(input);
    // Python's _BatchNorm.forward.
    let eaf = this.momentum === null ? 0.0 : this.momentum;
    if (this.training && this.track_running_stats && this.num_batches_tracked !== null) {
      no_grad(() => this.num_batches_tracked!.add_(1));
      eaf = this.momentum === null ? 1.0 / this.num_batches_tracked.item() : this.momentum;
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useRunning = !this.training || this.track_running_stats;
    return F.batch_norm(input, useRunning ? this.running_mean : null, useRunning ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: bnTraining,
      momentum: eaf,
      eps: this.eps,
    });
  }
  override extra_repr(): string {
    return `${this.num_features}, eps=${pyFloatRepr(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloatRepr(this.momentum)}, affine=${this.affine ? 'True' : 'False'}, track_running_stats=${this.track_running_stats ? 'True' : 'False'}`;
  }
}

export class BatchNorm1d extends BatchNormBase {
  protected check_input_dim(input: Tensor): void {
    if (input.dim() !== 2 && input.dim() !== 3) throw new RangeError(`expected 2D or 3D input (got ${input.dim()}D input)`);
  }
}
export class BatchNorm2d extends BatchNormBase {
  protected check_input_dim(input: Tensor): void {
    if (input.dim() !== 4) throw new RangeError(`expected 4D input (got ${input.dim()}D input)`);
  }
}

export class LayerNorm extends Module {
  readonly normalized_shape: number[];
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  constructor(normalized_shape: number | number[], readonly opts?: { eps?: number; elementwise_affine?: boolean } & FactoryKwargs) {
    super();
    kw('LayerNorm', opts, ['eps', 'elementwise_affine', 'device', 'dtype']);
    this.normalized_shape = typeof normalized_shape === 'number' ? [normalized_shape] : normalized_shape;
    const f = { dtype: opts?.dtype, device: opts?.device };
    if (opts?.elementwise_affine ?? true) {
      this.weight = new Parameter(ones(this.normalized_shape, f));
      this.bias = new Parameter(zeros(this.normalized_shape, f));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
  }
  override forward(input: Tensor): Tensor {
    return F.layer_norm(input, this.normalized_shape, this.weight, this.bias, this.opts?.eps ?? 1e-5);
  }
}

export class GroupNorm extends Module {
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  constructor(readonly num_groups: number, readonly num_channels: number, readonly opts?: { eps?: number; affine?: boolean } & FactoryKwargs) {
    super();
    kw('GroupNorm', opts, ['eps', 'affine', 'device', 'dtype']);
    const f = { dtype: opts?.dtype, device: opts?.device };
    if (opts?.affine ?? true) {
      this.weight = new Parameter(ones([num_channels], f));
      this.bias = new Parameter(zeros([num_channels], f));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
  }
  override forward(input: Tensor): Tensor {
    return F.group_norm(input, this.num_groups, this.weight, this.bias, this.opts?.eps ?? 1e-5);
  }
}
