// Devices. A device travels to the addon as one int: (type << 8) | index (0xff = none).
import { N } from '../native';

const DEVICE_TYPES: Record<string, number> = { cpu: 0, cuda: 1, meta: 14 };
const TYPE_NAMES: Record<number, string> = { 0: 'cpu', 1: 'cuda', 14: 'meta' };

export class device {
  readonly type: string;
  readonly index: number | null;
  /** @internal */ readonly code: number;

  constructor(spec: string | device, index?: number) {
    if (spec instanceof device) {
      this.type = spec.type;
      this.index = spec.index;
      this.code = spec.code;
      return;
    }
    if (typeof spec !== 'string') throw new TypeError(`device(): expected a string like 'cpu' or 'cuda:0', got ${typeof spec}`);
    const m = /^(\w+)(?::(\d+))?$/.exec(spec.trim());
    if (m === null || DEVICE_TYPES[m[1]] === undefined) {
      throw new RangeError(`device(): expected one of cpu, cuda, meta (with an optional ':index'), got '${spec}'`);
    }
    this.type = m[1];
    const idx = m[2] !== undefined ? Number(m[2]) : index;
    this.index = idx === undefined ? null : idx;
    if (this.index !== null && (this.index < 0 || this.index > 254)) throw new RangeError(`device(): bad index ${this.index}`);
    this.code = (DEVICE_TYPES[this.type] << 8) | (this.index === null ? 0xff : this.index);
    Object.freeze(this);
  }

  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `device(type='${this.type}'${this.index === null ? '' : `, index=${this.index}`})`;
  }
  equals(other: DeviceLike): boolean {
    return toDevice(other).code === this.code;
  }
}

export type DeviceLike = device | string;

const cache = new Map<number, device>();

export function deviceFromCode(code: number): device {
  let d = cache.get(code);
  if (d === undefined) {
    const type = TYPE_NAMES[code >> 8] ?? `device${code >> 8}`;
    const idx = code & 0xff;
    d = new device(type, idx === 0xff ? undefined : idx);
    cache.set(code, d);
  }
  return d;
}

export function toDevice(d: DeviceLike): device {
  return d instanceof device ? d : new device(d);
}

/** The device code for the addon, or null. */
export function deviceCode(d: DeviceLike | null | undefined): number | null {
  if (d === undefined || d === null) return null;
  return toDevice(d).code;
}

export const cuda = {
  is_available(): boolean {
    return N.cuda_is_available();
  },
  device_count(): number {
    return N.cuda_device_count();
  },
  synchronize(index = -1): void {
    N.cuda_synchronize(index);
  },
  current_device(): number {
    return 0;
  },
  /** Bytes of tensors held by the CUDA caching allocator on a device (default: current). */
  memory_allocated(d?: number | DeviceLike): number {
    return cudaMemoryStat(d, 0);
  },
  max_memory_allocated(d?: number | DeviceLike): number {
    return cudaMemoryStat(d, 1);
  },
  /** Bytes the caching allocator holds from the driver (tensors and its cache). */
  memory_reserved(d?: number | DeviceLike): number {
    return cudaMemoryStat(d, 2);
  },
  max_memory_reserved(d?: number | DeviceLike): number {
    return cudaMemoryStat(d, 3);
  },
  reset_peak_memory_stats(d?: number | DeviceLike): void {
    if (N.cuda_memory_stat && N.cuda_is_available()) N.cuda_reset_peak_memory_stats(cudaIndex(d));
  },
  /** Returns the allocator's unused cached blocks to the driver. */
  empty_cache(): void {
    if (N.cuda_memory_stat && N.cuda_is_available()) N.cuda_empty_cache();
  },
};

function cudaIndex(d: number | DeviceLike | undefined): number {
  if (d === undefined || d === null) return -1;
  if (typeof d === 'number') return d;
  const dev = toDevice(d);
  if (dev.type !== 'cuda') throw new RangeError(`torch.cuda: expected a CUDA device, got '${dev}'`);
  return dev.index ?? -1;
}

// Zero where the addon has no CUDA (a CPU build) or no GPU is present, as Python's
// torch.cuda.memory_allocated() is 0 before CUDA is used.
function cudaMemoryStat(d: number | DeviceLike | undefined, which: number): number {
  const index = cudaIndex(d);
  if (!N.cuda_memory_stat || !N.cuda_is_available()) return 0;
  return N.cuda_memory_stat(index, which);
}
