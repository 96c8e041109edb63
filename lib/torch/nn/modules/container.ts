// Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict.
import { Tensor } from '../../tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';

export class Sequential extends Module {
  constructor(...modules: Module[] | [Map<string, Module>] | [Record<string, Module>]) {
    super();
    if (modules.length === 1 && !(modules[0] instanceof Module)) {
      const entries = modules[0] instanceof Map ? [...modules[0]] : Object.entries(modules[0]);
      for (const [k, m] of entries) this.add_module(k, m);
    } else (modules as Module[]).forEach((m, i) => this.add_module(String(i), m));
  }
  override forward(input: unknown): unknown {
    let x = input;
    for (const m of this._modules.values()) if (m !== null) x = m(x);
    return x;
  }
  override get length(): number {
    return this._modules.size;
  }
  /** Python's seq[i] (negative indices count from the end). */
  at(i: number): Module {
    const mods = [...this._modules.values()];
    const m = mods[i < 0 ? i + mods.length : i];
    if (m === undefined || m === null) throw new RangeError(`index ${i} is out of range`);
    return m;
  }
  append(m: Module): this {
    this.add_module(String(this._modules.size), m);
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return ([...this._modules.values()].filter((m) => m !== null) as Module[])[Symbol.iterator]();
  }
}

export class ModuleList extends Module {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }
  append(m: Module): this {
    this.add_module(String(this._modules.size), m);
    return this;
  }
  extend(ms: Iterable<Module>): this {
    for (const m of ms) this.append(m);
    return this;
  }
  insert(index: number, m: Module): void {
    const mods = [...this._modules.values()] as Module[];
    mods.splice(index, 0, m);
    this._modules.clear();
    mods.forEach((x, i) => this._modules.set(String(i), x));
  }
  at(i: number): Module {
    const mods = [...this._modules.values()];
    const m = mods[i < 0 ? i + mods.length : i];
    if (m === undefined || m === null) throw new RangeError(`index ${i} is out of range`);
    return m;
  }
  override get length(): number {
    return this._modules.size;
  }
  [Symbol.iterator](): Iterator<Module> {
    return ([...this._modules.values()] as Module[])[Symbol.iterator]();
  }
  override forward(): never {
    throw new Error('ModuleList is not callable; iterate over its modules');
  }
}

export class ModuleDict extends Module {
  constructor(modules?: Map<string, Module> | Record<string, Module>) {
    super();
    if (modules) for (const [k, m] of modules instanceof Map ? modules : Object.entries(modules)) this.add_module(k, m);
  }
  get(key: string): Module | undefined {
    return this._modules.get(key) ?? undefined;
  }
  set(key: string, m: Module): void {
    this.add_module(key, m);
  }
  keys(): string[] {
    return [...this._modules.keys()];
  }
  values(): Module[] {
    return [...this._modules.values()] as Module[];
  }
  items(): [string, Module][] {
    return [...this._modules.entries()] as [string, Module][];
  }
  override get length(): number {
    return this._modules.size;
  }
  override forward(): never {
    throw new Error('ModuleDict is not callable');
  }
}

export class ParameterList extends Module {
  constructor(params: Iterable<Tensor> = []) {
    super();
    for (const p of params) this.append(p);
  }
  append(p: Tensor): this {
    this.register_parameter(String(this._parameters.size), p instanceof Parameter ? p : new Parameter(p));
    return this;
  }
  at(i: number): Tensor {
    const ps = [...this._parameters.values()];
    return ps[i < 0 ? i + ps.length : i] as Tensor;
  }
  override get length(): number {
    return this._parameters.size;
  }
  [Symbol.iterator](): Iterator<Tensor> {
    return ([...this._parameters.values()] as Tensor[])[Symbol.iterator]();
  }
}

export class ParameterDict extends Module {
  constructor(params?: Record<string, Tensor>) {
    super();
    if (params) for (const [k, p] of Object.entries(params)) this.set(k, p);
  }
  get(key: string): Tensor | undefined {
    return this._parameters.get(key) ?? undefined;
  }
  set(key: string, p: Tensor): void {
    this.register_parameter(key, p instanceof Parameter ? p : new Parameter(p));
  }
  keys(): string[] {
    return [...this._parameters.keys()];
  }
}
