// torch.testing: assert_close with Python's default tolerances and messages.
import { Tensor } from './tensor';
import { dtype, float64, int64 } from './dtype';
import { isclose } from './ops/pointwise';
import { pyFloatRepr, typename } from './extras';

// torch.testing._comparison._DTYPE_PRECISIONS: (rtol, atol); other dtypes compare exactly.
const PRECISIONS: Record<string, [number, number]> = {
  float16: [0.001, 1e-5],
  bfloat16: [0.016, 1e-5],
  float32: [1.3e-6, 1e-5],
  float64: [1e-7, 1e-7],
};

/** Python's torch.testing._comparison.get_tolerances(*dtypes): the loosest [rtol, atol]. */
export function get_tolerances(...inputs: (dtype | Tensor)[]): [number, number] {
  let rtol = 0;
  let atol = 0;
  for (const x of inputs) {
    const d = x instanceof Tensor ? x.dtype : x;
    const [r, a] = PRECISIONS[d.name] ?? [0, 0];
    rtol = Math.max(rtol, r);
    atol = Math.max(atol, a);
  }
  return [rtol, atol];
}
export const _comparison = { get_tolerances };

export type AssertCloseOpts = {
  rtol?: number | null;
  atol?: number | null;
  equal_nan?: boolean;
  check_device?: boolean;
  check_dtype?: boolean;
  check_layout?: boolean;
  check_stride?: boolean;
  allow_subclasses?: boolean;
  /** Replaces the message (a string, or a function of the generated message). */
  msg?: string | ((generated: string) => string) | null;
};

/** An AssertionError (Python's), thrown by assert_close. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

type Path = (string | number)[];

function fail(message: string, path: Path, opts?: AssertCloseOpts): never {
  let m = message;
  if (path.length > 0) m += `\n\nThe failure occurred for item ${path.map((p) => (typeof p === 'number' ? `[${p}]` : `['${p}']`)).join('')}`;
  if (opts?.msg !== undefined && opts.msg !== null) m = typeof opts.msg === 'string' ? opts.msg : opts.msg(m);
  throw new AssertionError(m);
}

function pyNum(x: number, isFloat: boolean): string {
  return isFloat ? pyFloatRepr(x) : pyFloatRepr(x, true);
}

function mismatchMsg(kind: string, extra: string | null, absDiff: string, absIdx: string | null, atol: number, relDiff: string, relIdx: string | null, rtol: number): string {
  const equality = rtol === 0 && atol === 0;
  const line = (type: string, diff: string, idx: string | null, tol: number) => {
    let s = idx === null ? `${type[0].toUpperCase()}${type.slice(1)} difference: ${diff}` : `Greatest ${type} difference: ${diff} at index ${idx}`;
    if (!equality) s += ` (up to ${pyFloatRepr(tol)} allowed)`;
    return s + '\n';
  };
  let msg = `${kind} are not ${equality ? 'equal' : 'close'}!\n\n`;
  if (extra) msg += `${extra}\n`;
  msg += line('absolute', absDiff, absIdx, atol);
  msg += line('relative', relDiff, relIdx, rtol);
  return msg.trim();
}

function unravel(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let i = shape.length - 1; i >= 0; i--) {
    idx.unshift(flat % shape[i]);
    flat = Math.floor(flat / shape[i]);
  }
  return idx.length === 1 ? `(${idx[0]},)` : `(${idx.join(', ')})`;
}

function scalarMismatch(a: number, e: number, rtol: number, atol: number, isFloat: boolean): string {
  const abs = Math.abs(a - e);
  const rel = e === 0 ? Infinity : abs / Math.abs(e);
  return mismatchMsg('Scalars', null, pyNum(abs, isFloat), null, atol, pyFloatRepr(rel), null, rtol);
}

function compareTensors(actual: Tensor, expected: Tensor, path: Path, opts: AssertCloseOpts | undefined, rtol: number | null, atol: number | null): void {
  const attr = (name: string, a: string, e: string) => fail(`The values for attribute '${name}' do not match: ${a} != ${e}.`, path, opts);
  if (actual.shape.join(',') !== expected.shape.join(',')) attr('shape', `torch.Size([${actual.shape.join(', ')}])`, `torch.Size([${expected.shape.join(', ')}])`);
  if ((opts?.check_device ?? true) && actual.device.toString() !== expected.device.toString()) attr('device', actual.device.toString(), expected.device.toString());
  if ((opts?.check_dtype ?? true) && actual.dtype !== expected.dtype) attr('dtype', String(actual.dtype), String(expected.dtype));
  if (opts?.check_stride && actual.stride().join(',') !== expected.stride().join(',')) attr('stride()', `(${actual.stride().join(', ')})`, `(${expected.stride().join(', ')})`);
  const [r, a] = rtol === null ? get_tolerances(actual, expected) : [rtol, atol as number];
  let act = actual.detach();
  let exp = expected.detach();
  if (act.device.type !== 'cpu') act = act.cpu();
  if (exp.device.type !== 'cpu') exp = exp.cpu();
  const isFloat = act.dtype.is_floating_point || exp.dtype.is_floating_point;
  const common = isFloat ? float64 : int64;
  act = act.to(common);
  exp = exp.to(common);
  const matches = isclose(act, exp, { rtol: r, atol: a, equal_nan: opts?.equal_nan ?? false });
  if (matches.all().item()) return;
  if (act.dim() === 0) fail(scalarMismatch(act.item(), exp.item(), r, a, isFloat), path, opts);
  const mismatches = matches.logical_not();
  const n = mismatches.numel();
  const total = mismatches.sum().item();
  const extra = `Mismatched elements: ${total} / ${n} (${((100 * total) / n).toFixed(1)}%)`;
  const aFlat = act.flatten();
  const bFlat = exp.flatten();
  const matchesFlat = matches.flatten();
  const absDiff = aFlat.sub(bFlat).abs();
  absDiff.set(matchesFlat, 0);
  const { values: maxAbs, indices: maxAbsIdx } = absDiff.max(0);
  const relDiff = absDiff.div(bFlat.abs());
  relDiff.set(matchesFlat, 0);
  const { values: maxRel, indices: maxRelIdx } = relDiff.max(0);
  fail(
    mismatchMsg(
      'Tensor-likes',
      extra,
      pyNum(maxAbs.item(), isFloat),
      unravel(maxAbsIdx.item(), mismatches.shape),
      a,
      pyFloatRepr(maxRel.item()),
      unravel(maxRelIdx.item(), mismatches.shape),
      r,
    ),
    path,
    opts,
  );
}

function isMapping(x: unknown): x is Record<string, unknown> | Map<unknown, unknown> {
  if (x instanceof Map) return true;
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Tensor) && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null);
}

function compare(actual: unknown, expected: unknown, path: Path, opts: AssertCloseOpts | undefined, rtol: number | null, atol: number | null): void {
  if (actual instanceof Tensor && expected instanceof Tensor) return compareTensors(actual, expected, path, opts, rtol, atol);
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) fail(`The length of the sequences mismatch: ${actual.length} != ${expected.length}`, path, opts);
    for (let i = 0; i < actual.length; i++) compare(actual[i], expected[i], [...path, i], opts, rtol, atol);
    return;
  }
  if (isMapping(actual) && isMapping(expected)) {
    const ak = actual instanceof Map ? [...actual.keys()] : Object.keys(actual);
    const ek = expected instanceof Map ? [...expected.keys()] : Object.keys(expected);
    const as = new Set(ak);
    if (ak.length !== ek.length || ek.some((k) => !as.has(k))) {
      const fmt = (ks: unknown[]) => `[${ks.map((k) => (typeof k === 'string' ? `'${k}'` : String(k))).join(', ')}]`;
      fail(`The keys of the mappings do not match:\nMissing keys in the actual mapping: ${fmt(ek.filter((k) => !as.has(k)))}\nAdditional keys in the actual mapping: ${fmt(ak.filter((k) => !new Set(ek).has(k)))}`, path, opts);
    }
    const get = (m: typeof actual, k: unknown) => (m instanceof Map ? m.get(k) : (m as Record<string, unknown>)[k as string]);
    for (const k of ak) compare(get(actual, k), get(expected, k), [...path, k as string], opts, rtol, atol);
    return;
  }
  if ((typeof actual === 'number' || typeof actual === 'boolean') && (typeof expected === 'number' || typeof expected === 'boolean')) {
    if (typeof actual === 'boolean' || typeof expected === 'boolean') {
      if (actual !== expected) fail(`Booleans mismatch: ${actual ? 'True' : 'False'} is not ${expected ? 'True' : 'False'}`, path, opts);
      return;
    }
    // JS numbers are Python floats (float64 tolerances).
    const [r, a] = rtol === null ? PRECISIONS.float64 : [rtol, atol as number];
    if (Number.isNaN(actual) && Number.isNaN(expected) && (opts?.equal_nan ?? false)) return;
    if (Math.abs(actual - expected) <= a + r * Math.abs(expected)) return;
    fail(scalarMismatch(actual, expected, r, a, true), path, opts);
  }
  if ((actual === null || actual === undefined) && (expected === null || expected === undefined)) return;
  fail(`No comparison pair was able to handle inputs of type ${typename(actual)} and ${typename(expected)}.`, path, opts);
}

/**
 * torch.testing.assert_close(actual, expected, {rtol, atol, equal_nan, check_dtype, ...}):
 * tensors (also nested in arrays, objects and Maps) and numbers must be close, with
 * Python's default tolerances per dtype (float32: rtol 1.3e-6, atol 1e-5; float64: 1e-7;
 * integers and bool: exact). Throws an AssertionError with Python's message.
 */
export function assert_close(actual: unknown, expected: unknown, opts?: AssertCloseOpts): void {
  const rtol = opts?.rtol ?? null;
  const atol = opts?.atol ?? null;
  if ((rtol === null) !== (atol === null)) {
    throw new RangeError(`Both 'rtol' and 'atol' must be either specified or omitted, but got no ${rtol === null ? 'rtol' : 'atol'}.`);
  }
  compare(actual, expected, [], opts, rtol, atol);
}

/** Deprecated torch.testing.assert_allclose: assert_close without dtype checks. */
export function assert_allclose(actual: unknown, expected: unknown, opts?: AssertCloseOpts): void {
  assert_close(actual, expected, { check_dtype: false, ...opts });
}
