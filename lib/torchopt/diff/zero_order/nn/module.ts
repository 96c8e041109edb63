// ZeroOrderGradientModule: a module whose parameters get zero-order (ES) gradients
// through forward(); subclasses define forward() and sample(shape), and set the static
// options (Python's class keywords method, num_samples, sigma).
import { nn, Tensor } from '../../../../torch';
import { reparametrize } from '../../../nn/stateless';
import { Method, zero_order } from '../decorator';

export abstract class ZeroOrderGradientModule extends nn.Module {
  static method: Method = 'naive';
  static num_samples = 1;
  static sigma = 1.0;

  constructor() {
    super();
    const cls = new.target as typeof ZeroOrderGradientModule;
    const userForward = cls.prototype.forward;
    const wrapped = function (this: ZeroOrderGradientModule, ...input: unknown[]): Tensor {
      const named = this.named_parameters();
      if (named.length === 0) throw new Error('The module has no parameters.');
      const names = named.map(([n]) => n);
      const fn = zero_order((shape: number[]) => this.sample(shape), { argnums: 0, method: cls.method, num_samples: cls.num_samples, sigma: cls.sigma })(
        (flat: Tensor[], ...rest: unknown[]) => reparametrize(this, names.map((n, i) => [n, flat[i]] as [string, Tensor]), () => userForward.call(this, ...rest)),
      );
      return fn(named.map(([, p]) => p), ...input);
    };
    Object.defineProperty(this, 'forward', { value: wrapped, writable: true, configurable: true, enumerable: false });
  }

  abstract override forward(...args: unknown[]): Tensor;
  abstract sample(sample_shape?: number[]): Tensor | number;
}
