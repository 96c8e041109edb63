#!/usr/bin/env node
// npm install hook: use a prebuilt addon when one loads here, else build from source.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
if (!process.env.TORCHOPT_NODE_BUILD_FROM_SOURCE) {
  try {
    // Loads build/Release or a matching prebuild; a prebuild made against another
    // libtorch fails to load here and we build instead.
    require('node-gyp-build')(root);
    process.exit(0);
  } catch {
    /* build below */
  }
}
const r = spawnSync(process.execPath, [path.join(__dirname, 'build.js')], { stdio: 'inherit', cwd: root });
process.exit(r.status === null ? 1 : r.status);
