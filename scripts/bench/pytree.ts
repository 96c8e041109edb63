/**
 * Pytree benchmark: a plain object of 100 keys whose values are arrays of 10 leaves (1000 leaves),
 * the workload of the optree figures in /work/shared/spec/peer-baselines.md. Times tree_flatten,
 * tree_unflatten and tree_map(identity) (median of many batches, microseconds per call) beside a
 * hand-written JS loop doing the same work in the same run, so that machine drift shows.
 * Target: at most 0.5x optree's time. If Python's optree (or torch.utils._pytree) is importable,
 * it is timed in the same run as extra rows.
 *
 *   npx ts-node scripts/bench/pytree.ts [--quick]
 */

import { spawnSync } from 'child_process';
import { tree_flatten, tree_map, tree_unflatten } from '../../lib/pytree';

class Leaf {
  constructor(readonly v: number) {}
}

const OPTREE_US = { flatten: 31.9, unflatten: 11.7, map: 59.5 };
const TARGET = 0.5;
const quick = process.argv.includes('--quick');

type Tree = Record<string, Leaf[]>;

function makeTree(): Tree {
  const tree: Tree = {};
  let n = 0;
  for (let k = 0; k < 100; k++) {
    const row: Leaf[] = [];
    for (let j = 0; j < 10; j++) row.push(new Leaf(n++));
    tree[`key${k}`] = row;
  }
  return tree;
}

/** Median microseconds per call of fn, over `batches` batches of `inner` calls. */
function timeUs(fn: () => unknown, batches: number, inner: number): number {
  for (let i = 0; i < inner * 20; i++) fn(); // warm up (JIT)
  const samples: number[] = [];
  let sink: unknown;
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) sink = fn();
    const t1 = process.hrtime.bigint();
    samples.push(Number(t1 - t0) / 1e3 / inner);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

// Hand-written baselines: the same work with no generality (keys sorted per call, as optree does).
function jsFlatten(tree: Record<string, Leaf[]>): [Leaf[], string[]] {
  const keys = Object.keys(tree).sort();
  const leaves: Leaf[] = [];
  for (let i = 0; i < keys.length; i++) {
    const row = tree[keys[i]];
    for (let j = 0; j < row.length; j++) leaves.push(row[j]);
  }
  return [leaves, keys];
}
function jsUnflatten(keys: string[], leaves: Leaf[]): Record<string, Leaf[]> {
  const out: Record<string, Leaf[]> = {};
  let p = 0;
  for (let i = 0; i < keys.length; i++) {
    out[keys[i]] = leaves.slice(p, p + 10);
    p += 10;
  }
  return out;
}
function jsMap(tree: Record<string, Leaf[]>, fn: (x: Leaf) => Leaf): Record<string, Leaf[]> {
  const keys = Object.keys(tree).sort();
  const out: Record<string, Leaf[]> = {};
  for (let i = 0; i < keys.length; i++) {
    const row = tree[keys[i]];
    const r: Leaf[] = [];
    for (let j = 0; j < row.length; j++) r.push(fn(row[j]));
    out[keys[i]] = r;
  }
  return out;
}

const PY = String.raw`
import sys, time, statistics
def bench(fn, batches, inner):
    for _ in range(inner * 5): fn()
    s = []
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(inner): fn()
        s.append((time.perf_counter() - t0) / inner * 1e6)
    return statistics.median(s)
class Leaf:
    def __init__(self, v): self.v = v
tree = {f'key{k}': [Leaf(k * 10 + j) for j in range(10)] for k in range(100)}
batches, inner = int(sys.argv[1]), int(sys.argv[2])
try:
    import optree
    leaves, spec = optree.tree_flatten(tree)
    f = bench(lambda: optree.tree_flatten(tree), batches, inner)
    u = bench(lambda: optree.tree_unflatten(spec, leaves), batches, inner)
    m = bench(lambda: optree.tree_map(lambda x: x, tree), batches, inner)
    print(f'optree {optree.__version__} {f} {u} {m}')
except ImportError:
    print('optree missing')
try:
    import torch.utils._pytree as tp
    leaves, spec = tp.tree_flatten(tree)
    f = bench(lambda: tp.tree_flatten(tree), batches, inner)
    u = bench(lambda: tp.tree_unflatten(leaves, spec), batches, inner)
    m = bench(lambda: tp.tree_map(lambda x: x, tree), batches, inner)
    import torch
    print(f'torch {torch.__version__} {f} {u} {m}')
except ImportError:
    print('torch missing')
`;

/** Rows for Python optree / torch.utils._pytree, from whichever interpreters have them. */
function pythonRows(batches: number, inner: number): { name: string; us: number[] }[] {
  const rows: { name: string; us: number[] }[] = [];
  const seen = new Set<string>();
  const missing = new Set<string>(['optree', 'torch']);
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', PY, String(batches), String(inner)], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0 || !r.stdout) continue;
    for (const line of r.stdout.trim().split('\n')) {
      const parts = line.split(' ');
      if (parts[1] === 'missing' || seen.has(parts[0])) continue;
      seen.add(parts[0]);
      missing.delete(parts[0]);
      const label = parts[0] === 'optree' ? `Python optree ${parts[1]} (${py})` : `Python torch.utils._pytree, torch ${parts[1]} (${py})`;
      rows.push({ name: label, us: parts.slice(2).map(Number) });
    }
  }
  for (const m of missing) console.log(`(Python ${m === 'optree' ? 'optree' : 'torch'} is not importable here: no side-by-side row for it)`);
  return rows;
}

function main(): void {
  const tree = makeTree();
  const [leaves, spec] = tree_flatten(tree);
  if (leaves.length !== 1000 || spec.num_leaves !== 1000) throw new Error('bad tree');
  const [bl, bk] = jsFlatten(tree);
  const id = (x: Leaf): Leaf => x;

  const batches = quick ? 51 : 201;
  const inner = quick ? 100 : 200;
  const ours = {
    flatten: timeUs(() => tree_flatten(tree), batches, inner),
    unflatten: timeUs(() => tree_unflatten(spec, leaves), batches, inner),
    map: timeUs(() => tree_map<Tree, Leaf, Leaf>(id, tree), batches, inner),
  };
  const base = {
    flatten: timeUs(() => jsFlatten(tree), batches, inner),
    unflatten: timeUs(() => jsUnflatten(bk, bl), batches, inner),
    map: timeUs(() => jsMap(tree, id), batches, inner),
  };

  // Correctness of what was timed.
  const back = tree_unflatten(spec, leaves) as Record<string, Leaf[]>;
  const mapped = tree_map<Tree, Leaf, Leaf>(id, tree);
  if (back.key42[3] !== tree.key42[3] || mapped.key99[9] !== tree.key99[9]) throw new Error('bench result mismatch');

  console.log(`pytree benchmark: object of 100 keys x arrays of 10 leaves (1000 leaves); node ${process.version}; median of ${batches} batches x ${inner} calls`);
  console.log('');
  const head = ['op', 'ours (us)', 'JS baseline (us)', 'optree ref (us)', 'ours/optree', `target <= ${TARGET}x`];
  const rows: string[][] = [];
  let allPass = true;
  for (const op of ['flatten', 'unflatten', 'map'] as const) {
    const ratio = ours[op] / OPTREE_US[op];
    const pass = ratio <= TARGET;
    allPass &&= pass;
    const name = op === 'map' ? 'tree_map(identity)' : `tree_${op}`;
    rows.push([name, ours[op].toFixed(2), base[op].toFixed(2), OPTREE_US[op].toFixed(1), ratio.toFixed(3), pass ? 'PASS' : 'FAIL']);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(fmt(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(fmt(r));
  console.log('');
  console.log('optree ref = peer-baselines.md figures (Python optree on this machine kind).');

  const py = pythonRows(quick ? 11 : 31, quick ? 50 : 200);
  for (const row of py) {
    const [f, u, m] = row.us;
    console.log(
      `${row.name}, same run: flatten ${f.toFixed(2)} us, unflatten ${u.toFixed(2)} us, map ${m.toFixed(2)} us; ` +
        `ours/it: ${(ours.flatten / f).toFixed(3)}, ${(ours.unflatten / u).toFixed(3)}, ${(ours.map / m).toFixed(3)}`,
    );
  }
  console.log(allPass ? 'RESULT: PASS' : 'RESULT: FAIL');
  if (!allPass) process.exitCode = 1;
}

main();
