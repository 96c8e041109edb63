// Data types. Codes are c10::ScalarType values (stable across libtorch 1.13 and 2.x).

export class dtype {
  constructor(
    readonly name: string,
    /** c10::ScalarType code. */
    readonly code: number,
    readonly itemsize: number,
    readonly is_floating_point: boolean,
    readonly is_signed: boolean,
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return `torch.${this.name}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export const uint8 = new dtype('uint8', 0, 1, false, false);
export const int8 = new dtype('int8', 1, 1, false, true);
export const int16 = new dtype('int16', 2, 2, false, true);
export const int32 = new dtype('int32', 3, 4, false, true);
export const int64 = new dtype('int64', 4, 8, false, true);
export const float16 = new dtype('float16', 5, 2, true, true);
export const float32 = new dtype('float32', 6, 4, true, true);
export const float64 = new dtype('float64', 7, 8, true, true);
export const bool = new dtype('bool', 11, 1, false, false);
export const bfloat16 = new dtype('bfloat16', 15, 2, true, true);

// Python's aliases.
export const half = float16;
export const float = float32;
export const double = float64;
export const short = int16;
export const int = int32;
export const long = int64;

const byCode: dtype[] = [];
for (const d of [uint8, int8, int16, int32, int64, float16, float32, float64, bool, bfloat16]) byCode[d.code] = d;

export function dtypeFromCode(code: number): dtype {
  const d = byCode[code];
  if (d === undefined) throw new TypeError(`unsupported dtype code ${code}`);
  return d;
}

export function isDtype(x: unknown): x is dtype {
  return x instanceof dtype;
}

/** The JS number type of a dtype's elements as returned by tolist()/item(). */
export function isIntegral(d: dtype): boolean {
  return !d.is_floating_point && d !== bool;
}
