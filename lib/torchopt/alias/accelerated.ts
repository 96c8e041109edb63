// The fused Adam scaler (kept in its own module: it needs the addon's fused kernels).
export { scale_by_accelerated_adam as accelerated_adam_scaler_impl } from '../transform/scale_by_accelerated_adam';
import { scale_by_accelerated_adam } from '../transform/scale_by_accelerated_adam';
import type { scale_by_adam } from '../transform/scale_by_adam';

export function accelerated_adam_scaler(): typeof scale_by_adam {
  return scale_by_accelerated_adam;
}
