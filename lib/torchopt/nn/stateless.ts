// swap_state / reparametrize: put tensors into a module's slots by dotted name.
import { nn, Tensor } from '../../torch';
import { checkKeys } from '../kwargs';

export const MISSING = Symbol('MISSING');
type Named = Record<string, Tensor | typeof MISSING> | Map<string, Tensor | typeof MISSING> | Iterable<[string, Tensor | typeof MISSING]>;

function entries(x: Named): [string, Tensor | typeof MISSING][] {
  if (x instanceof Map) return [...x.entries()];
  if (Symbol.iterator in (x as object)) return [...(x as Iterable<[string, Tensor]>)];
  return Object.entries(x as Record<string, Tensor>);
}

type AnyModule = nn.Module & { _meta_parameters?: Map<string, Tensor | null> };

/**
 * Sets `module.<path> = tensor` for each entry, writing straight into the parameter,
 * buffer or meta-parameter slot when one exists; returns the previous values.
 */
export function swap_state(module: nn.Module, named_tensors: Named, opts: { allow_missing?: boolean } = {}): Map<string, Tensor | typeof MISSING> {
  checkKeys('swap_state', opts, ['allow_missing']);
  const subs = new Map<string, AnyModule>([['', module]]);
  const getSub = (p: string): AnyModule => {
    let m = subs.get(p);
    if (m === undefined) {
      const i = p.lastIndexOf('.');
      const parent = i < 0 ? module : getSub(p.slice(0, i));
      m = (parent as unknown as Record<string, AnyModule>)[i < 0 ? p : p.slice(i + 1)];
      if (!(m instanceof nn.Module)) throw new RangeError(`${parent.constructor.name} has no submodule '${p}'`);
      subs.set(p, m);
    }
    return m;
  };
  const out = new Map<string, Tensor | typeof MISSING>();
  for (const [path, value] of entries(named_tensors)) {
    const i = path.lastIndexOf('.');
    const mod = getSub(i < 0 ? '' : path.slice(0, i));
    const attr = i < 0 ? path : path.slice(i + 1);
    const rec = mod as unknown as Record<string, unknown>;
    let orig: Tensor | typeof MISSING;
    if (attr in rec) orig = rec[attr] as Tensor;
    else if (opts.allow_missing) orig = MISSING;
    else throw new RangeError(`'${mod.constructor.name}' object has no attribute '${attr}'`);
    if (value === MISSING) delete rec[attr];
    else if (mod._parameters.has(attr)) mod._parameters.set(attr, value);
    else if (mod._buffers.has(attr)) mod._buffers.set(attr, value);
    else if (mod._meta_parameters?.has(attr)) mod._meta_parameters.set(attr, value);
    else rec[attr] = value;
    out.set(path, orig);
  }
  return out;
}

/** Python's `with reparametrize(module, named_tensors):` as a callback; restores on exit. */
export function reparametrize<T>(module: nn.Module, named_tensors: Named, fn: (m: nn.Module) => T, opts: { allow_missing?: boolean } = {}): T {
  checkKeys('reparametrize', opts, ['allow_missing']);
  let orig = new Map<string, Tensor | typeof MISSING>();
  try {
    orig = swap_state(module, named_tensors, opts);
    return fn(module);
  } finally {
    swap_state(module, orig, opts);
  }
}
export const reparameterize = reparametrize;
