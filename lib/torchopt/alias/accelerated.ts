// The fused Adam scaler, loaded on first use (it needs the addon's fused kernels).
import type { scale_by_adam } from '../transform/scale_by_adam';

export function accelerated_adam_scaler(): typeof scale_by_adam {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('../transform/scale_by_accelerated_adam').scale_by_accelerated_adam;
}
