// The meta-optimizers: each wraps its alias with TorchOpt's defaults (moment_requires_grad
// defaults to true, except MetaAdamW, where TorchOpt defaults it to false).
import { nn } from '../../../torch';
import { adadelta, adagrad, adam, adamax, adamw, radam, rmsprop, sgd } from '../../alias';
import type { AdaDeltaOpts, AdaGradOpts, AdaMaxOpts, AdamOpts, AdamWOpts, RAdamOpts, RMSPropOpts, SGDOpts } from '../../alias';
import { ScalarOrSchedule } from '../../typing';
import { MetaOptimizer } from './base';
import { checkKeys, splitLr, WithLr, WithRequiredLr } from '../../alias/utils';
import { ADADELTAOPTS_KEYS } from '../../alias/adadelta';
import { ADAGRADOPTS_KEYS } from '../../alias/adagrad';
import { ADAMOPTS_KEYS } from '../../alias/adam';
import { ADAMAXOPTS_KEYS } from '../../alias/adamax';
import { ADAMWOPTS_KEYS } from '../../alias/adamw';
import { RADAMOPTS_KEYS } from '../../alias/radam';
import { RMSPROPOPTS_KEYS } from '../../alias/rmsprop';
import { SGDOPTS_KEYS } from '../../alias/sgd';

export class MetaSGD extends MetaOptimizer {
  constructor(module: nn.Module, lr: ScalarOrSchedule | WithRequiredLr<SGDOpts>, opts?: SGDOpts) {
    const [rate, o] = splitLr('MetaSGD', lr, opts, undefined);
    checkKeys('MetaSGD', o, SGDOPTS_KEYS);
    super(module, sgd(rate as ScalarOrSchedule, { moment_requires_grad: true, ...o }));
  }
}
export class MetaAdam extends MetaOptimizer {
  constructor(module: nn.Module, lr?: ScalarOrSchedule | WithLr<AdamOpts>, opts?: AdamOpts) {
    const [rate, o] = splitLr('MetaAdam', lr, opts, 1e-3);
    checkKeys('MetaAdam', o, ADAMOPTS_KEYS);
    super(module, adam(rate, { moment_requires_grad: true, ...o }));
  }
}
export class MetaAdamW extends MetaOptimizer {
  constructor(module: nn.Module, lr?: ScalarOrSchedule | WithLr<AdamWOpts>, opts?: AdamWOpts) {
    const [rate, o] = splitLr('MetaAdamW', lr, opts, 1e-3);
    checkKeys('MetaAdamW', o, ADAMWOPTS_KEYS);
    super(module, adamw(rate, { moment_requires_grad: false, ...o }));
  }
}
export class MetaAdaGrad extends MetaOptimizer {
  constructor(module: nn.Module, lr?: ScalarOrSchedule | WithLr<AdaGradOpts>, opts?: AdaGradOpts) {
    const [rate, o] = splitLr('MetaAdaGrad', lr, opts, 1e-2);
    checkKeys('MetaAdaGrad', o, ADAGRADOPTS_KEYS);
    super(module, adagrad(rate, o));
  }
}
export class MetaAdaDelta extends MetaOptimizer {
  constructor(module: nn.Module, lr?: ScalarOrSchedule | WithLr<AdaDeltaOpts>, opts?: AdaDeltaOpts) {
    const [rate, o] = splitLr('MetaAdaDelta', lr, opts, 1.0);
    checkKeys('MetaAdaDelta', o, ADADELTAOPTS_KEYS);
    super(module, adadelta(rate, { moment_requires_grad: true, ...o }));
  }
}
export class MetaAdaMax extends MetaOptimizer {
  constructor(module: nn.Module, lr?: ScalarOrSchedule | WithLr<AdaMaxOpts>, opts?: AdaMaxOpts) {
    const [rate, o] = splitLr('MetaAdaMax', lr, opts, 2e-3);
    checkKeys('MetaAdaMax', o, ADAMAXOPTS_KEYS);
    super(module, adamax(rate, { eps: 1e-8, moment_requires_grad: true, ...o }));
  }
}
export class MetaRAdam extends MetaOptimizer {
  constructor(module: nn.Module, lr?: ScalarOrSchedule | WithLr<RAdamOpts>, opts?: RAdamOpts) {
    const [rate, o] = splitLr('MetaRAdam', lr, opts, 1e-3);
    checkKeys('MetaRAdam', o, RADAMOPTS_KEYS);
    super(module, radam(rate, { eps: 1e-8, moment_requires_grad: true, ...o }));
  }
}
export class MetaRMSProp extends MetaOptimizer {
  constructor(module: nn.Module, lr?: ScalarOrSchedule | WithLr<RMSPropOpts>, opts?: RMSPropOpts) {
    const [rate, o] = splitLr('MetaRMSProp', lr, opts, 1e-2);
    checkKeys('MetaRMSProp', o, RMSPROPOPTS_KEYS);
    super(module, rmsprop(rate, o));
  }
}
export { MetaAdaGrad as MetaAdagrad, MetaAdaDelta as MetaAdadelta, MetaAdaMax as MetaAdamax, MetaRMSProp as MetaRMSprop };
