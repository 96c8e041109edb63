// MetaGradientModule: a module whose constructor arguments that require grad (tensors,
// and the parameters of modules in training mode) are meta-parameters: assigned as
// attributes they go to `_meta_parameters` / `_meta_modules` instead of the parameter
// slots, so an inner solver optimizes the module's own parameters while gradients
// reach the meta-parameters. Python finds these arguments in __new__; in JS a subclass
// passes its constructor arguments on: `super(...args)`.
import { tree_leaves } from '../../pytree';
import { nn, Tensor } from '../../torch';

function typename(v: unknown): string {
  if (v instanceof Tensor) return `torch.${v.dtype.name === 'float32' ? 'Float' : v.dtype.name}Tensor`;
  if (v === null) return 'None';
  return typeof v === 'object' || typeof v === 'function' ? ((v as object).constructor?.name ?? typeof v) : typeof v;
}

export class MetaInputsContainer {
  constructor(
    readonly meta_parameters: Set<Tensor>,
    readonly meta_modules: Set<nn.Module>,
  ) {}
}

export class MetaGradientModule extends nn.Module {
  declare _meta_inputs: MetaInputsContainer;
  declare _meta_parameters: Map<string, Tensor | null>;
  declare _meta_modules: Map<string, nn.Module | null>;

  constructor(...args: unknown[]) {
    super();
    const flat = tree_leaves(args);
    const metaParams = new Set<Tensor>(flat.filter((x): x is Tensor => x instanceof Tensor && x.requires_grad));
    const metaModules = new Set<nn.Module>(flat.filter((x): x is nn.Module => x instanceof nn.Module && x.training));
    for (const m of [...metaModules]) {
      for (const p of m.parameters()) metaParams.add(p);
      for (const s of m.modules()) metaModules.add(s);
    }
    const define = (k: string, v: unknown) => Object.defineProperty(this, k, { value: v, writable: true, enumerable: false, configurable: true });
    define('_meta_inputs', new MetaInputsContainer(metaParams, metaModules));
    define('_meta_parameters', new Map());
    define('_meta_modules', new Map());
  }

  private isMetaParam(t: Tensor): boolean {
    for (const p of this._meta_inputs.meta_parameters) if (p === t || p.is_same(t)) return true;
    return false;
  }

  override _getattr_extra(name: string): unknown {
    if (this._meta_parameters?.has(name)) return this._meta_parameters.get(name);
    if (this._meta_modules?.has(name)) return this._meta_modules.get(name);
    return undefined;
  }

  override _setattr(name: string, value: unknown, plain: () => unknown): void {
    const self = this as unknown as Record<string, unknown>;
    const removeFrom = () => {
      if (Object.prototype.hasOwnProperty.call(this, name)) delete self[name];
      this._parameters.delete(name);
      this._buffers.delete(name);
      this._modules.delete(name);
      this._non_persistent_buffers_set.delete(name);
      this._meta_parameters.delete(name);
      this._meta_modules.delete(name);
    };
    if (this._meta_parameters === undefined) {
      super._setattr(name, value, plain);
      return;
    }
    if (value instanceof Tensor && value.requires_grad) {
      const isMeta = this.isMetaParam(value);
      removeFrom();
      if (isMeta) this.register_meta_parameter(name, value);
      else this.register_parameter(name, value);
    } else if (this._parameters.has(name)) {
      if (value !== null && value !== undefined) throw new TypeError(`cannot assign '${typename(value)}' as parameter '${name}' (torch.Tensor or None expected)`);
      this.register_parameter(name, null);
    } else if (this._meta_parameters.has(name)) {
      if (value !== null && value !== undefined) throw new TypeError(`cannot assign '${typename(value)}' as meta-parameter '${name}' (torch.Tensor or None expected)`);
      this.register_meta_parameter(name, null);
    } else if (value instanceof nn.Module) {
      removeFrom();
      if (this._meta_inputs.meta_modules.has(value)) this._meta_modules.set(name, value);
      else this._modules.set(name, value);
    } else super._setattr(name, value, plain);
  }

  /** The checks register_parameter and register_meta_parameter share (`kind` names the slot). */
  private checkTensorSlot(kind: 'parameter' | 'meta-parameter', slots: Map<string, Tensor | null>, name: string, param: Tensor | null): void {
    if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${typename(name)}`);
    if (name.includes('.')) throw new RangeError(`${kind} name can't contain '.'`);
    if (name === '') throw new RangeError(`${kind} name can't be empty string ''`);
    if (name in this && !slots.has(name)) throw new RangeError(`attribute '${name}' already exists`);
    if (param === null) return;
    if (!(param instanceof Tensor)) throw new TypeError(`cannot assign '${typename(param)}' object to ${kind} '${name}' (torch.Tensor or None required)`);
    if (!param.requires_grad) throw new RangeError(`cannot assign Tensor that \`requires_grad=False\` to ${kind} '${name}'`);
  }

  /** Any tensor that requires grad may be a parameter here (not only nn.Parameter). */
  override register_parameter(name: string, param: Tensor | null): void {
    this.checkTensorSlot('parameter', this._parameters, name, param);
    if (param !== null && this.isMetaParam(param)) {
      throw new RangeError(`cannot assign Tensor that is a meta-parameter to parameter '${name}'. Use self.register_meta_parameter() instead.`);
    }
    this._parameters.set(name, param);
  }

  register_meta_parameter(name: string, param: Tensor | null): void {
    this.checkTensorSlot('meta-parameter', this._meta_parameters, name, param);
    this._meta_parameters.set(name, param);
  }

  override add_module(name: string, module: nn.Module | null): void {
    if (module !== null && this._meta_inputs?.meta_modules.has(module)) {
      throw new RangeError(`cannot add module that is a meta-module to module '${name}'. Use self.add_meta_module() instead.`);
    }
    super.add_module(name, module);
  }

  add_meta_module(name: string, meta_module: nn.Module | null): void {
    if (meta_module !== null && !(meta_module instanceof nn.Module)) throw new TypeError(`${typename(meta_module)} is not a Module subclass`);
    if (typeof name !== 'string') throw new TypeError(`meta-module name should be a string. Got ${typename(name)}`);
    if (name in this && !this._meta_modules.has(name)) throw new RangeError(`attribute '${name}' already exists`);
    if (name.includes('.')) throw new RangeError(`meta-module name can't contain '.', got: '${name}'`);
    if (name === '') throw new RangeError("meta-module name can't be empty string ''");
    this._meta_modules.set(name, meta_module);
  }
  register_meta_module(name: string, meta_module: nn.Module | null): void {
    this.add_meta_module(name, meta_module);
  }

  named_meta_parameters(prefix = '', recurse = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const memo = new Set<Tensor>();
    for (const [name, p] of this._meta_parameters) {
      if (p === null || memo.has(p)) continue;
      memo.add(p);
      out.push([prefix + name, p]);
    }
    for (const [name, m] of this._meta_modules) {
      if (m === null) continue;
      out.push(...m.named_parameters(prefix + name, recurse));
    }
    return out;
  }
  meta_parameters(recurse = true): Tensor[] {
    return this.named_meta_parameters('', recurse).map(([, p]) => p);
  }
  named_meta_children(): [string, nn.Module][] {
    const out: [string, nn.Module][] = [];
    const memo = new Set<nn.Module>();
    for (const [name, m] of this._meta_modules) {
      if (m !== null && !memo.has(m)) {
        memo.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }
  meta_children(): nn.Module[] {
    return this.named_meta_children().map(([, m]) => m);
  }
  named_meta_modules(memo: Set<nn.Module> | null = null, prefix = '', remove_duplicate = true): [string, nn.Module][] {
    const seen = memo ?? new Set<nn.Module>();
    if (seen.has(this)) return [];
    if (remove_duplicate) seen.add(this);
    const out: [string, nn.Module][] = [];
    for (const [name, m] of this._meta_modules) {
      if (m === null) continue;
      out.push(...m.named_modules(seen, prefix + (prefix ? '.' : '') + name, remove_duplicate));
    }
    return out;
  }
  meta_modules(): nn.Module[] {
    return this.named_meta_modules().map(([, m]) => m);
  }
}
