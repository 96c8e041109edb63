// Benchmark helpers: timing loops, the Python peer, and result tables.
import { execFileSync } from 'child_process';

export const PYTHON = process.env.TORCHOPT_NODE_PYTHON ?? '/usr/bin/python3';

/** Median ns per iteration of fn over `rounds` rounds of `n` calls (after a warm-up). */
export function timeNs(fn: () => void, n: number, rounds = 7): number {
  for (let i = 0; i < Math.min(n, 20000); i++) fn();
  const ts: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    ts.push(Number(process.hrtime.bigint() - t0) / n);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

/** Runs a Python snippet that prints one JSON object; null when Python torch is absent. */
export function python(code: string): Record<string, number> | null {
  try {
    const out = execFileSync(PYTHON, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600000 });
    return JSON.parse(out.trim().split('\n').pop()!);
  } catch (e) {
    console.error(`(python peer unavailable: ${(e as Error).message.split('\n')[0]})`);
    return null;
  }
}

/**
 * Runs the Python snippet and `ours` alternately, `times` times each, so that machine
 * drift hits both sides; returns per-key medians (peer null when Python is absent).
 */
export function interleaved(
  code: string,
  ours: () => Record<string, number>,
  times = 2,
): { J: (k: string) => number; P: (k: string) => number | null } {
  const runsPy: Record<string, number>[] = [];
  const runsJs: Record<string, number>[] = [];
  for (let k = 0; k < times; k++) {
    const p = python(code);
    if (p) runsPy.push(p);
    runsJs.push(ours());
  }
  const med = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return {
    J: (k) => med(runsJs.map((r) => r[k])),
    P: (k) => (runsPy.length ? med(runsPy.map((r) => r[k])) : null),
  };
}

/** Python helper prelude: a `bench(fn, n, rounds)` with the same method as timeNs. */
export const PY_PRELUDE = `
import json, time, torch
torch.set_num_threads(1)
def bench(fn, n, rounds=7):
    for _ in range(min(n, 20000)): fn()
    ts = []
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        for _ in range(n): fn()
        ts.append((time.perf_counter_ns() - t0) / n)
    ts.sort()
    return ts[len(ts) // 2]
`;

export type Row = { name: string; ours: number; peer: number | null; target?: number; unit?: string };

export function table(title: string, rows: Row[]): boolean {
  console.log(`\n${title}`);
  console.log(`${'workload'.padEnd(44)} ${'ours'.padStart(11)} ${'python'.padStart(11)} ${'ratio'.padStart(7)} ${'target'.padStart(7)}  verdict`);
  let ok = true;
  for (const r of rows) {
    const unit = r.unit ?? 'ns';
    const ratio = r.peer ? r.ours / r.peer : NaN;
    const verdict = r.target === undefined || !r.peer ? '' : ratio <= r.target ? 'PASS' : 'FAIL';
    if (verdict === 'FAIL') ok = false;
    const fmt = (v: number | null) => (v === null ? '-' : `${v.toFixed(v < 100 ? 1 : 0)} ${unit}`);
    console.log(
      `${r.name.padEnd(44)} ${fmt(r.ours).padStart(11)} ${fmt(r.peer).padStart(11)} ${Number.isNaN(ratio) ? '-'.padStart(7) : `${ratio.toFixed(2)}x`.padStart(7)} ${r.target === undefined ? ''.padStart(7) : `${r.target}x`.padStart(7)}  ${verdict}`,
    );
  }
  return ok;
}
