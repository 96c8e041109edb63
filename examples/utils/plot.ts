// A minimal SVG line chart for the examples (no dependencies): plot([{name, ys}], path).
import * as fs from 'fs';
import * as path from 'path';

export type Series = { name: string; xs?: number[]; ys: number[]; color?: string };

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

function ticks(lo: number, hi: number, n = 5): number[] {
  if (hi === lo) return [lo];
  const step = (hi - lo) / (n - 1);
  return Array.from({ length: n }, (_, i) => lo + i * step);
}
const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : Number(v.toPrecision(3)).toString());

/** Writes an SVG chart and returns its path. logY plots log10 of positive values. */
export function plot(series: Series[], file: string, opts: { title?: string; xlabel?: string; ylabel?: string; logY?: boolean } = {}): string {
  const W = 640;
  const H = 400;
  const m = { l: 70, r: 20, t: 40, b: 50 };
  const tr = (v: number) => (opts.logY ? Math.log10(Math.max(v, 1e-12)) : v);
  const all = series.flatMap((s) => s.ys.map((y, i) => [s.xs ? s.xs[i] : i, tr(y)]));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  if (opts.title) parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${opts.title}</text>`);
  parts.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`, `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`);
  for (const t of ticks(x0, x1)) parts.push(`<text x="${sx(t)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(t)}</text>`);
  for (const t of ticks(y0, y1)) {
    parts.push(`<text x="${m.l - 6}" y="${sy(t) + 4}" text-anchor="end">${opts.logY ? fmt(10 ** t) : fmt(t)}</text>`);
    parts.push(`<line x1="${m.l}" y1="${sy(t)}" x2="${W - m.r}" y2="${sy(t)}" stroke="#ddd"/>`);
  }
  if (opts.xlabel) parts.push(`<text x="${(W + m.l) / 2}" y="${H - 12}" text-anchor="middle">${opts.xlabel}</text>`);
  if (opts.ylabel) parts.push(`<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${opts.ylabel}${opts.logY ? ' (log)' : ''}</text>`);
  series.forEach((s, k) => {
    const c = s.color ?? COLORS[k % COLORS.length];
    const pts = s.ys.map((y, i) => `${sx(s.xs ? s.xs[i] : i).toFixed(1)},${sy(tr(y)).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts}"/>`);
    parts.push(`<text x="${W - m.r - 150}" y="${m.t + 16 * (k + 1)}" fill="${c}">${s.name}</text>`);
  });
  parts.push('</svg>');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, parts.join('\n'));
  return file;
}

/** A moving average (for noisy loss curves). */
export function smooth(ys: number[], k = 20): number[] {
  return ys.map((_, i) => {
    const a = ys.slice(Math.max(0, i - k + 1), i + 1);
    return a.reduce((s, v) => s + v, 0) / a.length;
  });
}
