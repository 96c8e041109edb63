// The PyTorch-like optimizers: each wraps its alias with moment_requires_grad=false and
// TorchOpt's class-specific defaults (which differ from the aliases' in places:
// AdaDelta lr 1.0, AdaMax lr 2e-3 and eps 1e-8, RAdam eps 1e-8).
import { Tensor } from '../../torch';
import { adadelta, adagrad, adam, adamax, adamw, radam, rmsprop, sgd } from '../alias';
import type { AdaDeltaOpts, AdaGradOpts, AdaMaxOpts, AdamOpts, AdamWOpts, RAdamOpts, RMSPropOpts, SGDOpts } from '../alias';
import { Params, ScalarOrSchedule } from '../typing';
import { Optimizer } from './base';

type P = Iterable<Tensor> | Params;
type NoMRG<T> = Omit<T, 'moment_requires_grad'>;

export class SGD extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule, opts: NoMRG<SGDOpts> = {}) {
    super(params, sgd(lr, { ...opts, moment_requires_grad: false }));
  }
}
export class Adam extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule = 1e-3, opts: NoMRG<AdamOpts> = {}) {
    super(params, adam(lr, { ...opts, moment_requires_grad: false }));
  }
}
export class AdamW extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule = 1e-3, opts: NoMRG<AdamWOpts> = {}) {
    super(params, adamw(lr, { ...opts, moment_requires_grad: false }));
  }
}
export class AdaGrad extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule = 1e-2, opts: AdaGradOpts = {}) {
    super(params, adagrad(lr, opts));
  }
}
export class AdaDelta extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule = 1.0, opts: NoMRG<AdaDeltaOpts> = {}) {
    super(params, adadelta(lr, { ...opts, moment_requires_grad: false }));
  }
}
export class AdaMax extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule = 2e-3, opts: NoMRG<AdaMaxOpts> = {}) {
    super(params, adamax(lr, { eps: 1e-8, ...opts, moment_requires_grad: false }));
  }
}
export class RAdam extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule = 1e-3, opts: NoMRG<RAdamOpts> = {}) {
    super(params, radam(lr, { eps: 1e-8, ...opts, moment_requires_grad: false }));
  }
}
export class RMSProp extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule = 1e-2, opts: RMSPropOpts = {}) {
    super(params, rmsprop(lr, opts));
  }
}
export { AdaGrad as Adagrad, AdaDelta as Adadelta, AdaMax as Adamax, RMSProp as RMSprop };
