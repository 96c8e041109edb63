// torch.func / functorch: function transforms over modules and functions of tensors.
//
//   const [fmodel, params] = torch.func.make_functional(model);   // functorch.make_functional
//   const g = torch.func.grad(loss_fn, { argnums: 0 })(params, x);  // functorch.grad
//   torch.func.functional_call(model, { 'fc.weight': w }, [x]);     // torch.func.functional_call
//
// They are emulated with reverse-mode autograd rather than functorch's level-based
// transforms, which gives the same values and keeps composability where TorchOpt needs it:
//  * grad / grad_and_value / vjp / jacrev compute with create_graph whenever grad mode is on
//    outside, so their results are differentiable again (grad of grad, implicit
//    differentiation through an optimality function); results that depend on nothing
//    outside the transform are detached, as functorch's are.
//  * jacfwd and jvp use reverse mode (jvp by the double-vjp trick); hessian is
//    jacfwd(jacrev(f)). Values are the same as forward mode; cost is one backward pass
//    per output element for Jacobians.
//  * vmap runs the function once per batch element (a loop, then torch.stack): correct but
//    not fast. randomness 'same' replays the generator state for each element.
// Arguments and results may be pytrees (arrays, plain objects, Maps, namedtuples) of tensors.
import { sameShape, Tensor } from '../tensor';
import { grad as autogradGrad } from '../autograd/grad';
import { enable_grad, is_grad_enabled } from '../autograd/grad_mode';
import { zeros_like } from '../creation';
import { stack } from '../ops/shape';
import { get_rng_state, set_rng_state } from '../random';
import { Module } from '../nn/module';
import { deepcopy } from '../copy';
import { N } from '../../native';
import { describe } from '../ops/util';
import { tree_flatten, tree_unflatten, TreeSpec } from '../../pytree';

type Tree = unknown;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;
export type Argnums = number | readonly number[];

// ---------------------------------------------------------------------------------------------
// functional_call
// ---------------------------------------------------------------------------------------------

export type TensorDict = Record<string, Tensor> | Map<string, Tensor>;

function toEntries(d: TensorDict | readonly TensorDict[]): [string, Tensor][] {
  const dicts = Array.isArray(d) ? (d as TensorDict[]) : [d as TensorDict];
  const out = new Map<string, Tensor>();
  for (const one of dicts) {
    const entries = one instanceof Map ? [...one] : Object.entries(one);
    for (const [k, v] of entries) {
      if (out.has(k)) throw new Error(`${k} appeared in multiple dictionaries; behavior of functional call is ambiguous`);
      out.set(k, v);
    }
  }
  return [...out];
}

function splitName(name: string): [string, string] {
  const i = name.lastIndexOf('.');
  return i < 0 ? ['', name] : [name.slice(0, i), name.slice(i + 1)];
}

/**
 * Runs `fn` with the named tensors put in the module's parameter and buffer slots (names
 * like 'fc.weight'), restoring the previous ones afterwards (even on error). Names that
 * are neither parameters nor buffers become plain attributes for the call.
 */
function withSwapped<R>(module: Module, entries: [string, Tensor][], fn: () => R): R {
  const undo: (() => void)[] = [];
  try {
    for (const [name, t] of entries) {
      const [prefix, leaf] = splitName(name);
      const sub = module.get_submodule(prefix);
      if (sub._parameters.has(leaf)) {
        const old = sub._parameters.get(leaf)!;
        sub._parameters.set(leaf, t);
        undo.push(() => sub._parameters.set(leaf, old));
      } else if (sub._buffers.has(leaf)) {
        const old = sub._buffers.get(leaf)!;
        sub._buffers.set(leaf, t);
        undo.push(() => sub._buffers.set(leaf, old));
      } else {
        const had = Object.prototype.hasOwnProperty.call(sub, leaf);
        const old = had ? Reflect.get(sub, leaf) : undefined;
        Reflect.set(sub, leaf, t);
        undo.push(() => (had ? Reflect.set(sub, leaf, old) : Reflect.deleteProperty(sub, leaf)));
      }
    }
    return fn();
  } finally {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]();
  }
}

/**
 * torch.func.functional_call(module, parameter_and_buffer_dicts, args, kwargs?): calls the
 * module with the given tensors in place of its parameters and buffers. `args` is one
 * argument or an array of arguments (wrap a single array argument: `[[...]]`); `kwargs`
 * (an options object) is passed as a trailing argument.
 */
export function functional_call(module: Module, parameter_and_buffer_dicts: TensorDict | readonly TensorDict[], args: unknown = [], kwargs?: Record<string, unknown> | null): unknown {
  if (!(module instanceof Module)) throw new TypeError(`functional_call(): expected a Module, got ${describe(module)}`);
  const entries = toEntries(parameter_and_buffer_dicts);
  const argv = Array.isArray(args) ? [...args] : [args];
  if (kwargs !== undefined && kwargs !== null) argv.push(kwargs);
  return withSwapped(module, entries, () => module(...argv));
}

// ---------------------------------------------------------------------------------------------
// make_functional / make_functional_with_buffers / combine_state_for_ensemble
// ---------------------------------------------------------------------------------------------

type Slot = [Module, string];

/** Every slot (module, key) of a container, grouped by tensor (tied tensors share a group). */
function slotsOf(model: Module, kind: '_parameters' | '_buffers'): { names: string[]; tensors: Tensor[]; slots: Slot[][] } {
  const byTensor = new Map<Tensor, number>();
  const names: string[] = [];
  const tensors: Tensor[] = [];
  const slots: Slot[][] = [];
  for (const [prefix, m] of model.named_modules(null, '', false)) {
    for (const [k, t] of m[kind]) {
      if (t === null) continue;
      let i = byTensor.get(t);
      if (i === undefined) {
        i = tensors.length;
        byTensor.set(t, i);
        names.push(prefix ? `${prefix}.${k}` : k);
        tensors.push(t);
        slots.push([]);
      }
      slots[i].push([m, k]);
    }
  }
  return { names, tensors, slots };
}

function fill(kind: '_parameters' | '_buffers', groups: Slot[][], values: readonly (Tensor | null)[]): void {
  for (let i = 0; i < groups.length; i++) for (const [m, k] of groups[i]) m[kind].set(k, values[i]);
}

/**
 * functorch's FunctionalModule: `fmodel(params, ...args)` runs the (copied) module with
 * `params` (an array in named_parameters order) in its parameter slots. Between calls
 * the slots are empty, so `fmodel.parameters()` is empty, as in functorch.
 */
export class FunctionalModule extends Module {
  declare stateless_model: Module;
  /** @internal */ declare _param_slots: Slot[][];
  readonly param_names: string[];
  constructor(stateless_model: Module, param_names: string[], param_slots: Slot[][]) {
    super();
    this.stateless_model = stateless_model;
    this.param_names = param_names;
    Object.defineProperty(this, '_param_slots', { value: param_slots, writable: true, enumerable: false });
  }
  override forward(params: readonly Tensor[], ...args: unknown[]): unknown {
    checkCount('params', params, this._param_slots.length);
    fill('_parameters', this._param_slots, params);
    try {
      return this.stateless_model(...args);
    } finally {
      fill('_parameters', this._param_slots, this._param_slots.map(() => null));
    }
  }
}

/** functorch's FunctionalModuleWithBuffers: `fmodel(params, buffers, ...args)`. */
export class FunctionalModuleWithBuffers extends Module {
  declare stateless_model: Module;
  /** @internal */ declare _param_slots: Slot[][];
  /** @internal */ declare _buffer_slots: Slot[][];
  readonly param_names: string[];
  readonly buffer_names: string[];
  constructor(stateless_model: Module, param_names: string[], param_slots: Slot[][], buffer_names: string[], buffer_slots: Slot[][]) {
    super();
    this.stateless_model = stateless_model;
    this.param_names = param_names;
    this.buffer_names = buffer_names;
    Object.defineProperty(this, '_param_slots', { value: param_slots, writable: true, enumerable: false });
    Object.defineProperty(this, '_buffer_slots', { value: buffer_slots, writable: true, enumerable: false });
  }
  override forward(params: readonly Tensor[], buffers: readonly Tensor[], ...args: unknown[]): unknown {
    checkCount('params', params, this._param_slots.length);
    checkCount('buffers', buffers, this._buffer_slots.length);
    fill('_parameters', this._param_slots, params);
    fill('_buffers', this._buffer_slots, buffers);
    try {
      return this.stateless_model(...args);
    } finally {
      fill('_parameters', this._param_slots, this._param_slots.map(() => null));
      fill('_buffers', this._buffer_slots, this._buffer_slots.map(() => null));
    }
  }
}

function checkCount(what: string, xs: readonly unknown[], n: number): void {
  if (!Array.isArray(xs)) throw new TypeError(`FunctionalModule: expected ${what} as an array of ${n} Tensors, got ${describe(xs)}`);
  if (xs.length !== n) throw new RangeError(`FunctionalModule: expected ${n} ${what}, got ${xs.length}`);
}

/**
 * functorch.make_functional(model): `[fmodel, params]`. The module is deep-copied; `params`
 * are the copy's parameters (new leaf tensors, in named_parameters order; tied parameters
 * appear once). Buffers stay in the copy.
 */
export function make_functional(model: Module, opts?: { disable_autograd_tracking?: boolean }): [FunctionalModule, Tensor[]] {
  if (!(model instanceof Module)) throw new TypeError(`make_functional(model): expected model to be a torch.nn.Module but got ${describe(model)}`);
  const buffers = model.buffers();
  if (buffers.length > 0) {
    throw new Error('make_functional(model): `model` has buffers. Please use make_functional_with_buffers(model) instead.');
  }
  const copy = deepcopy(model);
  const { names, tensors, slots } = slotsOf(copy, '_parameters');
  if (opts?.disable_autograd_tracking) for (const p of tensors) p.requires_grad_(false);
  fill('_parameters', slots, slots.map(() => null));
  return [new FunctionalModule(copy, names, slots), tensors];
}

/** functorch.make_functional_with_buffers(model): `[fmodel, params, buffers]`. */
export function make_functional_with_buffers(model: Module, opts?: { disable_autograd_tracking?: boolean }): [FunctionalModuleWithBuffers, Tensor[], Tensor[]] {
  if (!(model instanceof Module)) throw new TypeError(`make_functional_with_buffers(model): expected model to be a torch.nn.Module but got ${describe(model)}`);
  const copy = deepcopy(model);
  const p = slotsOf(copy, '_parameters');
  const b = slotsOf(copy, '_buffers');
  if (opts?.disable_autograd_tracking) for (const t of p.tensors) t.requires_grad_(false);
  fill('_parameters', p.slots, p.slots.map(() => null));
  fill('_buffers', b.slots, b.slots.map(() => null));
  return [new FunctionalModuleWithBuffers(copy, p.names, p.slots, b.names, b.slots), p.tensors, b.tensors];
}

/**
 * functorch.combine_state_for_ensemble(models): `[fmodel, params, buffers]` with every
 * parameter and buffer stacked over the models (detached, as in functorch 1.13), for
 * `vmap(fmodel, [0, 0, null])(params, buffers, x)`.
 */
export function combine_state_for_ensemble(models: readonly Module[]): [FunctionalModuleWithBuffers, Tensor[], Tensor[]] {
  if (models.length === 0) throw new Error('combine_state_for_ensemble: Expected at least one model, got 0.');
  if (!(models.every((m) => m.training) || models.every((m) => !m.training))) {
    throw new Error('combine_state_for_ensemble: Expected all models to have the same training/eval mode.');
  }
  const cls = Object.getPrototypeOf(models[0]);
  if (!models.every((m) => Object.getPrototypeOf(m) === cls)) throw new Error('combine_state_for_ensemble: Expected all models to be of the same class.');
  const made = models.map((m) => make_functional_with_buffers(m));
  const transposeStack = (lists: Tensor[][]): Tensor[] => (lists.length === 0 ? [] : lists[0].map((_, i) => stack(lists.map((l) => l[i])).detach()));
  return [made[0][0], transposeStack(made.map((x) => x[1])), transposeStack(made.map((x) => x[2]))];
}

/**
 * torch.func.stack_module_state(models): `[params, buffers]`, objects from names to the
 * stacked tensors (parameters that all require grad give new leaves that require grad).
 */
export function stack_module_state(models: readonly Module[]): [Record<string, Tensor>, Record<string, Tensor>] {
  if (models.length === 0) throw new Error('stack_module_state: Expected at least one model, got 0.');
  if (!(models.every((m) => m.training) || models.every((m) => !m.training))) {
    throw new Error('stack_module_state: Expected all models to have the same training/eval mode.');
  }
  const build = (lists: [string, Tensor][][]): Record<string, Tensor> => {
    const out: Record<string, Tensor> = {};
    lists[0].forEach(([name], i) => {
      const ts = lists.map((l) => l[i][1]);
      const s = stack(ts).detach();
      out[name] = ts.every((t) => t.requires_grad) ? s.requires_grad_(true) : s;
    });
    return out;
  };
  return [build(models.map((m) => m.named_parameters())), build(models.map((m) => m.named_buffers()))];
}

// ---------------------------------------------------------------------------------------------
// Shared machinery for the autograd transforms
// ---------------------------------------------------------------------------------------------

/**
 * A differentiable stand-in for an input: an alias that stays connected to x's graph when x
 * requires grad, a fresh leaf on x's data otherwise.
 */
function prepare(x: unknown, what: string): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${what}: expected every leaf of the differentiated arguments to be a Tensor, got ${describe(x)}`);
  if (!x.dtype.is_floating_point) throw new TypeError(`${what}: expected floating point Tensors to differentiate, got ${x.dtype}`);
  return x.requires_grad ? x.view_as(x) : x.detach().requires_grad_(true);
}

type Prepared = { args: unknown[]; inputs: Tensor[]; fresh: Set<number>; specs: TreeSpec[]; counts: number[] };

function prepareArgs(args: readonly unknown[], nums: readonly number[], what: string): Prepared {
  const out = [...args];
  const inputs: Tensor[] = [];
  const fresh = new Set<number>();
  const specs: TreeSpec[] = [];
  const counts: number[] = [];
  for (const i of nums) {
    const [leaves, spec] = tree_flatten(args[i]);
    const ps = leaves.map((l) => {
      const p = prepare(l, what);
      if (p.is_leaf) fresh.add(N.impl_id(p._h));
      return p;
    });
    out[i] = tree_unflatten(spec, ps);
    inputs.push(...ps);
    specs.push(spec);
    counts.push(ps.length);
  }
  return { args: out, inputs, fresh, specs, counts };
}

function normArgnums(argnums: Argnums, nargs: number, what: string): [number[], boolean] {
  const single = typeof argnums === 'number';
  const list = single ? [argnums as number] : [...(argnums as number[])];
  if (!single && list.length === 0) throw new RangeError(`${what}: argnums must be non-empty`);
  const out = list.map((a) => {
    if (!Number.isInteger(a)) throw new TypeError(`${what}: argnums must be int or Tuple[int, ...], got ${describe(a)}`);
    const n = a < 0 ? a + nargs : a;
    if (n < 0 || n >= nargs) throw new RangeError(`${what}: Got argnums=${a}, but only ${nargs} positional inputs`);
    return n;
  });
  if (new Set(out).size !== out.length) throw new RangeError(`${what}: argnums must be unique, got ${list}`);
  return [out, single];
}

/**
 * Whether any of `ts` depends, through its graph, on a leaf that requires grad other than
 * the transform's own fresh leaves (i.e. whether it must stay differentiable outside).
 */
function dependsOnOutside(ts: readonly Tensor[], fresh: Set<number>): boolean {
  const seen = new Set<number>();
  const stackN: unknown[] = [];
  for (const t of ts) {
    if (!t.requires_grad) continue;
    if (t.is_leaf) {
      if (!fresh.has(N.impl_id(t._h))) return true;
      continue;
    }
    const n = N.grad_fn(t._h);
    if (n !== null) stackN.push(n);
  }
  let budget = 200000;
  while (stackN.length > 0) {
    if (--budget < 0) return true;
    const n = stackN.pop();
    const id: number = N.node_id(n);
    if (seen.has(id)) continue;
    seen.add(id);
    if (N.node_name(n) === 'torch::autograd::AccumulateGrad' || N.node_name(n) === 'AccumulateGrad') {
      const v = N.node_variable(n);
      if (!fresh.has(N.impl_id(v))) return true;
      continue;
    }
    for (const [next] of N.node_next_functions(n) as [unknown, number][]) if (next !== null) stackN.push(next);
  }
  return false;
}

function detachIfLocal<T extends Tree>(tree: T, allTensors: Tensor[], fresh: Set<number>, outerGrad: boolean): T {
  if (outerGrad && dependsOnOutside(allTensors, fresh)) return tree;
  const [leaves, spec] = tree_flatten(tree);
  return tree_unflatten(spec, leaves.map((l) => (l instanceof Tensor ? l.detach() : l)));
}

function tensorLeaves(tree: Tree): Tensor[] {
  return tree_flatten(tree)[0].filter((l): l is Tensor => l instanceof Tensor);
}

/** A has_aux function's result as [output, aux], checked as functorch checks it. */
function splitAux(result: unknown, what: string): [unknown, unknown] {
  if (!Array.isArray(result) || result.length !== 2) throw new Error(`${what}: output of function f should be a tuple: (output, aux) if has_aux is True`);
  return [result[0], result[1]];
}

/** The output's leaves, which must all be tensors, and its structure. */
function tensorOutputs(output: unknown, what: string): [Tensor[], TreeSpec] {
  const [leaves, spec] = tree_flatten(output);
  for (const o of leaves) if (!(o instanceof Tensor)) throw new Error(`${what}: Expected f to be a function that has only Tensors as outputs, got ${describe(o)}`);
  return [leaves as Tensor[], spec];
}

function gradsFor(outputs: Tensor[], inputs: Tensor[], gradOutputs: Tensor[] | null, createGraph: boolean): Tensor[] {
  const needing = outputs.map((o, i) => [o, i] as const).filter(([o]) => o.requires_grad);
  if (needing.length === 0 || inputs.length === 0) return inputs.map((x) => zeros_like(x));
  const g = autogradGrad(
    needing.map(([o]) => o),
    inputs,
    { grad_outputs: gradOutputs === null ? null : needing.map(([, i]) => gradOutputs[i]), retain_graph: true, create_graph: createGraph, allow_unused: true },
  );
  return g.map((gi, i) => gi ?? zeros_like(inputs[i]));
}

function regroup(p: Prepared, flat: Tensor[], single: boolean): unknown {
  const out: unknown[] = [];
  let k = 0;
  p.specs.forEach((spec, j) => {
    out.push(tree_unflatten(spec, flat.slice(k, k + p.counts[j])));
    k += p.counts[j];
  });
  return single ? out[0] : out;
}

// ---------------------------------------------------------------------------------------------
// grad / grad_and_value
// ---------------------------------------------------------------------------------------------

export type GradOpts = { argnums?: Argnums; has_aux?: boolean };

/**
 * functorch.grad_and_value(func, {argnums, has_aux}): a function returning
 * `[grad, value]` (or `[grad, [value, aux]]` with has_aux). func must return a scalar
 * tensor (or `[scalar, aux]`).
 */
export function grad_and_value(func: AnyFn, opts?: GradOpts): AnyFn {
  const argnums = opts?.argnums ?? 0;
  const hasAux = opts?.has_aux ?? false;
  const what = 'grad_and_value(f)(*args)';
  return function (this: unknown, ...args: unknown[]) {
    const [nums, single] = normArgnums(argnums, args.length, what);
    const outerGrad = is_grad_enabled();
    return enable_grad(() => {
      const p = prepareArgs(args, nums, what);
      const result = Reflect.apply(func, this, p.args);
      const [output, aux] = hasAux ? splitAux(result, what) : [result, undefined];
      if (!(output instanceof Tensor)) throw new Error(`${what}: Expected f(*args) to return a Tensor, got ${describe(output)}`);
      if (output.dim() !== 0) {
        throw new Error(`${what}: Expected f(*args) to return a scalar Tensor, got tensor with ${output.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?`);
      }
      const flat = gradsFor([output], p.inputs, null, outerGrad);
      const auxLeaves = hasAux ? tensorLeaves(aux) : [];
      const keepGraph = outerGrad && dependsOnOutside([output, ...flat, ...auxLeaves], p.fresh);
      const fin = (t: Tensor) => (keepGraph ? t : t.detach());
      const g = regroup(p, flat.map(fin), single);
      const value = fin(output);
      if (hasAux) return [g, [value, detachIfLocal(aux, auxLeaves, p.fresh, keepGraph)]];
      return [g, value];
    });
  };
}

/** functorch.grad(func, {argnums=0, has_aux=false}): a function returning the gradient
 * (or `[grad, aux]`) with respect to the argnums arguments (same structure as them). */
export function grad(func: AnyFn, opts?: GradOpts): AnyFn {
  const gv = grad_and_value(func, opts);
  const hasAux = opts?.has_aux ?? false;
  return function (this: unknown, ...args: unknown[]) {
    const [g, rest] = Reflect.apply(gv, this, args) as [unknown, unknown];
    if (hasAux) return [g, (rest as [unknown, unknown])[1]];
    return g;
  };
}

// ---------------------------------------------------------------------------------------------
// vjp / jvp / jacrev / jacfwd / hessian
// ---------------------------------------------------------------------------------------------

function isHasAuxOpts(x: unknown): x is { has_aux: boolean } {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype && Object.keys(x).length === 1 && typeof (x as { has_aux?: unknown }).has_aux === 'boolean';
}

/**
 * functorch.vjp(func, ...primals): `[output, vjp_fn]` (or `[output, vjp_fn, aux]` when the
 * last argument is `{has_aux: true}`). `vjp_fn(cotangents)` takes cotangents shaped like
 * output and returns an array with one gradient per primal; it may be called repeatedly.
 */
export function vjp(func: AnyFn, ...primals: unknown[]): [unknown, (cotangents: unknown) => unknown[]] | [unknown, (cotangents: unknown) => unknown[], unknown] {
  let hasAux = false;
  if (primals.length > 0 && isHasAuxOpts(primals[primals.length - 1])) hasAux = (primals.pop() as { has_aux: boolean }).has_aux;
  const what = 'vjp(f, *primals)';
  const outerGrad = is_grad_enabled();
  return enable_grad(() => {
    const p = prepareArgs(primals, primals.map((_, i) => i), what);
    const result = func(...p.args);
    const [output, aux] = hasAux ? splitAux(result, what) : [result, undefined];
    const [outs, outSpec] = tensorOutputs(output, what);
    const keepOut = outerGrad && dependsOnOutside(outs, p.fresh);
    const vjp_fn = (cotangents: unknown): unknown[] => {
      const [ctLeaves, ctSpec] = tree_flatten(cotangents);
      if (ctSpec.num_leaves !== outSpec.num_leaves || !ctSpec.equals(outSpec)) {
        throw new Error(`Expected pytree structure of cotangents to be the same as pytree structure of outputs to the function. cotangents: ${ctSpec}, primal output: ${outSpec}`);
      }
      ctLeaves.forEach((c, i) => {
        if (!(c instanceof Tensor)) throw new TypeError(`vjp_fn: expected cotangents to be Tensors, got ${describe(c)}`);
        if (!sameShape(c, outs[i])) {
          throw new RangeError(`Mismatch in shape: grad_output[${i}] has a shape of [${c.shape}] and output[${i}] has a shape of [${outs[i].shape}].`);
        }
      });
      const create = is_grad_enabled();
      const flat = enable_grad(() => gradsFor(outs, p.inputs, ctLeaves as Tensor[], create));
      const keep = create && dependsOnOutside([...flat, ...(ctLeaves as Tensor[]).filter((c) => c.requires_grad)], p.fresh);
      return regroup(p, keep ? flat : flat.map((g) => g.detach()), false) as unknown[];
    };
    const outValue = keepOut ? output : tree_unflatten(outSpec, outs.map((o) => o.detach()));
    if (hasAux) return [outValue, vjp_fn, detachIfLocal(aux, tensorLeaves(aux), p.fresh, outerGrad)];
    return [outValue, vjp_fn];
  }) as never;
}

/**
 * functorch.jvp(func, primals, tangents): `[output, jvp_out]` (Jacobian-vector product),
 * computed by the double-vjp trick. primals and tangents are arrays (Python's tuples).
 */
export function jvp(func: AnyFn, primals: readonly unknown[], tangents: readonly unknown[], opts?: { has_aux?: boolean }): unknown[] {
  const what = 'jvp(f, primals, tangents)';
  if (!Array.isArray(primals)) throw new TypeError(`${what}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals).`);
  if (!Array.isArray(tangents)) throw new TypeError(`${what}: Expected tangents to be a tuple. If you are only using one argument, then try wrapping it in a tuple: (tangent,).`);
  if (primals.length !== tangents.length) throw new RangeError(`${what}: Expected primals and tangents to have the same python structure. For example, if primals is a tuple of 3 tensors, tangents also must be. Got primals with structure ${primals.length} and tangents with structure ${tangents.length}`);
  const hasAux = opts?.has_aux ?? false;
  const outerGrad = is_grad_enabled();
  return enable_grad(() => {
    const p = prepareArgs(primals, primals.map((_, i) => i), what);
    const tLeaves = tree_flatten([...tangents])[0] as Tensor[];
    if (tLeaves.length !== p.inputs.length) throw new RangeError(`${what}: Expected primals and tangents to have the same python structure.`);
    const result = func(...p.args);
    const [output, aux] = hasAux ? (result as [unknown, unknown]) : [result, undefined];
    const [outLeaves, outSpec] = tree_flatten(output);
    const outs = outLeaves as Tensor[];
    const us = outs.map((o) => zeros_like(o).requires_grad_(true));
    const g = gradsFor(outs, p.inputs, us, true);
    const used = g.map((gi, i) => [gi, tLeaves[i]] as const).filter(([gi]) => gi.requires_grad);
    let jv: Tensor[];
    if (used.length === 0) jv = outs.map((o) => zeros_like(o));
    else {
      const r = autogradGrad(used.map(([gi]) => gi), us, { grad_outputs: used.map(([, t]) => t), create_graph: outerGrad, allow_unused: true });
      jv = r.map((x, i) => x ?? zeros_like(outs[i]));
    }
    const keep = outerGrad && dependsOnOutside([...outs, ...jv], p.fresh);
    const fin = (t: Tensor) => (keep ? t : t.detach());
    const res = [tree_unflatten(outSpec, outs.map(fin)), tree_unflatten(outSpec, jv.map(fin))];
    if (hasAux) res.push(detachIfLocal(aux, tensorLeaves(aux), p.fresh, outerGrad));
    return res;
  });
}

/**
 * functorch.jacrev(func, argnums=0, {has_aux}): a function returning the Jacobian of func's
 * output(s) with respect to the argnums arguments; each block has shape
 * output.shape + input.shape. Outputs may be pytrees (the result has their structure,
 * each leaf replaced by the per-input Jacobians).
 */
export function jacrev(func: AnyFn, argnums: Argnums = 0, opts?: { has_aux?: boolean }): AnyFn {
  const hasAux = opts?.has_aux ?? false;
  const what = 'jacrev(f, argnums)(*args)';
  return function (this: unknown, ...args: unknown[]) {
    const [nums, single] = normArgnums(argnums, args.length, what);
    const outerGrad = is_grad_enabled();
    return enable_grad(() => {
      const p = prepareArgs(args, nums, what);
      const result = Reflect.apply(func, this, p.args);
      const [output, aux] = hasAux ? (result as [unknown, unknown]) : [result, undefined];
      const [outs, outSpec] = tensorOutputs(output, what);
      const blocks: Tensor[][] = outs.map((o) => {
        const flat = o.reshape(-1);
        const n = flat.numel();
        const rows: Tensor[][] = p.inputs.map(() => []);
        for (let k = 0; k < n; k++) {
          const gk = gradsFor([flat.get(k)], p.inputs, null, outerGrad);
          gk.forEach((g, i) => rows[i].push(g));
        }
        return rows.map((r, i) => {
          const x = p.inputs[i];
          const j = n === 0 ? zeros_like(x).reshape([0, ...x.shape]) : stack(r);
          return j.reshape([...o.shape, ...x.shape]);
        });
      });
      const all = blocks.flat();
      const keep = outerGrad && dependsOnOutside(all, p.fresh);
      const jac = tree_unflatten(
        outSpec,
        blocks.map((b) => regroup(p, keep ? b : b.map((t) => t.detach()), single)),
      );
      if (hasAux) return [jac, detachIfLocal(aux, tensorLeaves(aux), p.fresh, outerGrad)];
      return jac;
    });
  };
}

/** functorch.jacfwd: the same Jacobian as jacrev (computed in reverse mode here). */
export function jacfwd(func: AnyFn, argnums: Argnums = 0, opts?: { has_aux?: boolean; randomness?: 'error' | 'different' | 'same' }): AnyFn {
  return jacrev(func, argnums, { has_aux: opts?.has_aux });
}

/** functorch.hessian(func, argnums=0): jacfwd(jacrev(func, argnums), argnums). */
export function hessian(func: AnyFn, argnums: Argnums = 0): AnyFn {
  return jacfwd(jacrev(func, argnums), argnums);
}

// ---------------------------------------------------------------------------------------------
// vmap
// ---------------------------------------------------------------------------------------------

type InDims = number | null | undefined | readonly InDims[] | { [k: string]: InDims };

/** Applies `fn(leaf, dim)` to every tensor leaf of `arg` with its in_dim (a prefix tree). */
function mapWithDims(arg: unknown, dims: InDims, fn: (t: Tensor, d: number | null) => unknown, path: string): unknown {
  if (dims === null || dims === undefined || typeof dims === 'number') {
    const [leaves, spec] = tree_flatten(arg);
    return tree_unflatten(spec, leaves.map((l) => (l instanceof Tensor ? fn(l, (dims ?? null) as number | null) : dims === null || dims === undefined ? l : badLeaf(l, path))));
  }
  if (Array.isArray(dims)) {
    if (!Array.isArray(arg) || arg.length !== dims.length) throw new RangeError(`vmap: in_dims is not compatible with the structure of \`inputs\` at ${path}`);
    return arg.map((a, i) => mapWithDims(a, dims[i], fn, `${path}[${i}]`));
  }
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) throw new RangeError(`vmap: in_dims is not compatible with the structure of \`inputs\` at ${path}`);
  const o = arg as Record<string, unknown>;
  const d = dims as Record<string, InDims>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = mapWithDims(o[k], d[k], fn, `${path}['${k}']`);
  return out;
}
function badLeaf(l: unknown, path: string): never {
  throw new TypeError(`vmap: Got in_dim for an input that is not a Tensor (${describe(l)}) at ${path}; use null as its in_dim`);
}

export type VmapOpts = { randomness?: 'error' | 'different' | 'same'; chunk_size?: number | null };

/**
 * functorch.vmap(func, in_dims=0, out_dims=0): maps func over a dimension of its inputs.
 * Implemented as a loop over the batch (func runs once per element, outputs are stacked
 * along out_dims): correct, not fast. in_dims is a number, null (not mapped), or an array
 * with one entry (number, null or a prefix tree) per argument.
 */
export function vmap(func: AnyFn, in_dims: InDims = 0, out_dims: number | null | readonly (number | null)[] = 0, opts?: VmapOpts): AnyFn {
  return function (this: unknown, ...args: unknown[]) {
    if (args.length === 0) throw new Error('vmap(f)(): got no inputs. Maybe you forgot to add inputs, or you are trying to vmap over a function with no inputs. The latter is unsupported.');
    let perArg: InDims[];
    if (in_dims === null || in_dims === undefined || typeof in_dims === 'number') perArg = args.map(() => in_dims);
    else if (Array.isArray(in_dims)) {
      if (in_dims.length !== args.length) {
        throw new RangeError(`vmap(f, in_dims=[${in_dims.map((d) => String(d))}], ...)(<inputs>): in_dims is not compatible with the structure of \`inputs\`. in_dims has structure of ${in_dims.length} items but inputs has ${args.length}.`);
      }
      perArg = in_dims as InDims[];
    } else throw new TypeError(`vmap(f, in_dims=..., ...): expected in_dims to be int or a (potentially nested) tuple matching the structure of inputs, got: ${describe(in_dims)}.`);
    // Batch size from the mapped tensors.
    const sizes: number[] = [];
    args.forEach((a, i) =>
      mapWithDims(a, perArg[i], (t, d) => {
        if (d !== null) {
          const nd = t.dim();
          if (d < -nd || d >= nd) throw new RangeError(`vmap(f, in_dims=..., ...)(<inputs>): Got in_dim=${d} for an input but the input is of type Tensor of dimensionality ${nd} so expected in_dim to satisfy -${nd} <= in_dim < ${nd}.`);
          sizes.push(t.size(d));
        }
        return t;
      }, `args[${i}]`),
    );
    if (sizes.length === 0) throw new Error('vmap(f, in_dims=..., ...)(<inputs>): at least one input must be a Tensor mapped over a dimension (in_dims all None)');
    if (sizes.some((s) => s !== sizes[0])) throw new RangeError(`vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [${sizes.join(", ")}] for the mapped dimension`);
    const B = sizes[0];
    const same = opts?.randomness === 'same';
    const rng = same ? get_rng_state() : null;
    const results: unknown[] = [];
    for (let b = 0; b < B; b++) {
      if (rng !== null) set_rng_state(rng);
      const sliced = args.map((a, i) => mapWithDims(a, perArg[i], (t, d) => (d === null ? t : t.select(d, b)), `args[${i}]`));
      results.push(Reflect.apply(func, this, sliced));
    }
    // Stack the outputs leaf by leaf.
    const flatResults = results.map((r) => tree_flatten(r));
    const spec = flatResults[0][1];
    const nLeaves = flatResults[0][0].length;
    const topLevel = Array.isArray(results[0]) ? (results[0] as unknown[]).length : 1;
    let leafOutDims: (number | null)[];
    if (out_dims === null || typeof out_dims === 'number') leafOutDims = new Array(nLeaves).fill(out_dims);
    else {
      if (!Array.isArray(results[0]) || out_dims.length !== topLevel) {
        throw new RangeError(`vmap(f, ..., out_dims=[${out_dims}])(<inputs>): out_dims is not compatible with the structure of \`outputs\`.`);
      }
      leafOutDims = [];
      (results[0] as unknown[]).forEach((o, i) => {
        const n = tree_flatten(o)[0].length;
        for (let k = 0; k < n; k++) leafOutDims.push(out_dims[i]);
      });
    }
    const stacked: unknown[] = [];
    for (let j = 0; j < nLeaves; j++) {
      const items = flatResults.map(([l]) => l[j]);
      const d = leafOutDims[j];
      if (!(items[0] instanceof Tensor)) {
        if (d === null) {
          stacked.push(items[0]);
          continue;
        }
        throw new TypeError(`vmap(f, ...): \`f\` must only return Tensors, got type ${describe(items[0])}. Did you mean to set out_dims= to None for output?`);
      }
      if (d === null) stacked.push(items[0]);
      else {
        const nd = (items[0] as Tensor).dim() + 1;
        if (d < -nd || d >= nd) throw new RangeError(`vmap: out_dim=${d} is out of range for a batched output of dimensionality ${nd}`);
        stacked.push(stack(items as Tensor[], d));
      }
    }
    if (B === 0) return results;
    return tree_unflatten(spec, stacked);
  };
}
