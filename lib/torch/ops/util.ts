// Small helpers shared by the op modules.
import type { Handle } from '../../native';
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

/** Makes `torch.name(t, ...args)` from the method `t.name(...args)`. */
export function fn<K extends keyof Tensor>(
  name: K,
): Tensor[K] extends (...args: infer A) => infer R ? (input: Tensor, ...args: A) => R : never {
  const f = function (input: Tensor, ...args: unknown[]) {
    if (!(input instanceof Tensor)) throw new TypeError(`${String(name)}(): argument 'input' must be a Tensor, got ${describe(input)}`);
    return (input[name] as unknown as (...a: unknown[]) => unknown)(...args);
  };
  Object.defineProperty(f, 'name', { value: name });
  return f as never;
}
