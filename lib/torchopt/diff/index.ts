// torchopt.diff
import { zero_order as zeroOrder } from './zero_order/decorator';
import { ZeroOrderGradientModule } from './zero_order/nn/module';

export * as implicit from './implicit';
/** Callable like Python's module object: torchopt.diff.zero_order(distribution, opts)(fn),
 * with torchopt.diff.zero_order.zero_order and .ZeroOrderGradientModule as well. */
export const zero_order = Object.assign((...args: Parameters<typeof zeroOrder>) => zeroOrder(...args), {
  zero_order: zeroOrder,
  ZeroOrderGradientModule,
});
