// The meta-optimizers: each wraps its alias with TorchOpt's defaults (moment_requires_grad
// defaults to true, except MetaAdamW, where TorchOpt defaults it to false).
import { nn } from '../../../torch';
import { adadelta, adagrad, adam, adamax, adamw, radam, rmsprop, sgd } from '../../alias';
import type { AdaDeltaOpts, AdaGradOpts, AdaMaxOpts, AdamOpts, AdamWOpts, RAdamOpts, RMSPropOpts, SGDOpts } from '../../alias';
import { ScalarOrSchedule } from '../../typing';
import { MetaOptimizer } from './base';

export class MetaSGD extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule, opts: SGDOpts = {}) {
    super(module, sgd(lr, { moment_requires_grad: true, ...opts }));
  }
}
export class MetaAdam extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule = 1e-3, opts: AdamOpts = {}) {
    super(module, adam(lr, { moment_requires_grad: true, ...opts }));
  }
}
export class MetaAdamW extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule = 1e-3, opts: AdamWOpts = {}) {
    super(module, adamw(lr, { moment_requires_grad: false, ...opts }));
  }
}
export class MetaAdaGrad extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule = 1e-2, opts: AdaGradOpts = {}) {
    super(module, adagrad(lr, opts));
  }
}
export class MetaAdaDelta extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule = 1.0, opts: AdaDeltaOpts = {}) {
    super(module, adadelta(lr, { moment_requires_grad: true, ...opts }));
  }
}
export class MetaAdaMax extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule = 2e-3, opts: AdaMaxOpts = {}) {
    super(module, adamax(lr, { eps: 1e-8, moment_requires_grad: true, ...opts }));
  }
}
export class MetaRAdam extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule = 1e-3, opts: RAdamOpts = {}) {
    super(module, radam(lr, { eps: 1e-8, moment_requires_grad: true, ...opts }));
  }
}
export class MetaRMSProp extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule = 1e-2, opts: RMSPropOpts = {}) {
    super(module, rmsprop(lr, opts));
  }
}
export { MetaAdaGrad as MetaAdagrad, MetaAdaDelta as MetaAdadelta, MetaAdaMax as MetaAdamax, MetaRMSProp as MetaRMSprop };
