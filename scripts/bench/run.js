#!/usr/bin/env node
// Compiles lib/ and scripts/bench/ to build/js and runs benchmarks with plain node (not
// ts-node: its compiler in the heap would slow every garbage collection).
//   npm run bench                 all benchmarks
//   npm run bench -- overhead     one (file name under scripts/bench without .ts)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..', '..');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.bench.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status || 1);
const names = process.argv.slice(2);
const all = fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && f !== 'common.ts').map((f) => f.slice(0, -3));
let failed = 0;
for (const name of names.length ? names : all) {
  const file = path.join(root, 'build', 'js', 'scripts', 'bench', `${name}.js`);
  if (!fs.existsSync(file)) {
    console.error(`no benchmark named ${name} (have: ${all.join(', ')})`);
    process.exit(2);
  }
  console.log(`\n=== ${name} ===`);
  // One BLAS thread on both sides (the Python peer inherits the environment): timings
  // on this 2-core machine are otherwise at the mercy of OpenBLAS's spinning threads.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS || '1', OMP_NUM_THREADS: process.env.OMP_NUM_THREADS || '1' };
  const r = spawnSync(process.execPath, ['--expose-gc', file], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
