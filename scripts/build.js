#!/usr/bin/env node
// Builds the native addon into build/Release/torchopt_node.node.
//
// Uses cmake-js when it is installed (a development clone), else plain cmake (an
// install from npm, or the GPU machine where there is no npm). Both run the same
// CMakeLists.txt; libtorch is taken from $LIBTORCH, $TORCH_CMAKE_PREFIX, or the system.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, 'build');
const jobs = String(Math.max(1, require('os').cpus().length));

function nodeApiHeaders() {
  if (process.env.NODE_API_HEADERS_DIR) return process.env.NODE_API_HEADERS_DIR;
  // Node's own headers carry the experimental Node-API declarations we build with.
  const candidates = [
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  for (const dir of candidates) if (fs.existsSync(path.join(dir, 'node_api.h'))) return path.resolve(dir);
  fail(
    'Node.js headers (node_api.h) not found. Install the headers of your Node.js ' +
      '(Debian: they come with the nodejs package; nvm and the official tarballs ship them in include/node) ' +
      'or set NODE_API_HEADERS_DIR.',
  );
}

function fail(msg) {
  console.error(`torchopt-node build: ${msg}`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  return r.status;
}

function torchHint() {
  return (
    'libtorch was not found or the build failed.\n' +
    '  Debian/Ubuntu: sudo apt-get install -y libtorch-dev libopenblas0-pthread libgloo-dev cmake g++\n' +
    '  Another libtorch: LIBTORCH=/path/to/libtorch npm rebuild torchopt-node\n' +
    "  pip torch (CPU or CUDA): TORCH_CMAKE_PREFIX=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)') npm rebuild torchopt-node"
  );
}

const defs = [
  `-DNODE_API_HEADERS_DIR=${nodeApiHeaders()}`,
  '-DCMAKE_BUILD_TYPE=Release',
];

let cmakeJs = null;
try {
  cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
} catch {
  /* plain cmake below */
}

let status;
if (cmakeJs && !process.env.TON_PLAIN_CMAKE) {
  status = run(process.execPath, [
    cmakeJs,
    'compile',
    '--out',
    'build',
    '--parallel',
    jobs,
    ...defs.map((d) => `--C${d.slice(1)}`),
  ]);
} else {
  fs.mkdirSync(buildDir, { recursive: true });
  status = run('cmake', [
    '-S',
    root,
    '-B',
    buildDir,
    ...defs,
    `-DCMAKE_LIBRARY_OUTPUT_DIRECTORY=${path.join(buildDir, 'Release')}`,
  ]);
  if (status === 0) status = run('cmake', ['--build', buildDir, '--parallel', jobs]);
}
if (status !== 0) fail(torchHint());
