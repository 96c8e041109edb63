// Loss modules.
import { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import { kw, kwargs, KW } from '../../ops/util';

type Reduction = 'mean' | 'sum' | 'none';

abstract class Loss extends Module {
  readonly reduction: Reduction;
  constructor(...args: KW<[reduction: Reduction | undefined], { reduction?: Reduction }>) {
    super();
    const [reduction = 'mean'] = kwargs('Loss', args, ['reduction']) as [Reduction?];
    this.reduction = reduction;
  }
}
export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mse_loss(input, target, { reduction: this.reduction });
  }
}
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1_loss(input, target, { reduction: this.reduction });
  }
}
export class SmoothL1Loss extends Module {
  readonly reduction: Reduction;
  readonly beta: number;
  constructor(...args: KW<[reduction: Reduction | undefined, beta: number | undefined], { reduction?: Reduction; beta?: number }>) {
    super();
    const [reduction = 'mean', beta = 1.0] = kwargs('SmoothL1Loss', args, ['reduction', 'beta']) as [Reduction?, number?];
    this.reduction = reduction;
    this.beta = beta;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smooth_l1_loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
export class HuberLoss extends Module {
  readonly reduction: Reduction;
  readonly delta: number;
  constructor(...args: KW<[reduction: Reduction | undefined, delta: number | undefined], { reduction?: Reduction; delta?: number }>) {
    super();
    const [reduction = 'mean', delta = 1.0] = kwargs('HuberLoss', args, ['reduction', 'delta']) as [Reduction?, number?];
    this.reduction = reduction;
    this.delta = delta;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huber_loss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
export class CrossEntropyLoss extends Module {
  constructor(readonly opts: { weight?: Tensor | null; ignore_index?: number; reduction?: Reduction; label_smoothing?: number } = {}) {
    super();
    kw('CrossEntropyLoss', opts, ['weight', 'ignore_index', 'reduction', 'label_smoothing']);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.cross_entropy(input, target, this.opts);
  }
}
export class NLLLoss extends Module {
  constructor(readonly opts: { weight?: Tensor | null; ignore_index?: number; reduction?: Reduction } = {}) {
    super();
    kw('NLLLoss', opts, ['weight', 'ignore_index', 'reduction']);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nll_loss(input, target, this.opts);
  }
}
export class BCELoss extends Module {
  constructor(readonly opts: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    super();
    kw('BCELoss', opts, ['weight', 'reduction']);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy(input, target, this.opts);
  }
}
export class BCEWithLogitsLoss extends Module {
  constructor(readonly opts: { weight?: Tensor | null; pos_weight?: Tensor | null; reduction?: Reduction } = {}) {
    super();
    kw('BCEWithLogitsLoss', opts, ['weight', 'pos_weight', 'reduction']);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy_with_logits(input, target, this.opts);
  }
}
export class KLDivLoss extends Module {
  constructor(readonly opts: { reduction?: Reduction | 'batchmean'; log_target?: boolean } = {}) {
    super();
    kw('KLDivLoss', opts, ['reduction', 'log_target']);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.kl_div(input, target, this.opts);
  }
}
