// nn.Module with the PyTorch semantics TorchOpt relies on.
//
// A module is callable (`net(x)` runs forward, as Python's __call__) and routes
// attribute assignment like Python's __setattr__: `this.fc = new nn.Linear(...)`
// registers a submodule, `this.w = new nn.Parameter(t)` a parameter, and reads of
// `this.w` come from the live containers `_parameters`, `_buffers`, `_modules`. Those
// containers are Maps that may hold any tensor, leaf or not: meta-optimizers write
// updated (non-leaf) tensors into them, and the module then computes with them.
//
// Both tricks use a Proxy around a function object whose prototype is the module's
// class prototype, so `instanceof` and methods work as usual.
import { inspect } from 'util';
import { N } from '../../native';
import { dtype } from '../dtype';
import { DeviceLike } from '../device';
import { sameShape, Tensor } from '../tensor';
import { no_grad } from '../autograd/grad_mode';
import { Parameter } from './parameter';
import { typename } from '../extras';
import { handles, kwargs, KW } from '../ops/util';

type Hook = (module: Module, input: unknown[], output?: unknown) => unknown;

const INTERNAL = new Set(['training', '_parameters', '_buffers', '_non_persistent_buffers_set', '_modules', '_forward_hooks', '_forward_pre_hooks']);

const handler: ProxyHandler<Module> = {
  get(target, prop, receiver) {
    if (typeof prop === 'string' && !(prop in target)) {
      const t = target as unknown as Module;
      if (t._parameters.has(prop)) return t._parameters.get(prop);
      if (t._buffers.has(prop)) return t._buffers.get(prop);
      if (t._modules.has(prop)) return t._modules.get(prop);
      const extra = t._getattr_extra(prop);
      if (extra !== undefined) return extra;
    }
    return Reflect.get(target, prop, receiver);
  },
  set(target, prop, value, receiver) {
    if (typeof prop !== 'string' || INTERNAL.has(prop)) return Reflect.set(target, prop, value, receiver);
    (target as unknown as Module)._setattr(prop, value, () => Reflect.set(target, prop, value, receiver));
    return true;
  },
  defineProperty(target, prop, desc) {
    // Class fields are defined, not assigned: route them the same way.
    if (typeof prop === 'string' && !INTERNAL.has(prop) && 'value' in desc && desc.value !== undefined) {
      (target as unknown as Module)._setattr(prop, desc.value, () => Reflect.defineProperty(target, prop, desc));
      return true;
    }
    return Reflect.defineProperty(target, prop, desc);
  },
  has(target, prop) {
    if (typeof prop === 'string') {
      const t = target as unknown as Module;
      if (t._parameters.has(prop) || t._buffers.has(prop) || t._modules.has(prop) || t._getattr_extra(prop) !== undefined) return true;
    }
    return Reflect.has(target, prop);
  },
  deleteProperty(target, prop) {
    if (typeof prop === 'string') {
      const t = target as unknown as Module;
      if (t._parameters.delete(prop) || t._buffers.delete(prop) || t._modules.delete(prop)) {
        t._non_persistent_buffers_set.delete(prop);
        return true;
      }
    }
    return Reflect.deleteProperty(target, prop);
  },
  apply(target, _this, args) {
    // Without hooks (the usual case) forward runs directly, as _call_impl would run it:
    // read off the raw target, called on the proxy.
    const m = target as unknown as Module;
    if (m._forward_pre_hooks.size === 0 && m._forward_hooks.size === 0 && m._call_impl === defaultCallImpl) {
      return Reflect.apply(m.forward, m._proxy, args);
    }
    return m._proxy._call_impl(...args);
  },
};

function routeAssign(m: Module, name: string, value: unknown, plain: () => unknown): void {
  const drop = () => {
    if (Object.prototype.hasOwnProperty.call(m, name)) delete (m as unknown as Record<string, unknown>)[name];
  };
  if (value instanceof Parameter) {
    drop();
    m._buffers.delete(name);
    m._modules.delete(name);
    m.register_parameter(name, value);
  } else if (m._parameters.has(name)) {
    if (value !== null && value !== undefined) {
      throw new TypeError(`cannot assign '${typename(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
    }
    m.register_parameter(name, null);
  } else if (value instanceof Module) {
    drop();
    m._parameters.delete(name);
    m._buffers.delete(name);
    m._modules.set(name, value);
  } else if (m._modules.has(name)) {
    if (value !== null && value !== undefined) {
      throw new TypeError(`cannot assign '${typename(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
    }
    m._modules.set(name, null);
  } else if (m._buffers.has(name)) {
    if (value !== null && value !== undefined && !(value instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typename(value)}' as buffer '${name}' (torch.Tensor or None expected)`);
    }
    m._buffers.set(name, (value as Tensor | null | undefined) ?? null);
  } else plain();
}

/**
 * @internal What zero_grad does to parameters (Module's and Optimizer's alike): unsets
 * each grad, or zeroes it in place after cutting it from any graph. One addon call.
 */
export function _clear_grads(ps: readonly Tensor[], set_to_none: boolean): void {
  N.clear_grads_(handles(ps), set_to_none);
}

// Pre-order walk of m and its submodules, skipping those in `seen` (when given). Names
// (dotted paths from `prefix`) are built only when a prefix is given: modules(), which
// recover_state_dict runs per step, passes null.
function walkModules(m: Module, prefix: string | null, seen: Set<Module> | null, visit: (m: Module, name: string | null) => void): void {
  if (seen !== null) {
    if (seen.has(m)) return;
    seen.add(m);
  }
  visit(m, prefix);
  for (const [name, child] of m._modules) {
    if (child !== null) walkModules(child, prefix === null ? null : prefix ? `${prefix}.${name}` : name, seen, visit);
  }
}

// Module.prototype._call_impl, set once the class exists (the apply trap's fast path).
let defaultCallImpl: unknown = null;

// The object behind each module's Proxy (see _rawModule).
const rawTargets = new WeakMap<object, object>();
/**
 * @internal The raw object behind a module's Proxy: properties defined on it bypass
 * attribute routing (Python's `__dict__`, which copy.deepcopy restores without
 * __setattr__).
 */
export function _rawModule(m: Module): object {
  return rawTargets.get(m) ?? m;
}

export type NamedTensor = [string, Tensor];
export type StateDict = Record<string, Tensor>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Module {
  /** Calls forward (with hooks), as Python's module(x). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (...args: any[]): any;
}

export class Module {
  declare training: boolean;
  declare _parameters: Map<string, Tensor | null>;
  declare _buffers: Map<string, Tensor | null>;
  declare _non_persistent_buffers_set: Set<string>;
  declare _modules: Map<string, Module | null>;
  declare _forward_hooks: Map<number, Hook>;
  declare _forward_pre_hooks: Map<number, Hook>;
  /** @internal */ declare _proxy: Module;

  constructor() {
    return Module._create(new.target.prototype);
  }

  /**
   * @internal A new, empty module object (callable Proxy, fresh containers) whose
   * prototype is `proto`, without running any constructor: Python's `cls.__new__(cls)`.
   * copy.deepcopy uses it to make a module of the same class.
   */
  static _create<M extends Module>(proto: M): M {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    // An arrow function: callable, and without a `prototype` property of its own.
    const target: any = () => undefined;
    delete target.name;
    delete target.length;
    Object.setPrototypeOf(target, proto);
    const init = (k: string, v: unknown) => Object.defineProperty(target, k, { value: v, writable: true, enumerable: false, configurable: true });
    init('training', true);
    init('_parameters', new Map());
    init('_buffers', new Map());
    init('_non_persistent_buffers_set', new Set());
    init('_modules', new Map());
    init('_forward_hooks', new Map());
    init('_forward_pre_hooks', new Map());
    const proxy = new Proxy(target, handler);
    init('_proxy', proxy);
    rawTargets.set(proxy, target);
    return proxy;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(..._args: any[]): any {
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /** @internal Python's _call_impl: pre-hooks, forward, hooks. */
  _call_impl(...args: unknown[]): unknown {
    let input = args;
    for (const hook of this._forward_pre_hooks.values()) {
      const r = hook(this, input);
      if (r !== undefined) input = Array.isArray(r) ? r : [r];
    }
    let out = this.forward(...input);
    for (const hook of this._forward_hooks.values()) {
      const r = hook(this, input, out);
      if (r !== undefined) out = r;
    }
    return out;
  }

  private static hookId = 0;
  register_forward_hook(hook: Hook): { remove(): void } {
    const id = Module.hookId++;
    this._forward_hooks.set(id, hook);
    return { remove: () => this._forward_hooks.delete(id) };
  }
  register_forward_pre_hook(hook: Hook): { remove(): void } {
    const id = Module.hookId++;
    this._forward_pre_hooks.set(id, hook);
    return { remove: () => this._forward_pre_hooks.delete(id) };
  }

  /** @internal Python's __setattr__ routing; subclasses (MetaGradientModule) extend it.
   * `plain` stores an ordinary attribute. */
  _setattr(name: string, value: unknown, plain: () => unknown): void {
    routeAssign(this, name, value, plain);
  }
  /** @internal Python's __getattr__ fallback beyond the three containers. */
  _getattr_extra(_name: string): unknown {
    return undefined;
  }

  // --- registration ---------------------------------------------------------
  register_parameter(name: string, param: Tensor | null): void {
    if (typeof name !== 'string') throw new TypeError(`parameter name should be a string. Got ${typeof name}`);
    if (name.includes('.')) throw new RangeError('parameter name can\'t contain "."');
    if (name === '') throw new RangeError('parameter name can\'t be empty string ""');
    // Python's `hasattr(self, name) and name not in self._parameters`.
    if (name in this && !this._parameters.has(name)) throw new RangeError(`attribute '${name}' already exists`);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${typename(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    if (param instanceof Parameter && param.grad_fn !== null) {
      throw new RangeError(
        `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
      );
    }
    this._parameters.set(name, param);
  }
  register_buffer(name: string, tensor: Tensor | null, opts?: { persistent?: boolean } | boolean): void {
    const persistent = typeof opts === 'boolean' ? opts : (opts?.persistent ?? true);
    if (name.includes('.')) throw new RangeError('buffer name can\'t contain "."');
    if (name === '') throw new RangeError('buffer name can\'t be empty string ""');
    if (name in this && !this._buffers.has(name)) throw new RangeError(`attribute '${name}' already exists`);
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`cannot assign '${typename(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    this._buffers.set(name, tensor);
    if (persistent) this._non_persistent_buffers_set.delete(name);
    else this._non_persistent_buffers_set.add(name);
  }
  add_module(name: string, module: Module | null): void {
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${typename(module)} is not a Module subclass`);
    if (name in this && !this._modules.has(name)) throw new RangeError(`attribute '${name}' already exists`);
    if (name.includes('.')) throw new RangeError(`module name can't contain ".", got: ${name}`);
    if (name === '') throw new RangeError('module name can\'t be empty string ""');
    this._modules.set(name, module);
  }
  register_module(name: string, module: Module | null): void {
    this.add_module(name, module);
  }
  get_submodule(target: string): Module {
    if (target === '') return this;
    let mod: Module = this;
    for (const item of target.split('.')) {
      const next = mod._modules.get(item);
      if (next === undefined || next === null) throw new RangeError(`${mod.constructor.name} has no attribute \`${item}\``);
      mod = next;
    }
    return mod;
  }
  get_parameter(target: string): Tensor {
    const i = target.lastIndexOf('.');
    const mod = this.get_submodule(i < 0 ? '' : target.slice(0, i));
    const p = mod._parameters.get(target.slice(i + 1));
    if (p === undefined || p === null) throw new RangeError(`${mod.constructor.name} has no parameter \`${target.slice(i + 1)}\``);
    return p;
  }

  // --- traversal ------------------------------------------------------------
  named_modules(...args: KW<[memo: Set<Module> | null | undefined, prefix: string | undefined, remove_duplicate: boolean | undefined], { memo?: Set<Module> | null; prefix?: string; remove_duplicate?: boolean }>): [string, Module][] {
    const [memo = null, prefix = '', remove_duplicate = true] = kwargs('named_modules', args, ['memo', 'prefix', 'remove_duplicate']) as [(Set<Module> | null)?, string?, boolean?];
    const out: [string, Module][] = [];
    walkModules(this, prefix, remove_duplicate ? (memo ?? new Set<Module>()) : null, (m, name) => out.push([name!, m]));
    return out;
  }
  modules(): Module[] {
    const out: Module[] = [];
    walkModules(this, null, new Set<Module>(), (m) => out.push(m));
    return out;
  }
  named_children(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    for (const [n, m] of this._modules) if (m !== null && !seen.has(m)) {
      seen.add(m);
      out.push([n, m]);
    }
    return out;
  }
  children(): Module[] {
    return this.named_children().map(([, m]) => m);
  }
  private _named_members(get: (m: Module) => Map<string, Tensor | null>, prefix: string, recurse: boolean, remove_duplicate: boolean): NamedTensor[] {
    const out: NamedTensor[] = [];
    const seen = new Set<Tensor>();
    const mods = recurse ? this.named_modules(null, prefix, remove_duplicate) : [[prefix, this] as [string, Module]];
    for (const [mp, m] of mods) {
      for (const [k, v] of get(m)) {
        if (v === null || v === undefined) continue;
        if (remove_duplicate) {
          if (seen.has(v)) continue;
          seen.add(v);
        }
        out.push([mp ? `${mp}.${k}` : k, v]);
      }
    }
    return out;
  }
  named_parameters(...args: KW<[prefix: string | undefined, recurse: boolean | undefined, remove_duplicate: boolean | undefined], { prefix?: string; recurse?: boolean; remove_duplicate?: boolean }>): NamedTensor[] {
    const [prefix = '', recurse = true, remove_duplicate = true] = kwargs('named_parameters', args, ['prefix', 'recurse', 'remove_duplicate']) as [string?, boolean?, boolean?];
    return this._named_members((m) => m._parameters, prefix, recurse, remove_duplicate);
  }
  parameters(...args: KW<[recurse: boolean | undefined], { recurse?: boolean }>): Tensor[] {
    const [recurse = true] = kwargs('parameters', args, ['recurse']) as [boolean?];
    return this.named_parameters('', recurse).map(([, p]) => p);
  }
  named_buffers(...args: KW<[prefix: string | undefined, recurse: boolean | undefined, remove_duplicate: boolean | undefined], { prefix?: string; recurse?: boolean; remove_duplicate?: boolean }>): NamedTensor[] {
    const [prefix = '', recurse = true, remove_duplicate = true] = kwargs('named_buffers', args, ['prefix', 'recurse', 'remove_duplicate']) as [string?, boolean?, boolean?];
    return this._named_members((m) => m._buffers, prefix, recurse, remove_duplicate);
  }
  buffers(...args: KW<[recurse: boolean | undefined], { recurse?: boolean }>): Tensor[] {
    const [recurse = true] = kwargs('buffers', args, ['recurse']) as [boolean?];
    return this.named_buffers('', recurse).map(([, b]) => b);
  }

  // --- modes and grads --------------------------------------------------------
  train(...args: KW<[mode: boolean | undefined], { mode?: boolean }>): this {
    const [mode = true] = kwargs('train', args, ['mode']) as [boolean?];
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }
  requires_grad_(...args: KW<[requires_grad: boolean | undefined], { requires_grad?: boolean }>): this {
    const [requires_grad = true] = kwargs('requires_grad_', args, ['requires_grad']) as [boolean?];
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }
  /** Zeroes (or, by default as in torch 2.x, unsets) the parameters' gradients. */
  zero_grad(...args: KW<[set_to_none: boolean | undefined], { set_to_none?: boolean }>): void {
    const [set_to_none = true] = kwargs('zero_grad', args, ['set_to_none']) as [boolean?];
    _clear_grads(this.parameters(), set_to_none);
  }
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  // --- conversion ---------------------------------------------------------------
  /** Python's _apply: converts every parameter and buffer, keeping Parameter objects
   * when the result is shallow-copy compatible (same device type), as Python does. */
  _apply(fn: (t: Tensor) => Tensor): this {
    for (const m of this.modules()) {
      no_grad(() => {
        for (const [k, p] of m._parameters) {
          if (p === null) continue;
          const applied = fn(p);
          if (applied.device.type === p.device.type && p.is_leaf) {
            p.data = applied;
          } else m._parameters.set(k, new Parameter(applied, p.requires_grad));
          const g = p.grad;
          if (g !== null) p.grad = fn(g);
        }
        for (const [k, b] of m._buffers) if (b !== null) m._buffers.set(k, fn(b));
      });
    }
    return this;
  }
  to(target: dtype | DeviceLike | { dtype?: dtype; device?: DeviceLike }): this {
    const opts = target instanceof dtype ? { dtype: target } : typeof target === 'string' || !('dtype' in target || 'device' in target) ? { device: target as DeviceLike } : (target as { dtype?: dtype; device?: DeviceLike });
    return this._apply((t) => {
      // Only floating tensors change dtype (as in Python).
      const dt = opts.dtype !== undefined && t.dtype.is_floating_point ? opts.dtype : undefined;
      return dt === undefined && opts.device === undefined ? t : t.to({ dtype: dt, device: opts.device });
    });
  }
  float(): this {
    return this._apply((t) => (t.dtype.is_floating_point ? t.float() : t));
  }
  double(): this {
    return this._apply((t) => (t.dtype.is_floating_point ? t.double() : t));
  }
  half(): this {
    return this._apply((t) => (t.dtype.is_floating_point ? t.half() : t));
  }
  cpu(): this {
    return this._apply((t) => t.cpu());
  }
  cuda(device?: number): this {
    return this._apply((t) => t.cuda(device));
  }

  // --- state dict ---------------------------------------------------------------
  state_dict(opts?: { prefix?: string; keep_vars?: boolean }): StateDict {
    const out: StateDict = {};
    const keep = opts?.keep_vars ?? false;
    const walk = (m: Module, pre: string) => {
      for (const [k, p] of m._parameters) if (p !== null) out[pre + k] = keep ? p : p.detach();
      for (const [k, b] of m._buffers) if (b !== null && !m._non_persistent_buffers_set.has(k)) out[pre + k] = keep ? b : b.detach();
      for (const [k, c] of m._modules) if (c !== null) walk(c, `${pre}${k}.`);
    };
    walk(this, opts?.prefix ?? '');
    return out;
  }
  /**
   * Python's load_state_dict: copies matching tensors in (under no_grad); returns the
   * missing and unexpected keys; raises (Error, Python's RuntimeError) with Python's
   * message when strict and keys differ, or when shapes differ.
   */
  load_state_dict(state: StateDict | Map<string, Tensor>, ...args: KW<[strict: boolean | undefined], { strict?: boolean }>): { missing_keys: string[]; unexpected_keys: string[] } {
    const [strict = true] = kwargs('load_state_dict', args, ['strict']) as [boolean?];
    const sd: Record<string, Tensor> = state instanceof Map ? Object.fromEntries(state) : state;
    const missing: string[] = [];
    const unexpected: string[] = [];
    const errors: string[] = [];
    const size = (s: number[]) => `torch.Size([${s.join(', ')}])`;
    const load = (m: Module, local: Record<string, Tensor>, prefix: string) => {
      const localState = new Map<string, Tensor>();
      for (const [k, p] of m._parameters) if (p !== null) localState.set(k, p);
      for (const [k, b] of m._buffers) if (b !== null && !m._non_persistent_buffers_set.has(k)) localState.set(k, b);
      for (const [name, param] of localState) {
        const key = prefix + name;
        if (Object.prototype.hasOwnProperty.call(local, key)) {
          let input = local[key];
          if (!(input instanceof Tensor)) {
            errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typename(input)}`);
            continue;
          }
          if (param.dim() === 0 && input.dim() === 1) input = input.get(0);
          if (!sameShape(input, param)) {
            errors.push(`size mismatch for ${key}: copying a param with shape ${size(input.shape)} from checkpoint, the shape in current model is ${size(param.shape)}.`);
            continue;
          }
          try {
            no_grad(() => param.copy_(input));
          } catch (e) {
            errors.push(`While copying the parameter named "${key}", whose dimensions in the model are ${size(param.shape)} and whose dimensions in the checkpoint are ${size(input.shape)}, an exception occurred : ${(e as Error).message}.`);
          }
        } else missing.push(key);
      }
      for (const key of Object.keys(local)) {
        if (!key.startsWith(prefix)) continue;
        const inputName = key.slice(prefix.length).split('.', 1)[0];
        if (!m._modules.has(inputName) && !localState.has(inputName)) unexpected.push(key);
      }
      for (const [name, child] of m._modules) {
        if (child === null) continue;
        const childPrefix = `${prefix}${name}.`;
        const childSd: Record<string, Tensor> = {};
        for (const k of Object.keys(local)) if (k.startsWith(childPrefix)) childSd[k] = local[k];
        load(child, childSd, childPrefix);
      }
    };
    load(this, sd, '');
    if (strict) {
      if (unexpected.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `);
      if (missing.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length > 0) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    return { missing_keys: missing, unexpected_keys: unexpected };
  }

  // --- printing -------------------------------------------------------------------
  extra_repr(): string {
    return '';
  }
  _get_name(): string {
    return this.constructor.name;
  }
  toString(): string {
    const lines: string[] = [];
    const extra = this.extra_repr();
    if (extra) lines.push(...extra.split('\n'));
    for (const [k, m] of this._modules) {
      const s = m === null ? 'None' : String(m).split('\n').join('\n  ');
      lines.push(`(${k}): ${s}`);
    }
    let main = this._get_name() + '(';
    if (lines.length) {
      if (extra && lines.length === 1 && this._modules.size === 0) main += extra;
      else main += '\n  ' + lines.join('\n  ') + '\n';
    }
    return main + ')';
  }
  [inspect.custom](): string {
    return this.toString();
  }
}
defaultCallImpl = Module.prototype._call_impl;
