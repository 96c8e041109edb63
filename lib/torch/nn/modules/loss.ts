// Loss modules.
import { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';

type Reduction = 'mean' | 'sum' | 'none';

abstract class Loss extends Module {
  constructor(readonly reduction: Reduction = 'mean') {
    super();
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
  constructor(readonly reduction: Reduction = 'mean', readonly beta = 1.0) {
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smooth_l1_loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
export class HuberLoss extends Module {
  constructor(readonly reduction: Reduction = 'mean', readonly delta = 1.0) {
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huber_loss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
export class CrossEntropyLoss extends Module {
  constructor(readonly opts: { weight?: Tensor | null; ignore_index?: number; reduction?: Reduction; label_smoothing?: number } = {}) {
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.cross_entropy(input, target, this.opts);
  }
}
export class NLLLoss extends Module {
  constructor(readonly opts: { weight?: Tensor | null; ignore_index?: number; reduction?: Reduction } = {}) {
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nll_loss(input, target, this.opts);
  }
}
export class BCELoss extends Module {
  constructor(readonly opts: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy(input, target, this.opts);
  }
}
export class BCEWithLogitsLoss extends Module {
  constructor(readonly opts: { weight?: Tensor | null; pos_weight?: Tensor | null; reduction?: Reduction } = {}) {
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy_with_logits(input, target, this.opts);
  }
}
export class KLDivLoss extends Module {
  constructor(readonly opts: { reduction?: Reduction | 'batchmean'; log_target?: boolean } = {}) {
    super();
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.kl_div(input, target, this.opts);
  }
}
