#!/usr/bin/env node
// Stands in for node-gyp when prebuildify runs (`--node-gyp scripts/prebuildify-gyp.js`):
// prebuildify 6 has no cmake-js backend, so whatever it asks node-gyp to do, we run our
// CMake build, which leaves build/Release/torchopt_node.node where prebuildify looks.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');
const args = process.argv.slice(2);
if (args.includes('clean') && !args.includes('rebuild') && !args.includes('build')) process.exit(0);
const r = spawnSync(process.execPath, [path.join(__dirname, 'build.js')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status === null ? 1 : r.status);
// prebuildify strips the addon in place; give it a fresh copy (a new inode) so that
// processes which have build/Release/torchopt_node.node loaded (a test run) keep an
// intact file rather than crashing on a rewritten mapping.
const fs = require('fs');
const addon = path.join(__dirname, '..', 'build', 'Release', 'torchopt_node.node');
fs.copyFileSync(addon, `${addon}.tmp`);
fs.renameSync(`${addon}.tmp`, addon);
