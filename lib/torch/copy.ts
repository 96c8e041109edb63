// Python's `copy` module for tensors, modules and trees of them:
//
//   import { copy } from 'torchopt-node';
//   const clone = copy.deepcopy(model);                                  // new module, new tensors
//   const shell = copy.deepcopy(model, new Map(model.parameters().map((p) => [p, p])));  // shared tensors
//
// deepcopy follows Python's rules:
//  * a value found in `memo` (a Map from original to copy) is returned as is (so a memo that
//    maps every tensor to itself copies the structure and shares the tensors);
//  * a Parameter becomes a new Parameter(p.data.clone(), p.requires_grad) (no .grad);
//  * a plain tensor is cloned without history, keeps requires_grad, and its .grad is
//    deep-copied; a non-leaf tensor raises "Only Tensors created explicitly by the user
//    (graph leaves) support the deepcopy protocol at the moment";
//  * a Module becomes a new module of the same class (its constructor is not run), with
//    every attribute, parameter, buffer and submodule deep-copied;
//  * arrays, plain objects, Maps, Sets, typed arrays and class instances are copied
//    recursively; functions, symbols and frozen objects (dtypes, devices) are shared;
//  * an object with a `__deepcopy__(memo)` method copies itself.
// Shared references and cycles are preserved through the memo.
import { N } from '../native';
import { Tensor } from './tensor';
import { no_grad } from './autograd/grad_mode';
import { Module, _rawModule } from './nn/module';
import { Parameter } from './nn/parameter';

export type Memo = Map<unknown, unknown>;

// JS wrappers are not unique per tensor (t.grad, t.data, ... return new wrapper objects),
// while Python keeps one object per tensor. So a tensor missing from the memo by identity
// is also looked up by the tensor it wraps (TensorImpl identity).
type ImplIndex = { size: number; byImpl: Map<number, unknown> };
const indexes = new WeakMap<Memo, ImplIndex>();
function memoSet(memo: Memo, k: unknown, v: unknown): void {
  memo.set(k, v);
  // Keep the index in step when it was current before this entry (else the next lookup rebuilds it).
  const ix = indexes.get(memo);
  if (ix !== undefined && ix.size === memo.size - 1) {
    if (k instanceof Tensor) ix.byImpl.set(N.impl_id(k._h), v);
    ix.size = memo.size;
  }
}
function memoLookupTensor(memo: Memo, t: Tensor): { hit: boolean; value?: unknown } {
  let ix = indexes.get(memo);
  if (ix === undefined || ix.size !== memo.size) {
    ix = { size: memo.size, byImpl: new Map() };
    for (const [k, v] of memo) if (k instanceof Tensor && !k.is_disposed) ix.byImpl.set(N.impl_id(k._h), v);
    indexes.set(memo, ix);
  }
  if (ix.byImpl.size === 0) return { hit: false };
  const id = N.impl_id(t._h);
  return ix.byImpl.has(id) ? { hit: true, value: ix.byImpl.get(id) } : { hit: false };
}

const NON_LEAF_MSG = 'Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment';

function copyTensor(t: Tensor, memo: Memo): Tensor {
  if (t.is_disposed) throw new Error('deepcopy(): a Tensor was used after dispose()');
  if (!t.is_leaf) throw new Error(NON_LEAF_MSG);
  if (t instanceof Parameter) {
    const p = new Parameter(no_grad(() => t.data.clone()), t.requires_grad);
    if (Object.getPrototypeOf(t) !== Parameter.prototype) Object.setPrototypeOf(p, Object.getPrototypeOf(t));
    memoSet(memo, t, p);
    copyOwnExtras(t, p, memo);
    return p;
  }
  const c = no_grad(() => t.detach().clone());
  if (Object.getPrototypeOf(t) !== Tensor.prototype) Object.setPrototypeOf(c, Object.getPrototypeOf(t));
  if (t.requires_grad) c.requires_grad_(true);
  memoSet(memo, t, c);
  const g = t.grad;
  if (g !== null) c.grad = deepcopy(g, memo);
  copyOwnExtras(t, c, memo);
  return c;
}

// Copies src's own properties onto dst (Python's __dict__), data values passed through
// `each`; accessors are copied as they are.
function copyOwnProps(src: object, dst: object, each: (v: unknown) => unknown, skip?: (k: PropertyKey) => boolean): void {
  for (const k of Reflect.ownKeys(src)) {
    if (skip !== undefined && skip(k)) continue;
    const d = Reflect.getOwnPropertyDescriptor(src, k);
    if (d === undefined) continue;
    if ('value' in d) d.value = each(d.value);
    Object.defineProperty(dst, k, d);
  }
}

// Attributes a user set on a tensor object.
function copyOwnExtras(src: Tensor, dst: Tensor, memo: Memo): void {
  copyOwnProps(src, dst, (v) => deepcopy(v, memo), (k) => k === '_h');
}

// Module internals that _create makes afresh and copyModuleWith fills in explicitly.
const SKIP = new Set<PropertyKey>(['_proxy', '_parameters', '_buffers', '_modules', '_non_persistent_buffers_set', '_forward_hooks', '_forward_pre_hooks', 'training']);

function mapValues<V>(src: Map<string, V>, each: (v: unknown) => unknown): Map<string, V> {
  const out = new Map<string, V>();
  for (const [k, v] of src) out.set(k, each(v) as V);
  return out;
}

/**
 * A new module of m's class (its constructor not run) holding `each(value)` for every
 * parameter, buffer, submodule and attribute of m: deepcopy for deepcopy(), the value
 * itself for copy().
 */
function copyModuleWith(m: Module, each: (v: unknown) => unknown, memo?: Memo): Module {
  const out = Module._create(Object.getPrototypeOf(m) as Module);
  if (memo !== undefined) memoSet(memo, m, out);
  // The containers first, so that attribute routing on `out` sees them.
  out._parameters = mapValues(m._parameters, each);
  out._buffers = mapValues(m._buffers, each);
  out._modules = mapValues(m._modules, each);
  out._non_persistent_buffers_set = new Set(m._non_persistent_buffers_set);
  out._forward_hooks = new Map(m._forward_hooks);
  out._forward_pre_hooks = new Map(m._forward_pre_hooks);
  out.training = m.training;
  // Other attributes go straight onto the raw object, without attribute routing (as
  // Python restores __dict__ without __setattr__).
  copyOwnProps(m, _rawModule(out), each, (k) => SKIP.has(k));
  return out;
}

function copyObject(x: object, memo: Memo): unknown {
  if (Array.isArray(x)) {
    const out: unknown[] = new Array(x.length);
    memoSet(memo, x, out);
    for (let i = 0; i < x.length; i++) out[i] = deepcopy(x[i], memo);
    // Extra own properties (e.g. namedtuple fields) are copied as well.
    copyOwnProps(x, out, (v) => deepcopy(v, memo), (k) => k === 'length' || (typeof k === 'string' && /^\d+$/.test(k)));
    if (Object.getPrototypeOf(x) !== Array.prototype) Object.setPrototypeOf(out, Object.getPrototypeOf(x));
    if (Object.isFrozen(x)) Object.freeze(out);
    return out;
  }
  if (x instanceof Map) {
    const out = new Map();
    memoSet(memo, x, out);
    for (const [k, v] of x) out.set(deepcopy(k, memo), deepcopy(v, memo));
    if (Object.getPrototypeOf(x) !== Map.prototype) Object.setPrototypeOf(out, Object.getPrototypeOf(x));
    return out;
  }
  if (x instanceof Set) {
    const out = new Set();
    memoSet(memo, x, out);
    for (const v of x) out.add(deepcopy(v, memo));
    if (Object.getPrototypeOf(x) !== Set.prototype) Object.setPrototypeOf(out, Object.getPrototypeOf(x));
    return out;
  }
  if (ArrayBuffer.isView(x)) {
    const out = x instanceof DataView ? new DataView(x.buffer.slice(0)) : (x as unknown as { slice(): unknown }).slice();
    memoSet(memo, x, out);
    return out;
  }
  if (x instanceof ArrayBuffer) {
    const out = x.slice(0);
    memoSet(memo, x, out);
    return out;
  }
  if (x instanceof Date) {
    const out = new Date(x.getTime());
    memoSet(memo, x, out);
    return out;
  }
  if (x instanceof RegExp || x instanceof WeakMap || x instanceof WeakSet || x instanceof Promise || Object.isFrozen(x)) return x;
  // Plain objects and class instances: same prototype, own properties deep-copied.
  const out = Object.create(Object.getPrototypeOf(x));
  memoSet(memo, x, out);
  copyOwnProps(x, out, (v) => deepcopy(v, memo));
  if (Object.isSealed(x)) Object.seal(out);
  return out;
}

/**
 * Python's copy.deepcopy(x, memo): `deepcopy(x)`, `deepcopy(x, {memo})` or
 * `deepcopy(x, memo)`, where memo is a Map from originals to their copies (it is filled
 * in as the copy proceeds, as Python's dict is).
 */
export function deepcopy<T>(x: T, memo?: Memo | { memo?: Memo | null } | null): T {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return x;
  if (typeof x === 'function' && !((x as unknown) instanceof Module)) return x;
  const m: Memo = memo instanceof Map ? memo : (memo?.memo ?? new Map<unknown, unknown>());
  if (m.has(x)) return m.get(x) as T;
  if (x instanceof Tensor && m.size > 0 && !x.is_disposed) {
    const r = memoLookupTensor(m, x);
    if (r.hit) return r.value as T;
  }
  const custom = (x as { __deepcopy__?: unknown }).__deepcopy__;
  if (typeof custom === 'function' && !(x instanceof Tensor) && !(x instanceof Module)) {
    const out = custom.call(x, m);
    memoSet(m, x, out);
    return out as T;
  }
  if (x instanceof Tensor) return copyTensor(x, m) as T;
  if (x instanceof Module) return copyModuleWith(x, (v) => deepcopy(v, m), m) as unknown as T;
  return copyObject(x as object, m) as T;
}

/**
 * Python's copy.copy(x): a shallow copy. Modules get new containers holding the same
 * tensors and submodules; tensors are returned as is (Python's copy.copy of a tensor
 * is a new tensor object on the same data, which here is `t.detach()`-like aliasing,
 * so sharing the object is the closest match).
 */
export function copy<T>(x: T): T {
  if (x instanceof Module) return _copyModule(x) as unknown as T;
  if (x === null || typeof x !== 'object') return x;
  if (x instanceof Tensor) return x;
  if (Array.isArray(x)) return [...x] as T;
  if (x instanceof Map) return new Map(x) as T;
  if (x instanceof Set) return new Set(x) as T;
  const out = Object.create(Object.getPrototypeOf(x));
  for (const k of Reflect.ownKeys(x)) Object.defineProperty(out, k, Object.getOwnPropertyDescriptor(x, k)!);
  return out;
}

/** @internal Shallow copy of a module (used by copy() for Module values). */
export function _copyModule(m: Module): Module {
  return copyModuleWith(m, (v) => v);
}
