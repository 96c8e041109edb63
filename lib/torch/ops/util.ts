// Small helpers shared by the op modules.
import { N } from '../../native';
import type { Handle } from '../../native';
import { is_grad_enabled } from '../autograd/grad_mode';
import { Tensor } from '../tensor';
import { dtype } from '../dtype';

/** A tensor operand or a JS scalar (number, boolean, bigint). */
export type TensorLike = Tensor | number | boolean | bigint;
export type Scalar = number | boolean | bigint;

/** The addon value for a Tensor-or-scalar operand. */
export function h(x: TensorLike): Handle | Scalar {
  return x instanceof Tensor ? x._h : x;
}

/** The addon value for an optional tensor. */
export function hOpt(x: Tensor | null | undefined): Handle | null {
  return x === null || x === undefined ? null : x._h;
}

export function handles(ts: readonly Tensor[]): Handle[] {
  const out = new Array<Handle>(ts.length);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (!(t instanceof Tensor)) throw new TypeError(`expected an array of Tensors, got ${describe(t)} at index ${i}`);
    out[i] = t._h;
  }
  return out;
}

export function dtypeCode(d: dtype | null | undefined): number | null {
  if (d === undefined || d === null) return null;
  if (!(d instanceof dtype)) throw new TypeError(`expected a torch dtype (e.g. torch.float32), got ${describe(d)}`);
  return d.code;
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (x instanceof Tensor) return 'Tensor';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/** Python's (values, indices) named tuple: `.values`, `.indices`, `[0]`, `[1]`, and
 * destructuring (`const [v, i] = t.max(0)`). */
export class ValuesIndices {
  readonly 0: Tensor;
  readonly 1: Tensor;
  readonly length = 2;
  constructor(
    readonly values: Tensor,
    readonly indices: Tensor,
  ) {
    this[0] = values;
    this[1] = indices;
  }
  *[Symbol.iterator](): IterableIterator<Tensor> {
    yield this.values;
    yield this.indices;
  }
}
/** Wraps the addon's [values, indices] handle pair. */
export function valuesIndices(pair: [Handle, Handle]): ValuesIndices {
  return new ValuesIndices(new Tensor(pair[0]), new Tensor(pair[1]));
}

/** Dims given as a number, an array, or nothing. */
export type Dims = number | readonly number[];
export function dimList(d: Dims | null | undefined): number[] | null {
  if (d === undefined || d === null) return null;
  return typeof d === 'number' ? [d] : (d as number[]);
}

/** Shapes given Python-style: `zeros(2, 3)` or `zeros([2, 3])`. */
export function shapeArgs(args: readonly unknown[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return args[0] as number[];
  for (const a of args) {
    if (typeof a !== 'number') throw new TypeError(`expected sizes as numbers or one array of numbers, got ${describe(a)}`);
  }
  return args as number[];
}

/** Sizes followed by an optional options object: `(2, 3, {dtype})` or `([2, 3], {dtype})`. */
export function shapeAndOpts<O>(args: readonly unknown[]): [number[], O | undefined] {
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) return [shapeArgs(args.slice(0, -1)), last as O];
  return [shapeArgs(args), undefined];
}

/** The options of the tensor factories (torch.zeros(..., {dtype, device, requires_grad})). */
export const FACTORY_KEYS = ['dtype', 'device', 'requires_grad'];

/** An options object literal (not an array, a Tensor, a dtype or another class instance). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Python's TypeError for a keyword argument the function does not take: an options key
 * that is not one of `known` (a misspelt option must not be ignored). Options given as a
 * number, an array or a class instance (a positional shorthand some functions accept) are
 * not checked. */
export function kw(name: string, opts: unknown, known: readonly string[]): void {
  // Kept tiny so that V8 inlines it: most calls pass no options at all (the per-op path).
  if (opts !== undefined && opts !== null) checkKw(name, opts, known);
}

function checkKw(name: string, opts: unknown, known: readonly string[]): void {
  // Plain option objects only: a dtype, a device or a Tensor in the same position is not one.
  if (!isPlainObject(opts)) return;
  for (const k in opts) {
    if (!known.includes(k)) throw new TypeError(`${name}() got an unexpected keyword argument '${k}'`);
  }
}

/** A trailing flag given positionally or by keyword: `(.., true)` or `(.., {keepdim: true})`. */
export function flag(name: string, v: boolean | Record<string, unknown> | undefined, key: string, dflt = false): boolean {
  if (isPlainObject(v)) {
    kw(name, v, [key]);
    return (v[key] as boolean | undefined) ?? dflt;
  }
  return (v as boolean | undefined) ?? dflt;
}

/** Python's positional-or-keyword parameters after the required ones: `f(x, 0.2)`,
 * `f(x, {p: 0.2, training: false})` or `f(x, 0.2, {training: false})`. */
type Prefixes<T extends unknown[]> = T extends [...infer H, unknown] ? Prefixes<H> | T : [];
export type KW<T extends unknown[], O> = Prefixes<T> | [...Prefixes<T>, O];

/** The values of `names` in order from `args` (positional values, then at most one
 * trailing options object with the same names), with Python's TypeErrors. */
export function kwargs(name: string, args: unknown[], names: readonly string[]): unknown[] {
  const n = args.length;
  if (n === 0 || !isPlainObject(args[n - 1])) {
    if (n > names.length) throw new TypeError(`${name}() takes at most ${names.length} optional arguments (${n} given)`);
    return args;
  }
  const out = args.slice(0, -1);
  if (out.length > names.length) throw new TypeError(`${name}() takes at most ${names.length} optional arguments (${out.length} given)`);
  for (const [k, v] of Object.entries(args[n - 1] as Record<string, unknown>)) {
    const i = names.indexOf(k);
    if (i < 0) throw new TypeError(`${name}() got an unexpected keyword argument '${k}'`);
    if (i < out.length) throw new TypeError(`${name}() got multiple values for argument '${k}'`);
    out[i] = v;
  }
  return out;
}

export type OutOpt = { out: Tensor | Tensor[] };

/** Makes `torch.name(t, ...args)` from the method `t.name(...args)`, with Python's `out=`:
 * an `out` key in the trailing options object receives the result (resized to its shape,
 * as torch does; a Tensor, or an array of them for ops that return several). */
export function fn<K extends keyof Tensor>(
  name: K,
): Tensor[K] extends (...args: infer A) => infer R ? ((input: Tensor, ...args: A) => R) & ((input: Tensor, ...args: [...Required<A>, OutOpt]) => R) : never {
  const f = function (input: Tensor, ...args: unknown[]) {
    if (!(input instanceof Tensor)) throw new TypeError(`${String(name)}(): argument 'input' must be a Tensor, got ${describe(input)}`);
    const method = input[name] as unknown as (...a: unknown[]) => unknown;
    const last = args[args.length - 1];
    if (!isPlainObject(last) || !('out' in last)) return method.apply(input, args);
    const { out, ...rest } = last;
    const callArgs = args.slice(0, -1);
    if (Object.keys(rest).length > 0) callArgs.push(rest);
    return writeOut(String(name), method.apply(input, callArgs), out);
  };
  Object.defineProperty(f, 'name', { value: name });
  return f as never;
}

function writeOut(name: string, result: unknown, out: unknown): unknown {
  if (out === undefined || out === null) return result;
  const results = result instanceof Tensor ? [result] : (result as Tensor[]);
  const outs = out instanceof Tensor ? [out] : out;
  if (!Array.isArray(outs) || outs.length !== results.length || !outs.every((o) => o instanceof Tensor)) {
    throw new TypeError(`${name}(): argument 'out' must be ${results.length === 1 ? 'a Tensor' : `an array of ${results.length} Tensors`}, got ${describe(out)}`);
  }
  (outs as Tensor[]).forEach((o, i) => {
    const r = results[i];
    // As libtorch's out= overloads: no autograd through them, and no narrowing cast.
    if (r.requires_grad && is_grad_enabled()) {
      throw new Error(`${name}(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.`);
    }
    const [os, rs] = [o.shape, r.shape];
    if (o.numel() > 0 && (os.length !== rs.length || os.some((d, k) => d !== rs[k]))) {
      process.emitWarning(
        `An output with one or more elements was resized since it had shape [${os.join(', ')}], which does not match the required output shape [${rs.join(', ')}]. ` +
          'This behavior is deprecated, and in a future PyTorch release outputs will not be resized unless they have zero elements. ' +
          'You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).',
        'UserWarning',
      );
    }
    N.write_out_(o._h, r._h);
  });
  return out;
}
