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
  if (k instanceof Tensor) {
    const ix = indexes.get(memo);
    if (ix !== undefined && ix.size === memo.size - 1) {
      ix.byImpl.set(N.impl_id(k._h), v);
      ix.size = memo.size;
    }
  } else {
    const ix = indexes.get(memo);
    if (ix !== undefined && ix.size === memo.size - 1) ix.size = memo.size;
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

// Attributes a user set on a tensor object (Python's tensor.__dict__).
function copyOwnExtras(src: Tensor, dst: Tensor, memo: Memo): void {
  for (const k of Reflect.ownKeys(src)) {
    if (k === '_h') continue;
    const d = Object.getOwnPropertyDescriptor(src, k)!;
    if ('value' in d) d.value = deepcopy(d.value, memo);
    Object.defineProperty(dst, k, d);
  }
}

// Module internals that _create makes afresh and the copies fill in explicitly.
const SKIP = new Set<PropertyKey>(['_proxy', '_parameters', '_buffers', '_modules', '_non_persistent_buffers_set', '_forward_hooks', '_forward_pre_hooks', 'training']);

function copyModule(m: Module, memo: Memo): Module {
  const out = Module._create(Object.getPrototypeOf(m) as Module);
  memoSet(memo, m, out);
  // The containers first, so that attribute routing on `out` sees them.
  const params = new Map<string, Tensor | null>();
  for (const [k, v] of m._parameters) params.set(k, deepcopy(v, memo));
  const buffers = new Map<string, Tensor | null>();
  for (const [k, v] of m._buffers) buffers.set(k, deepcopy(v, memo));
  const modules = new Map<string, Module | null>();
  for (const [k, v] of m._modules) modules.set(k, deepcopy(v, memo));
  out._parameters = params;
  out._buffers = buffers;
  out._modules = modules;
  out._non_persistent_buffers_set = new Set(m._non_persistent_buffers_set);
  out._forward_hooks = new Map(m._forward_hooks);
  out._forward_pre_hooks = new Map(m._forward_pre_hooks);
  out.training = m.training;
  // Other attributes go straight onto the new object, without attribute routing (as
  // Python restores __dict__ without __setattr__).
  const raw = _rawModule(out);
  for (const k of Reflect.ownKeys(m)) {
    if (SKIP.has(k)) continue;
    const d = Reflect.getOwnPropertyDescriptor(m, k);
    if (d === undefined) continue;
    if ('value' in d) d.value = deepcopy(d.value, memo);
    Reflect.defineProperty(raw, k, d);
  }
  return out;
}

function copyObject(x: object, memo: Memo): unknown {
  if (Array.isArray(x)) {
    const out: unknown[] = new Array(x.length);
    memoSet(memo, x, out);
    for (let i = 0; i < x.length; i++) out[i] = deepcopy(x[i], memo);
    // Extra own properties (e.g. namedtuple fields) are copied as well.
    for (const k of Reflect.ownKeys(x)) {
      if (k === 'length' || (typeof k === 'string' && /^\d+$/.test(k))) continue;
      const d = Object.getOwnPropertyDescriptor(x, k)!;
      if ('value' in d) d.value = deepcopy(d.value, memo);
      Object.defineProperty(out, k, d);
    }
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
  for (const k of Reflect.ownKeys(x)) {
    const d = Object.getOwnPropertyDescriptor(x, k)!;
    if ('value' in d) d.value = deepcopy(d.value, memo);
    Object.defineProperty(out, k, d);
  }
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
  if (x instanceof Module) return copyModule(x, m) as unknown as T;
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
  const out = Module._create(Object.getPrototypeOf(m) as Module);
  out._parameters = new Map(m._parameters);
  out._buffers = new Map(m._buffers);
  out._modules = new Map(m._modules);
  out._non_persistent_buffers_set = new Set(m._non_persistent_buffers_set);
  out._forward_hooks = new Map(m._forward_hooks);
  out._forward_pre_hooks = new Map(m._forward_pre_hooks);
  out.training = m.training;
  const raw = _rawModule(out);
  for (const k of Reflect.ownKeys(m)) {
    if (SKIP.has(k)) continue;
    const d = Reflect.getOwnPropertyDescriptor(m, k);
    if (d !== undefined) Reflect.defineProperty(raw, k, d);
  }
  return out;
}
