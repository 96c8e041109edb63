// torchopt.accelerated_op.is_available: whether the fused ops run on the given devices.
//
// As in TorchOpt: one tiny AdamOp call per device (default cuda and cpu); false when
// CUDA is asked for but missing, or when any call fails. 'meta' is supported (true): the
// ops check and allocate meta tensors and compute nothing, like every meta op.
import { N } from '../../native';
import { cuda, DeviceLike, toDevice } from '../../torch/device';
import { ones } from '../../torch/creation';
import { AdamOp } from './adam_op';

export function is_available(devices?: DeviceLike | readonly DeviceLike[] | null): boolean {
  const list = devices === undefined || devices === null ? ['cuda', 'cpu'] : Array.isArray(devices) ? devices : [devices];
  const devs = list.map((d) => toDevice(d as DeviceLike));
  try {
    for (const d of devs) {
      if (d.type === 'cuda' && !(N.fused_cuda_built() && cuda.is_available())) return false;
      const t = ones([], { device: d });
      new AdamOp().call(t, t, t, 1);
    }
    return true;
  } catch {
    return false;
  }
}
