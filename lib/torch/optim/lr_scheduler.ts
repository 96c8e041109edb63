// torch.optim.lr_scheduler: LinearLR, StepLR, MultiStepLR, ExponentialLR, LambdaLR,
// with Python's recursive ("chainable") formulas.
import { Optimizer } from './optimizer';

export abstract class LRScheduler {
  last_epoch: number;
  base_lrs: number[];
  /** @internal */ _last_lr: number[] = [];
  /** @internal */ _step_count = 0;

  constructor(readonly optimizer: Optimizer, last_epoch = -1) {
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${optimizer} is not an Optimizer`);
    if (last_epoch === -1) {
      for (const g of optimizer.param_groups) if (g.initial_lr === undefined) g.initial_lr = g.lr;
    } else {
      optimizer.param_groups.forEach((g, i) => {
        if (g.initial_lr === undefined) throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    this.base_lrs = optimizer.param_groups.map((g) => g.initial_lr as number);
    this.last_epoch = last_epoch;
  }
  /** @internal Python's _initial_step: subclasses call it at the end of their constructor. */
  protected _initial_step(): void {
    this._step_count = 0;
    this.step();
  }
  abstract get_lr(): number[];
  get_last_lr(): number[] {
    return [...this._last_lr];
  }
  step(): void {
    this._step_count += 1;
    this.last_epoch += 1;
    const lrs = this.get_lr();
    this.optimizer.param_groups.forEach((g, i) => (g.lr = lrs[i]));
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr as number);
  }
  state_dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer' && typeof v !== 'function') out[k] = Array.isArray(v) ? [...v] : v;
    return out;
  }
  load_state_dict(state: Record<string, unknown>): void {
    Object.assign(this, state);
  }
}
export const _LRScheduler = LRScheduler;

export class LinearLR extends LRScheduler {
  readonly start_factor: number;
  readonly end_factor: number;
  readonly total_iters: number;
  constructor(optimizer: Optimizer, opts?: { start_factor?: number; end_factor?: number; total_iters?: number; last_epoch?: number }) {
    super(optimizer, opts?.last_epoch ?? -1);
    const start = opts?.start_factor ?? 1.0 / 3;
    const end = opts?.end_factor ?? 1.0;
    if (start > 1.0 || start <= 0) throw new RangeError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    if (end > 1.0 || end < 0) throw new RangeError('Ending multiplicative factor expected to be between 0 and 1.');
    this.start_factor = start;
    this.end_factor = end;
    this.total_iters = opts?.total_iters ?? 5;
    this._initial_step();
  }
  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    if (this.last_epoch === 0) return groups.map((g) => (g.lr as number) * this.start_factor);
    if (this.last_epoch > this.total_iters) return groups.map((g) => g.lr as number);
    return groups.map(
      (g) =>
        (g.lr as number) *
        (1.0 + (this.end_factor - this.start_factor) / (this.total_iters * this.start_factor + (this.last_epoch - 1) * (this.end_factor - this.start_factor))),
    );
  }
}

export class StepLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly step_size: number, readonly gamma = 0.1, last_epoch = -1) {
    super(optimizer, last_epoch);
    this._initial_step();
  }
  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return groups.map((g) => g.lr as number);
    return groups.map((g) => (g.lr as number) * this.gamma);
  }
}

export class MultiStepLR extends LRScheduler {
  readonly milestones: Map<number, number>;
  constructor(optimizer: Optimizer, milestones: readonly number[], readonly gamma = 0.1, last_epoch = -1) {
    super(optimizer, last_epoch);
    this.milestones = new Map();
    for (const m of [...milestones].sort((a, b) => a - b)) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this._initial_step();
  }
  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    const k = this.milestones.get(this.last_epoch);
    if (k === undefined) return groups.map((g) => g.lr as number);
    return groups.map((g) => (g.lr as number) * this.gamma ** k);
  }
}

export class ExponentialLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly gamma: number, last_epoch = -1) {
    super(optimizer, last_epoch);
    this._initial_step();
  }
  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    if (this.last_epoch === 0) return groups.map((g) => g.lr as number);
    return groups.map((g) => (g.lr as number) * this.gamma);
  }
}

export class LambdaLR extends LRScheduler {
  readonly lr_lambdas: ((epoch: number) => number)[];
  constructor(optimizer: Optimizer, lr_lambda: ((epoch: number) => number) | ((epoch: number) => number)[], last_epoch = -1) {
    super(optimizer, last_epoch);
    if (Array.isArray(lr_lambda)) {
      if (lr_lambda.length !== optimizer.param_groups.length) throw new RangeError(`Expected ${optimizer.param_groups.length} lr_lambdas, but got ${lr_lambda.length}`);
      this.lr_lambdas = [...lr_lambda];
    } else this.lr_lambdas = optimizer.param_groups.map(() => lr_lambda as (e: number) => number);
    this._initial_step();
  }
  get_lr(): number[] {
    return this.base_lrs.map((b, i) => b * this.lr_lambdas[i](this.last_epoch));
  }
}
