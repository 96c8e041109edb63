// Tensor printing, following PyTorch's _tensor_str.py so that ported programs print
// the same text: `tensor([0.5109, 0.5178], grad_fn=<SigmoidBackward0>)`.

export const printOptions = {
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sci_mode: null as boolean | null,
};

export type PrintOptions = Partial<typeof printOptions> & { profile?: 'default' | 'short' | 'full' };

export function set_printoptions(opts: PrintOptions): void {
  if (opts.profile === 'default') Object.assign(printOptions, { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
  else if (opts.profile === 'short') Object.assign(printOptions, { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 });
  else if (opts.profile === 'full') Object.assign(printOptions, { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 });
  for (const k of ['precision', 'threshold', 'edgeitems', 'linewidth', 'sci_mode'] as const) {
    if (opts[k] !== undefined) (printOptions as Record<string, unknown>)[k] = opts[k];
  }
}

// Python's '{:.Nf}' rounds the exact binary value half-to-even; toFixed rounds exact
// ties up. Ties are exact only for dyadic values, which we detect from a longer
// exact expansion.
function fixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  let s: string;
  if (Math.abs(x) >= 1e21) s = BigInt(Math.round(x)).toString() + (p > 0 ? '.' + '0'.repeat(p) : '');
  else {
    s = x.toFixed(p);
    const long = x.toFixed(Math.min(100, p + 60));
    const cut = long.indexOf('.') + 1 + p + (p === 0 ? -1 : 0);
    const rest = p === 0 ? long.slice(long.indexOf('.') + 1) : long.slice(cut);
    if (/^50*$/.test(rest)) {
      // A tie: round half to even from the truncated digits.
      const trunc = p === 0 ? long.slice(0, long.indexOf('.')) : long.slice(0, cut);
      const lastDigit = Number(trunc[trunc.length - 1]);
      if (lastDigit % 2 === 0) s = trunc;
    }
  }
  if (Object.is(x, -0) || (x < 0 && !s.startsWith('-'))) s = '-' + s;
  return s;
}

function sci(x: number, p: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const s = x.toExponential(p);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s)!;
  return `${m[1]}e${m[2]}${m[3].padStart(2, '0')}`;
}

class Formatter {
  floating: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(values: ArrayLike<number | bigint | boolean>, floating: boolean, isBool: boolean) {
    this.floating = floating;
    const p = printOptions.precision;
    if (!floating) {
      for (let i = 0; i < values.length; i++) this.maxWidth = Math.max(this.maxWidth, intStr(values[i], isBool).length);
    } else {
      const nz: number[] = [];
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        if (Number.isFinite(v) && v !== 0) nz.push(v);
      }
      if (nz.length > 0) {
        let mn = Infinity;
        let mx = 0;
        for (const v of nz) {
          const a = Math.abs(v);
          if (a < mn) mn = a;
          if (a > mx) mx = a;
          if (v !== Math.ceil(v)) this.intMode = false;
        }
        if (this.intMode) {
          if (mx / mn > 1000 || mx > 1e8) {
            this.sciMode = true;
            for (const v of nz) this.maxWidth = Math.max(this.maxWidth, sci(v, p).length);
          } else for (const v of nz) this.maxWidth = Math.max(this.maxWidth, fixed(v, 0).length + 1);
        } else if (mx / mn > 1000 || mx > 1e8 || mn < 1e-4) {
          this.sciMode = true;
          for (const v of nz) this.maxWidth = Math.max(this.maxWidth, sci(v, p).length);
        } else for (const v of nz) this.maxWidth = Math.max(this.maxWidth, fixed(v, p).length);
      }
    }
    if (printOptions.sci_mode !== null) this.sciMode = printOptions.sci_mode;
  }

  format(value: number | bigint | boolean, isBool: boolean): string {
    let ret: string;
    if (this.floating) {
      const v = value as number;
      if (this.sciMode) ret = sci(v, printOptions.precision);
      else if (this.intMode) {
        ret = fixed(v, 0);
        if (Number.isFinite(v)) ret += '.';
      } else ret = fixed(v, printOptions.precision);
    } else ret = intStr(value, isBool);
    return ret.length < this.maxWidth ? ' '.repeat(this.maxWidth - ret.length) + ret : ret;
  }
}

function intStr(v: number | bigint | boolean, isBool: boolean): string {
  if (isBool) return v ? 'True' : 'False';
  return String(v);
}

/** What format() needs of a tensor. */
export interface Printable {
  shape: number[];
  values: ArrayLike<number | bigint | boolean>; // C order
  floating: boolean;
  isBool: boolean;
  suffixes: string[];
}

function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Indices (flat offsets) of the values shown when summarizing. */
function summarizedValues(p: Printable, st: number[]): (number | bigint | boolean)[] {
  const out: (number | bigint | boolean)[] = [];
  const e = printOptions.edgeitems;
  const walk = (dim: number, off: number) => {
    if (dim === p.shape.length) {
      out.push(p.values[off]);
      return;
    }
    const n = p.shape[dim];
    const idx = n > 2 * e ? [...Array(e).keys(), ...Array.from({ length: e }, (_, i) => n - e + i)] : [...Array(n).keys()];
    for (const i of idx) walk(dim + 1, off + i * st[dim]);
  };
  walk(0, 0);
  return out;
}

export function formatTensor(p: Printable): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const numel = p.shape.reduce((a, b) => a * b, 1);
  let body: string;
  if (numel === 0) body = '[]';
  else {
    const summarize = numel > printOptions.threshold;
    const st = strides(p.shape);
    const fmt = new Formatter(summarize ? summarizedValues(p, st) : p.values, p.floating, p.isBool);
    body = tensorStr(p, fmt, 0, 0, indent, summarize, st);
  }
  return addSuffixes(prefix + body, p.suffixes, indent);
}

function tensorStr(p: Printable, fmt: Formatter, dim: number, off: number, indent: number, summarize: boolean, st: number[]): string {
  const nd = p.shape.length - dim;
  if (nd === 0) return fmt.format(p.values[off], p.isBool);
  const n = p.shape[dim];
  const e = printOptions.edgeitems;
  if (nd === 1) {
    const elementLength = fmt.maxWidth + 2;
    const perLine = Math.max(1, Math.floor((printOptions.linewidth - indent) / elementLength));
    const data: string[] = [];
    const item = (i: number) => fmt.format(p.values[off + i * st[dim]], p.isBool);
    if (summarize && n > 2 * e) {
      for (let i = 0; i < e; i++) data.push(item(i));
      data.push(' ...');
      for (let i = n - e; i < n; i++) data.push(item(i));
    } else for (let i = 0; i < n; i++) data.push(item(i));
    const lines: string[] = [];
    for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
    return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
  }
  const slices: string[] = [];
  const sub = (i: number) => tensorStr(p, fmt, dim + 1, off + i * st[dim], indent + 1, summarize, st);
  if (summarize && n > 2 * e) {
    for (let i = 0; i < e; i++) slices.push(sub(i));
    slices.push('...');
    for (let i = n - e; i < n; i++) slices.push(sub(i));
  } else for (let i = 0; i < n; i++) slices.push(sub(i));
  return '[' + slices.join(',' + '\n'.repeat(nd - 1) + ' '.repeat(indent + 1)) + ']';
}

function addSuffixes(s: string, suffixes: string[], indent: number): string {
  const parts = [s];
  let lastLineLen = s.length - s.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > printOptions.linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}
