// State utilities for MAML-style loops: extract_state_dict / recover_state_dict,
// stop_gradient, module_detach_, module_clone, extract_module_containers.
import { namedtuple, tree_leaves, tree_map, tree_map_ } from '../pytree';
import { Tensor, nn } from '../torch';
import type { DeviceLike } from '../torch';
import { OptState, TensorTree } from './typing';
import { MetaOptimizer } from './optim/meta/base';
import { checkKeys } from './kwargs';

type Container = Map<string, Tensor | null>;

/** A module's parameters and buffers, one Map per (sub)module that has any. */
export class ModuleState extends namedtuple('ModuleState', ['params', 'buffers', 'visual_contents', 'detach_buffers'], { defaults: [null, false] }) {
  declare readonly params: Container[];
  declare readonly buffers: Container[];
  declare readonly visual_contents: Map<unknown, unknown> | null;
  declare readonly detach_buffers: boolean;
}

export type CopyMode = 'reference' | 'ref' | 'copy' | 'clone' | 'deepcopy' | 'deepclone';

function normalizeBy(by: CopyMode): 'reference' | 'copy' | 'deepcopy' {
  if (!['reference', 'copy', 'deepcopy', 'ref', 'clone', 'deepclone'].includes(by)) throw new RangeError(`by must be one of reference, copy, deepcopy, ref, clone, deepclone; got ${by}`);
  const b = by.replace('clone', 'copy');
  return (b === 'ref' ? 'reference' : b) as 'reference' | 'copy' | 'deepcopy';
}

function cloneDetach(device: DeviceLike | null) {
  return (t: Tensor): Tensor => {
    const c = device === null ? t.clone() : t.clone().to(device);
    if (t instanceof nn.Parameter) return new nn.Parameter(c.detach_(), t.requires_grad);
    return c.detach_().requires_grad_(t.requires_grad);
  };
}

function replicator(by: CopyMode, device: DeviceLike | null | undefined): (t: Tensor) => Tensor {
  const dev = device ?? null;
  const mode = normalizeBy(by);
  if (mode === 'reference') return dev === null ? (t) => t : (t) => t.to(dev);
  if (mode === 'copy') return dev === null ? (t) => t.clone() : (t) => t.clone().to(dev);
  return cloneDetach(dev);
}

/** The live parameter (and buffer) Maps of a module and its submodules, deduplicated. */
export function extract_module_containers(module: nn.Module, with_buffers = true): [Container[], Container[]] {
  if (!(module instanceof nn.Module)) throw new TypeError(`Unexpected class of ${module}`);
  const params: Container[] = [];
  const buffers: Container[] = [];
  for (const m of module.modules()) {
    if (m._parameters.size > 0) params.push(m._parameters);
    if (with_buffers && m._buffers.size > 0) buffers.push(m._buffers);
  }
  return [params, buffers];
}

export type ExtractOpts = { by?: CopyMode; device?: DeviceLike | null; with_buffers?: boolean; detach_buffers?: boolean; enable_visual?: boolean; visual_prefix?: string };

export function extract_state_dict(target: nn.Module, opts?: ExtractOpts): ModuleState;
export function extract_state_dict(target: MetaOptimizer, opts?: { by?: CopyMode; device?: DeviceLike | null }): OptState[];
export function extract_state_dict(target: nn.Module | MetaOptimizer, opts: ExtractOpts = {}): ModuleState | OptState[] {
  checkKeys('extract_state_dict', opts, target instanceof nn.Module ? ['by', 'device', 'with_buffers', 'detach_buffers', 'enable_visual', 'visual_prefix'] : ['by', 'device']);
  const replicate = replicator(opts.by ?? 'reference', opts.device);
  if (target instanceof nn.Module) {
    let visual: Map<unknown, unknown> | null = null;
    if (opts.enable_visual) {
      visual = new Map();
      for (const [k, v] of target.named_parameters()) {
        if (v.grad_fn !== null) visual.set(v.grad_fn, [(opts.visual_prefix ?? '') + k, v]);
        else visual.set(v, (opts.visual_prefix ?? '') + k);
      }
    }
    const bufFn = opts.detach_buffers ? cloneDetach(opts.device ?? null) : replicate;
    const copyMap = (fn: (t: Tensor) => Tensor) => (c: Container) => {
      const out: Container = new Map();
      for (const [k, v] of c) if (v instanceof Tensor) out.set(k, fn(v));
      return out;
    };
    const [params, buffers] = extract_module_containers(target, opts.with_buffers ?? true);
    return new ModuleState(params.map(copyMap(replicate)), buffers.map(copyMap(bufFn)), visual, opts.detach_buffers ?? false);
  }
  if (target instanceof MetaOptimizer) {
    return tree_map((t: unknown) => (t instanceof Tensor ? replicate(t) : t), target.state_dict());
  }
  throw new TypeError(`Unexpected class of ${target}`);
}

/** Writes a state back into the module's live containers (or the meta-optimizer's state). */
export function recover_state_dict(target: nn.Module | MetaOptimizer, state: ModuleState | readonly OptState[]): void {
  if (target instanceof nn.Module) {
    const s = state as ModuleState;
    let buffers = s.buffers;
    if (s.detach_buffers) buffers = tree_map(cloneDetach(null), buffers);
    const [pc, bc] = extract_module_containers(target, true);
    const update = (tgt: Container, src: Container) => {
      for (const [k, v] of src) tgt.set(k, v);
    };
    pc.forEach((c, i) => i < s.params.length && update(c, s.params[i]));
    bc.forEach((c, i) => i < buffers.length && update(c, buffers[i]));
  } else if (target instanceof MetaOptimizer) {
    target.load_state_dict(state as OptState[]);
  } else throw new TypeError(`Unexpected class of ${target}`);
}

/** Detaches every tensor of the target in place (they become leaves), keeping requires_grad. */
export function stop_gradient(target: ModuleState | nn.Module | MetaOptimizer | TensorTree): void {
  let tree: TensorTree;
  if (target instanceof ModuleState) tree = [target.params, target.buffers];
  else if (target instanceof nn.Module) tree = target.parameters();
  else if (target instanceof MetaOptimizer) tree = target.state_dict();
  else tree = target;
  tree_map_((t: unknown) => {
    if (t instanceof Tensor) {
      const rg = t.requires_grad;
      t.detach_().requires_grad_(rg);
    }
  }, tree);
}

export function module_detach_<T>(target: T): T {
  stop_gradient(target);
  return target;
}

type Cloneable = nn.Module | MetaOptimizer;

/**
 * A copy of a module or meta-optimizer whose structure is copied and whose tensors are
 * replicated by `by` (reference: shared, copy: clone with the graph link, deepcopy:
 * detached clones); for a tensor tree, the tree mapped by the same rule.
 */
export function module_clone<T extends Cloneable | TensorTree>(target: T, opts: { by?: CopyMode; detach_buffers?: boolean; device?: DeviceLike | null } = {}): T {
  checkKeys('module_clone', opts, ['by', 'detach_buffers', 'device']);
  const by = opts.by ?? 'reference';
  if (target instanceof nn.Module || target instanceof MetaOptimizer) {
    const containers = target instanceof nn.Module ? extract_module_containers(target, true) : target.state_dict();
    const memo = new Map<unknown, unknown>();
    for (const t of tree_leaves(containers)) memo.set(t, t);
    const cloned = structuralCopy(target, memo) as Cloneable;
    if (target instanceof nn.Module) {
      const state = extract_state_dict(target, { by, with_buffers: true, detach_buffers: opts.detach_buffers ?? false, device: opts.device });
      recover_state_dict(cloned, state);
    } else {
      recover_state_dict(cloned, extract_state_dict(target, { by, device: opts.device }));
    }
    return cloned as T;
  }
  const replicate = replicator(by, opts.device);
  return tree_map((t: unknown) => (t instanceof Tensor ? replicate(t) : t), target) as T;
}

// A deep copy of the object graph in which every object in `memo` maps to its value;
// provided by torch's copy module (copy.deepcopy semantics).
function structuralCopy(target: unknown, memo: Map<unknown, unknown>): unknown {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { deepcopy } = require('../torch/copy') as { deepcopy: (x: unknown, opts?: { memo?: Map<unknown, unknown> }) => unknown };
  return deepcopy(target, { memo });
}

