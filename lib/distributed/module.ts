// Sending models. A module travels as its tensors plus the name (and arguments) of a
// registered builder; the receiving rank builds the module once per builder and loads
// the received tensors into it (serialize.ts). So `todist.module_clone(model, {by})`
// is Python's `torchopt.module_clone` for modules made by a registered builder: the
// structure comes from the builder (no deep copy of the object graph is needed) and the
// tensors are replicated by `by`:
//   'reference' | 'ref':  the same tensors (gradients reach them through the calls);
//   'copy' | 'clone':     clones that keep the graph (gradients reach the original);
//   'deepcopy' | 'deepclone': detached copies that require grad (gradients stop there).
// Other modules, meta-optimizers and tensor trees go to torchopt.module_clone.
import * as torch from '../torch';
import { CopyMode, ModuleState, extract_state_dict, module_clone as torchopt_module_clone, recover_state_dict } from '../torchopt/utils';
import type { DeviceLike } from '../torch';
import { build_module, module_tag, register_type } from './registry';
import { checkKeys } from '../torchopt/kwargs';

// States extracted by torchopt.extract_state_dict can be sent as they are.
register_type(ModuleState, 'ModuleState');

export function module_clone<T>(target: T, opts: { by?: CopyMode; detach_buffers?: boolean; device?: DeviceLike | null } = {}): T {
  checkKeys('module_clone', opts, ['by', 'detach_buffers', 'device']);
  if (target instanceof torch.nn.Module) {
    const tag = module_tag(target);
    if (tag !== null) {
      const clone = build_module(tag);
      const state = extract_state_dict(target, { by: opts.by ?? 'reference', with_buffers: true, detach_buffers: opts.detach_buffers ?? false, device: opts.device ?? null });
      recover_state_dict(clone, state);
      const src = target.modules();
      clone.modules().forEach((m, i) => {
        if (i < src.length) m.training = src[i].training;
      });
      return clone as T;
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return torchopt_module_clone(target as any, opts) as T;
}
