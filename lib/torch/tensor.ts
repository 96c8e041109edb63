// The Tensor class: a plain JS object holding one addon handle.
//
// Ops are added to the prototype by the modules under ops/ (declaration merging), so
// this file holds only what every tensor is: the handle, its metadata, its lifetime.
import { Handle, N } from '../native';
import { dtype, dtypeFromCode } from './dtype';
import { device, deviceFromCode } from './device';

// ---------------------------------------------------------------------------
// Scopes: tensors made while a scope is open are disposed when it closes, except
// those the scope's function returns (see tidy()).
// ---------------------------------------------------------------------------
let scope: Tensor[] | null = null;
const scopeStack: (Tensor[] | null)[] = [];

// A handle whose tensor is gone: every use raises "used after dispose()".
const DISPOSED: Handle = (() => {
  const h = N.empty([0], null, null, false);
  N.dispose(h, false);
  return h;
})();

export class Tensor {
  /** @internal The addon handle. */
  _h: Handle;

  /** @internal Use the factories (torch.tensor, torch.zeros, ...) to make tensors. */
  constructor(h: Handle) {
    this._h = h;
    if (scope !== null) scope.push(this);
  }

  // --- metadata -----------------------------------------------------------
  get shape(): number[] {
    return N.shape(this._h);
  }
  /** The shape, or the size of one dimension (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const s: number[] = N.shape(this._h);
    if (dim === undefined) return s;
    const d = dim < 0 ? dim + s.length : dim;
    if (d < 0 || d >= s.length) {
      throw new RangeError(`Dimension out of range (expected to be in range of [${-s.length}, ${s.length - 1}], but got ${dim})`);
    }
    return s[d];
  }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    const s: number[] = N.stride(this._h);
    if (dim === undefined) return s;
    return s[dim < 0 ? dim + s.length : dim];
  }
  dim(): number {
    return N.dim(this._h);
  }
  get ndim(): number {
    return N.dim(this._h);
  }
  numel(): number {
    return N.numel(this._h);
  }
  nelement(): number {
    return N.numel(this._h);
  }
  element_size(): number {
    return N.element_size(this._h);
  }
  get dtype(): dtype {
    return dtypeFromCode(N.dtype(this._h));
  }
  get device(): device {
    return deviceFromCode(N.device(this._h));
  }
  get is_cuda(): boolean {
    return (N.device(this._h) >> 8) === 1;
  }
  get is_meta(): boolean {
    return (N.device(this._h) >> 8) === 14;
  }
  is_floating_point(): boolean {
    return this.dtype.is_floating_point;
  }
  is_complex(): boolean {
    return false;
  }
  is_contiguous(): boolean {
    return N.is_contiguous(this._h);
  }
  storage_offset(): number {
    return N.storage_offset(this._h);
  }
  data_ptr(): number {
    return N.data_ptr(this._h);
  }
  /** True when both handles refer to the same tensor object (TensorImpl). */
  is_same(other: Tensor): boolean {
    return N.is_same(this._h, other._h);
  }

  // --- lifetime -----------------------------------------------------------
  /** Frees the tensor now. Using it afterwards raises an Error. Idempotent. */
  dispose(): void {
    if (this._h !== DISPOSED) {
      N.dispose(this._h, true);
      this._h = DISPOSED;
    }
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
  get is_disposed(): boolean {
    return this._h === DISPOSED || N.is_disposed(this._h);
  }
}

/** @internal Wraps a handle from the addon (null stays null). */
export function wrap(h: Handle): Tensor {
  return new Tensor(h);
}
/** @internal */
export function wrapOrNull(h: Handle | null): Tensor | null {
  return h === null ? null : new Tensor(h);
}
/** @internal Wraps an array of handles. */
export function wrapList(hs: (Handle | null)[]): Tensor[] {
  return hs.map((h) => (h === null ? (null as unknown as Tensor) : new Tensor(h)));
}

/** @internal True when both tensors have the same shape (one addon call, no arrays). */
export function sameShape(a: Tensor, b: Tensor): boolean {
  return N.same_shape(a._h, b._h);
}

export function is_tensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

// ---------------------------------------------------------------------------
// Memory: scopes and counters
// ---------------------------------------------------------------------------

function collectTensors(x: unknown, out: Set<Tensor>, seen: Set<unknown>): void {
  if (x instanceof Tensor) {
    out.add(x);
    return;
  }
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  // Arrays, Maps, Sets, and any object's own enumerable values (plain objects, named
  // tuples, optimizer states).
  if (Array.isArray(x)) for (const e of x) collectTensors(e, out, seen);
  else if (x instanceof Map || x instanceof Set) for (const e of x.values()) collectTensors(e, out, seen);
  else for (const k of Object.keys(x)) collectTensors((x as Record<string, unknown>)[k], out, seen);
}

/**
 * Runs `fn` and disposes every tensor it made, except the tensors in its result
 * (found in arrays, Maps, Sets and objects' own properties) and those passed to keep(). Scopes nest:
 * kept tensors belong to the enclosing scope. Async functions are not supported
 * (the scope closes when fn returns its promise).
 */
export function tidy<T>(fn: () => T): T {
  const mine: Tensor[] = [];
  scopeStack.push(scope);
  scope = mine;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scope = scopeStack.pop()!;
    for (const t of mine) t.dispose();
    throw e;
  }
  scope = scopeStack.pop()!;
  let returned: Set<Tensor> | null = null;
  if (result !== undefined && result !== null) {
    returned = new Set<Tensor>();
    collectTensors(result, returned, new Set());
  }
  for (let i = 0; i < mine.length; i++) {
    const t = mine[i];
    if (t._h === DISPOSED || (keptCount > 0 && kept.has(t))) continue;
    if (returned !== null && returned.has(t)) {
      if (scope !== null) scope.push(t);
    } else t.dispose();
  }
  return result;
}

const kept = new WeakSet<Tensor>();
let keptCount = 0;

/** Exempts a tensor from disposal by every tidy() scope (as tf.keep). */
export function keep<T extends Tensor>(t: T): T {
  if (!kept.has(t)) {
    kept.add(t);
    keptCount++;
  }
  return t;
}

/** Disposes tensors found in a value (arrays, Maps, plain objects). */
export function dispose(x: unknown): void {
  const s = new Set<Tensor>();
  collectTensors(x, s, new Set());
  for (const t of s) t.dispose();
}

/** Live tensor handles and the bytes they hold (as told to V8), and how many tensors the
 * garbage collector has freed so far (disposed ones are not counted). */
export function memory(): { tensors: number; bytes: number; collected: number } {
  const [tensors, bytes, collected] = N.memory();
  return { tensors, bytes, collected };
}
