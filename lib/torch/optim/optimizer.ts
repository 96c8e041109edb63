// torch.optim.Optimizer: param groups, per-parameter state, zero_grad, state_dict.
import { Tensor } from '../tensor';
import { no_grad, enable_grad } from '../autograd/grad_mode';
import { deepcopy } from '../copy';
import { _clear_grads } from '../nn/module';
import { pyFloatRepr, typename } from '../extras';

export type ParamGroup = { params: Tensor[]; [option: string]: unknown };
export type ParamGroupInit = { params: Tensor | Iterable<Tensor>; [option: string]: unknown };
export type Params = Iterable<Tensor> | Iterable<ParamGroupInit>;
export type OptimizerState = Record<string, unknown>;
export type OptimizerStateDict = {
  state: Record<number, OptimizerState>;
  param_groups: ({ params: number[] } & Record<string, unknown>)[];
};

/** Python's `required` sentinel: an option with no default (SGD's lr). */
export const required: unique symbol = Symbol('required');

function pyRepr(v: unknown): string {
  if (typeof v === 'number') return pyFloatRepr(v, true);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `(${v.map(pyRepr).join(', ')})`;
  return String(v);
}

export abstract class Optimizer {
  defaults: Record<string, unknown>;
  /** Per-parameter state (Python's defaultdict(dict) keyed by tensor). */
  state: Map<Tensor, OptimizerState> = new Map();
  param_groups: ParamGroup[] = [];

  constructor(params: Params, defaults: Record<string, unknown>) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typename(params)}`);
    }
    const groups = [...(params as Iterable<Tensor | ParamGroupInit>)];
    if (groups.length === 0) throw new RangeError('optimizer got an empty parameter list');
    const asGroups: ParamGroupInit[] = groups[0] instanceof Tensor ? [{ params: groups as Tensor[] }] : (groups as ParamGroupInit[]);
    for (const g of asGroups) this.add_param_group(g);
  }

  /** The state of one parameter (created empty on first use, as Python's defaultdict). */
  stateOf(p: Tensor): OptimizerState {
    let s = this.state.get(p);
    if (s === undefined) this.state.set(p, (s = {}));
    return s;
  }

  add_param_group(param_group: ParamGroupInit): void {
    if (param_group === null || typeof param_group !== 'object') throw new TypeError('param group must be a dict');
    const src = param_group.params;
    if (src instanceof Set) {
      throw new TypeError('optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.');
    }
    const params = src instanceof Tensor ? [src] : [...(src as Iterable<Tensor>)];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typename(p)}`);
      if (!this.defaults.differentiable && !(p.is_leaf || p.retains_grad)) throw new RangeError("can't optimize a non-leaf Tensor");
    }
    const group: ParamGroup = { ...param_group, params };
    for (const [name, dflt] of Object.entries(this.defaults)) {
      if (dflt === required && !(name in param_group)) {
        throw new RangeError(`parameter group didn't specify a value of required optimization parameter ${name}`);
      }
      if (!(name in group)) group[name] = dflt;
    }
    if (new Set(params).size !== params.length) {
      process.emitWarning(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information',
      );
    }
    const seen = new Set<Tensor>();
    for (const g of this.param_groups) for (const p of g.params) seen.add(p);
    if (params.some((p) => seen.has(p))) throw new RangeError('some parameters appear in more than one parameter group');
    this.param_groups.push(group);
  }

  /** Clears the gradients: unsets them (set_to_none, the default as in torch 2.x) or zeroes them. */
  zero_grad(set_to_none = true): void {
    for (const group of this.param_groups) _clear_grads(group.params, set_to_none);
  }

  /** One optimization step. closure() (run with grad enabled) re-evaluates the loss. */
  step(closure?: (() => unknown) | null): unknown {
    let loss: unknown = undefined;
    if (closure !== undefined && closure !== null) loss = enable_grad(closure);
    no_grad(() => {
      for (const group of this.param_groups) this._step_group(group);
    });
    return loss;
  }
  /** @internal One group's update (under no_grad). */
  protected abstract _step_group(group: ParamGroup): void;

  /** Python's state_dict(): parameters become indices; the state tensors are not copied. */
  state_dict(): OptimizerStateDict {
    const mapping = new Map<Tensor, number>();
    let start = 0;
    const param_groups = this.param_groups.map((g) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[k] = v;
      g.params.forEach((p, i) => {
        if (!mapping.has(p)) mapping.set(p, start + i);
      });
      packed.params = g.params.map((p) => mapping.get(p)!);
      start += g.params.length;
      return packed as { params: number[] } & Record<string, unknown>;
    });
    const state: Record<number, OptimizerState> = {};
    for (const [p, s] of this.state) {
      const k = mapping.get(p);
      if (k !== undefined) state[k] = s;
    }
    return { state, param_groups };
  }

  /** Python's load_state_dict(): copies the state in, cast to each parameter's dtype and device. */
  load_state_dict(state_dict: OptimizerStateDict): void {
    const sd = deepcopy(state_dict);
    const groups = this.param_groups;
    const saved = sd.param_groups;
    if (groups.length !== saved.length) throw new RangeError('loaded state dict has a different number of parameter groups');
    if (groups.some((g, i) => g.params.length !== saved[i].params.length)) {
      throw new RangeError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    }
    const idMap = new Map<number, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, j) => idMap.set(id, groups[i].params[j])));
    const cast = (param: Tensor, value: unknown, key?: string): unknown => {
      if (value instanceof Tensor) {
        if (key === 'step') return value;
        let v = value;
        if (param.is_floating_point()) v = v.to(param.dtype);
        return v.to(param.device);
      }
      if (Array.isArray(value)) return value.map((v) => cast(param, v));
      if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = cast(param, v, k);
        return out;
      }
      return value;
    };
    const state = new Map<Tensor, OptimizerState>();
    for (const [k, v] of Object.entries(sd.state)) {
      const param = idMap.get(Number(k));
      if (param !== undefined) state.set(param, cast(param, v) as OptimizerState);
    }
    this.state = state;
    this.param_groups = groups.map((g, i) => ({ ...saved[i], params: g.params }) as ParamGroup);
  }

  toString(): string {
    let s = `${this.constructor.name} (`;
    this.param_groups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      for (const k of Object.keys(g).sort()) if (k !== 'params') s += `    ${k}: ${pyRepr(g[k])}\n`;
    });
    return s + ')';
  }
}

/** Checks `0 <= x` style option ranges with Python's messages. */
export function checkRange(cond: boolean, what: string, value: unknown): void {
  if (!cond) throw new RangeError(`Invalid ${what}: ${Array.isArray(value) ? value[0] : value}`);
}

/** @internal Checks Adam-style betas with Python's messages. */
export function checkBetas(betas: readonly [number, number]): void {
  if (!(betas[0] >= 0 && betas[0] < 1)) throw new RangeError(`Invalid beta parameter at index 0: ${pyFloatRepr(betas[0])}`);
  if (!(betas[1] >= 0 && betas[1] < 1)) throw new RangeError(`Invalid beta parameter at index 1: ${pyFloatRepr(betas[1])}`);
}

/** @internal The options of `new X(params, lr, opts)` or `new X(params, opts)`. */
export function lrOpts<O>(lrOrOpts: number | O | undefined, opts: O | undefined): O {
  return (typeof lrOrOpts === 'number' ? { ...opts, lr: lrOrOpts } : (lrOrOpts ?? {})) as O;
}
