// The PyTorch-like optimizers: each wraps its alias with moment_requires_grad=false and
// TorchOpt's class-specific defaults (which differ from the aliases' in places:
// AdaDelta lr 1.0, AdaMax lr 2e-3 and eps 1e-8, RAdam eps 1e-8).
import { Tensor } from '../../torch';
import { adadelta, adagrad, adam, adamax, adamw, radam, rmsprop, sgd } from '../alias';
import type { AdaDeltaOpts, AdaGradOpts, AdaMaxOpts, AdamOpts, AdamWOpts, RAdamOpts, RMSPropOpts, SGDOpts } from '../alias';
import { Params, ScalarOrSchedule } from '../typing';
import { Optimizer } from './base';
import { checkKeys, splitLr, WithLr, WithRequiredLr } from '../alias/utils';
import { ADADELTAOPTS_KEYS } from '../alias/adadelta';
import { ADAGRADOPTS_KEYS } from '../alias/adagrad';
import { ADAMOPTS_KEYS } from '../alias/adam';
import { ADAMAXOPTS_KEYS } from '../alias/adamax';
import { ADAMWOPTS_KEYS } from '../alias/adamw';
import { RADAMOPTS_KEYS } from '../alias/radam';
import { RMSPROPOPTS_KEYS } from '../alias/rmsprop';
import { SGDOPTS_KEYS } from '../alias/sgd';

type P = Iterable<Tensor> | Params;
type NoMRG<T> = Omit<T, 'moment_requires_grad'>;

export class SGD extends Optimizer {
  constructor(params: P, lr: ScalarOrSchedule | WithRequiredLr<NoMRG<SGDOpts>>, opts?: NoMRG<SGDOpts>) {
    const [rate, o] = splitLr('SGD', lr, opts, undefined);
    checkKeys('SGD', o, SGDOPTS_KEYS.filter((k) => k !== 'moment_requires_grad'));
    super(params, sgd(rate as ScalarOrSchedule, { ...o, moment_requires_grad: false }));
  }
}
export class Adam extends Optimizer {
  constructor(params: P, lr?: ScalarOrSchedule | WithLr<NoMRG<AdamOpts>>, opts?: NoMRG<AdamOpts>) {
    const [rate, o] = splitLr('Adam', lr, opts, 1e-3);
    checkKeys('Adam', o, ADAMOPTS_KEYS.filter((k) => k !== 'moment_requires_grad'));
    super(params, adam(rate, { ...o, moment_requires_grad: false }));
  }
}
export class AdamW extends Optimizer {
  constructor(params: P, lr?: ScalarOrSchedule | WithLr<NoMRG<AdamWOpts>>, opts?: NoMRG<AdamWOpts>) {
    const [rate, o] = splitLr('AdamW', lr, opts, 1e-3);
    checkKeys('AdamW', o, ADAMWOPTS_KEYS.filter((k) => k !== 'moment_requires_grad'));
    super(params, adamw(rate, { ...o, moment_requires_grad: false }));
  }
}
export class AdaGrad extends Optimizer {
  constructor(params: P, lr?: ScalarOrSchedule | WithLr<AdaGradOpts>, opts?: AdaGradOpts) {
    const [rate, o] = splitLr('AdaGrad', lr, opts, 1e-2);
    checkKeys('AdaGrad', o, ADAGRADOPTS_KEYS);
    super(params, adagrad(rate, o));
  }
}
export class AdaDelta extends Optimizer {
  constructor(params: P, lr?: ScalarOrSchedule | WithLr<NoMRG<AdaDeltaOpts>>, opts?: NoMRG<AdaDeltaOpts>) {
    const [rate, o] = splitLr('AdaDelta', lr, opts, 1.0);
    checkKeys('AdaDelta', o, ADADELTAOPTS_KEYS.filter((k) => k !== 'moment_requires_grad'));
    super(params, adadelta(rate, { ...o, moment_requires_grad: false }));
  }
}
export class AdaMax extends Optimizer {
  constructor(params: P, lr?: ScalarOrSchedule | WithLr<NoMRG<AdaMaxOpts>>, opts?: NoMRG<AdaMaxOpts>) {
    const [rate, o] = splitLr('AdaMax', lr, opts, 2e-3);
    checkKeys('AdaMax', o, ADAMAXOPTS_KEYS.filter((k) => k !== 'moment_requires_grad'));
    super(params, adamax(rate, { eps: 1e-8, ...o, moment_requires_grad: false }));
  }
}
export class RAdam extends Optimizer {
  constructor(params: P, lr?: ScalarOrSchedule | WithLr<NoMRG<RAdamOpts>>, opts?: NoMRG<RAdamOpts>) {
    const [rate, o] = splitLr('RAdam', lr, opts, 1e-3);
    checkKeys('RAdam', o, RADAMOPTS_KEYS.filter((k) => k !== 'moment_requires_grad'));
    super(params, radam(rate, { eps: 1e-8, ...o, moment_requires_grad: false }));
  }
}
export class RMSProp extends Optimizer {
  constructor(params: P, lr?: ScalarOrSchedule | WithLr<RMSPropOpts>, opts?: RMSPropOpts) {
    const [rate, o] = splitLr('RMSProp', lr, opts, 1e-2);
    checkKeys('RMSProp', o, RMSPROPOPTS_KEYS);
    super(params, rmsprop(rate, o));
  }
}
export { AdaGrad as Adagrad, AdaDelta as Adadelta, AdaMax as Adamax, RMSProp as RMSprop };
