// Getting data out of tensors: tolist, item, typed arrays, zero-copy views, printing.
import { inspect } from 'util';
import { N } from '../native';
import { bool, int64 } from './dtype';
import { defaultDtype } from './creation';
import { Tensor } from './tensor';
import { formatTensor } from './format';

export type NestedList = number | boolean | NestedList[];
export type TypedArrayOf =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array;

declare module './tensor' {
  interface Tensor {
    /** Nested arrays of numbers (booleans for bool tensors); int64 values become numbers. */
    tolist(): NestedList;
    /** The value of a one-element tensor. */
    item(): number;
    /** A copy of the elements in C order (Float32Array for float32, BigInt64Array for int64, ...). */
    toTypedArray(): TypedArrayOf;
    /** Same as toTypedArray() (a copy; Python's numpy() shares memory, see dataView()). */
    numpy(): TypedArrayOf;
    /** A zero-copy TypedArray over a contiguous CPU tensor's memory. It keeps the storage
     * alive; writes through it change the tensor. */
    dataView(): TypedArrayOf;
    toString(): string;
  }
}

const T = Tensor.prototype;

T.toTypedArray = function () {
  return N.to_typed_array(this._h);
};
T.numpy = T.toTypedArray;
T.dataView = function () {
  const d = this.dtype;
  const ab: ArrayBuffer = N.data_view(this._h);
  switch (d.name) {
    case 'float32': return new Float32Array(ab);
    case 'float64': return new Float64Array(ab);
    case 'int64': return new BigInt64Array(ab);
    case 'int32': return new Int32Array(ab);
    case 'int16': return new Int16Array(ab);
    case 'int8': return new Int8Array(ab);
    case 'uint8':
    case 'bool': return new Uint8Array(ab);
    default: throw new TypeError(`dataView(): no TypedArray for dtype ${d}`);
  }
};
T.item = function () {
  return N.item(this._h);
};
T.tolist = function () {
  const shape = this.shape;
  const flat = N.to_typed_array(this._h) as TypedArrayOf;
  const isBool = this.dtype === bool;
  const conv = (i: number): number | boolean => {
    const v = flat[i];
    if (isBool) return v !== 0;
    return typeof v === 'bigint' ? Number(v) : v;
  };
  if (shape.length === 0) return conv(0);
  let k = 0;
  const build = (d: number): NestedList[] => {
    const n = shape[d];
    const out = new Array<NestedList>(n);
    if (d === shape.length - 1) for (let i = 0; i < n; i++) out[i] = conv(k++);
    else for (let i = 0; i < n; i++) out[i] = build(d + 1);
    return out;
  };
  return build(0);
};

T.toString = function () {
  if (this.is_disposed) return 'tensor(<disposed>)';
  const d = this.dtype;
  const dev = this.device;
  const suffixes: string[] = [];
  if (dev.type !== 'cpu') suffixes.push(`device='${dev}'`);
  const numel = this.numel();
  const shape = this.shape;
  const isDefaultFloat = d === defaultDtype();
  if (numel === 0) {
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(', ')})`);
    if (!isDefaultFloat) suffixes.push(`dtype=${d}`);
  } else if (!(isDefaultFloat || d === int64 || d === bool)) suffixes.push(`dtype=${d}`);
  const gradFn: string | null = N.grad_fn_name(this._h);
  if (gradFn !== null) suffixes.push(`grad_fn=<${gradFn}>`);
  else if (N.requires_grad(this._h)) suffixes.push('requires_grad=True');
  // to_typed_array widens half and bfloat16 to float32 (Python prints them that way too).
  const values: ArrayLike<number | bigint | boolean> = numel > 0 ? N.to_typed_array(this._h) : [];
  return formatTensor({
    shape,
    values,
    floating: d.is_floating_point,
    isBool: d === bool,
    suffixes,
  });
};

(T as unknown as Record<symbol, unknown>)[inspect.custom] = function (this: Tensor) {
  return this.toString();
};
