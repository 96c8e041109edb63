// GC pacing: the addon runs a minor (young-generation) collection every ~1,000 tensors
// or 4 MiB of tensors made and left to the GC, so that dead results are freed while
// their memory is still in cache (csrc/core/gc_pacing.h; docs/performance.md, "GC
// pacing"). The thresholds adapt: collections that find little garbage or cost too much
// back off. TORCHOPT_NODE_GC=off turns it off at load.
import * as v8 from 'v8';
import * as vm from 'vm';
import { N } from '../native';

export interface GcThreshold {
  /** A minor GC after this many tensors made (0: no count trigger). */
  tensors: number;
  /** A minor GC after this many bytes of tensors made (0: no byte trigger). */
  bytes: number;
  /** Raise the thresholds while collections find little garbage or cost too much, and
   * lower them back to these values when they pay again (default true). */
  adaptive: boolean;
}

const DEFAULT: GcThreshold = { tensors: 1000, bytes: 4 << 20, adaptive: true };
let current: GcThreshold | null = null;

// V8's gc() from a fresh context: --expose-gc is set only while that context is made, so
// neither this program's global scope nor its later contexts and workers see a `gc`.
type V8Gc = (options: { type: 'minor' | 'major' }) => void;
let minorGc: (() => void) | null | undefined;
function collector(): (() => void) | null {
  if (minorGc !== undefined) return minorGc;
  minorGc = null;
  try {
    let gc = vm.runInNewContext('typeof gc === "function" ? gc : undefined') as V8Gc | undefined;
    if (gc === undefined) {
      v8.setFlagsFromString('--expose-gc');
      try {
        gc = vm.runInNewContext('gc') as V8Gc;
      } finally {
        v8.setFlagsFromString('--no-expose-gc');
      }
    }
    const f = gc;
    if (typeof f === 'function') minorGc = () => f({ type: 'minor' });
  } catch {
    // A runtime without V8's gc extension: V8 paces alone.
  }
  return minorGc;
}

function checkCount(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`set_gc_threshold(): ${name} must be a finite number`);
  if (v < 0 || !Number.isInteger(v)) throw new RangeError(`set_gc_threshold(): ${name} must be a non-negative integer, got ${v}`);
  return v;
}

function checkBool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`set_gc_threshold(): ${name} must be a boolean`);
  return v;
}

/** Sets the GC pacing thresholds (`{tensors, bytes, adaptive}`; a missing key takes its
 * default, a threshold of 0 turns that trigger off), or turns pacing off with `null`. */
export function set_gc_threshold(t: Partial<GcThreshold> | null): void {
  if (t === null) {
    current = null;
    N.gc_pacing(null, 0, 0, false);
    return;
  }
  if (typeof t !== 'object') throw new TypeError('set_gc_threshold(): expected {tensors, bytes} or null');
  const next: GcThreshold = {
    tensors: t.tensors === undefined ? DEFAULT.tensors : checkCount(t.tensors, 'tensors'),
    bytes: t.bytes === undefined ? DEFAULT.bytes : checkCount(t.bytes, 'bytes'),
    adaptive: t.adaptive === undefined ? DEFAULT.adaptive : checkBool(t.adaptive, 'adaptive'),
  };
  const gc = collector();
  current = gc === null ? null : next;
  N.gc_pacing(gc, next.tensors, next.bytes, next.adaptive);
}

/** The thresholds set (null when pacing is off). */
export function get_gc_threshold(): GcThreshold | null {
  return current === null ? null : { ...current };
}

/** Paced collections so far, the seconds they took, the thresholds in force now (after
 * adaptation; 0 where a trigger is off), and how tensor handles are made: `'v8'` (one
 * weak V8 handle each, when the running Node is the major the addon was built for) or
 * `'node-api'` (another Node major, or TORCHOPT_NODE_NAPI_HANDLES=1). */
export function gc_stats(): { collections: number; seconds: number; tensors: number; bytes: number; handles: 'v8' | 'node-api' } {
  const [collections, seconds, tensors, bytes, v8] = N.gc_stats() as number[];
  return { collections, seconds, tensors, bytes, handles: v8 === 1 ? 'v8' : 'node-api' };
}

if (!/^(0|off|false|no)$/i.test(process.env.TORCHOPT_NODE_GC ?? '')) set_gc_threshold(DEFAULT);
