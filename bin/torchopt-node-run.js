#!/usr/bin/env node
// torchopt-node-run: starts the ranks of a todist program on this machine, as torchrun.
//
//   npx torchopt-node-run --nproc_per_node N [--nnodes M --node_rank R
//       --master_addr A --master_port P] script.ts [script args...]
//
// Every rank runs the same script with RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE,
// MASTER_ADDR and MASTER_PORT set (and TORCHOPT_NODE_LAUNCHER_PID, so that a rank dies
// with its launcher). .ts scripts run through ts-node's register hook (transpile only;
// --typecheck to type-check), other scripts with plain node. Several machines: run the
// launcher on each with the same --nnodes, --master_addr and --master_port and its own
// --node_rank.
//
// Signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) are forwarded to every rank.
// When a rank fails (non-zero exit or a signal), the others get SIGTERM (then SIGKILL
// after --kill_timeout seconds) and the launcher exits with the failed rank's code.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const USAGE = `usage: torchopt-node-run [--nproc_per_node N] [--nnodes M] [--node_rank R]
                          [--master_addr ADDR] [--master_port PORT] [--kill_timeout S]
                          [--typecheck] [--node_arg ARG]... script [args...]

  --nproc_per_node N   ranks on this machine (default 1; 'auto': one per CPU core)
  --nnodes M           machines (default 1); run the launcher on each
  --node_rank R        this machine's index, 0..M-1 (default 0)
  --master_addr ADDR   where rank 0 runs (default 127.0.0.1)
  --master_port PORT   the rendezvous port on ADDR (default 29500)
  --kill_timeout S     seconds between SIGTERM and SIGKILL when stopping ranks (default 5)
  --typecheck          type-check .ts scripts (default: transpile only)
  --node_arg ARG       an extra option for node (repeatable), e.g. --node_arg=--expose-gc`;

function fail(msg) {
  process.stderr.write(`torchopt-node-run: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv) {
  const o = { nproc: 1, nnodes: 1, nodeRank: 0, addr: '127.0.0.1', port: 29500, killTimeout: 5, typecheck: false, nodeArgs: [], script: null, args: [] };
  const ints = { nproc_per_node: 'nproc', nnodes: 'nnodes', node_rank: 'nodeRank', master_port: 'port' };
  let i = 0;
  while (i < argv.length) {
    let a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('--')) break;
    let value = null;
    const eq = a.indexOf('=');
    if (eq >= 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const key = a.slice(2).replace(/-/g, '_');
    const take = () => {
      if (value !== null) return value;
      i++;
      if (i >= argv.length) fail(`${a} needs a value`);
      return argv[i];
    };
    if (key === 'help' || key === 'h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (key === 'typecheck') {
      o.typecheck = true;
    } else if (key === 'nproc_per_node') {
      const v = take();
      o.nproc = v === 'auto' ? os.cpus().length : Number(v);
    } else if (key in ints) {
      o[ints[key]] = Number(take());
    } else if (key === 'master_addr') {
      o.addr = take();
    } else if (key === 'kill_timeout') {
      o.killTimeout = Number(take());
    } else if (key === 'node_arg') {
      o.nodeArgs.push(take());
    } else if (key === 'standalone' || key === 'no_python') {
      // torchrun options that mean nothing here.
    } else {
      fail(`unknown option ${a}`);
    }
    i++;
  }
  if (i >= argv.length) fail('no script given');
  o.script = argv[i];
  o.args = argv.slice(i + 1);
  for (const [k, v] of [['--nproc_per_node', o.nproc], ['--nnodes', o.nnodes], ['--master_port', o.port]]) {
    if (!Number.isInteger(v) || v < 1) fail(`${k} must be a positive integer`);
  }
  if (!Number.isInteger(o.nodeRank) || o.nodeRank < 0 || o.nodeRank >= o.nnodes) fail('--node_rank must be in 0..nnodes-1');
  if (!(o.killTimeout >= 0)) fail('--kill_timeout must be a number of seconds');
  return o;
}

function tsRegister(script, typecheck) {
  const hook = typecheck ? 'ts-node/register' : 'ts-node/register/transpile-only';
  const paths = [path.dirname(path.resolve(script)), process.cwd(), path.resolve(__dirname, '..')];
  try {
    return require.resolve(hook, { paths });
  } catch {
    fail(`${script} is TypeScript, but ts-node is not installed (npm install --save-dev ts-node typescript), or run the compiled .js`);
  }
}

function main() {
  const o = parse(process.argv.slice(2));
  if (!fs.existsSync(o.script)) fail(`no such script: ${o.script}`);
  const nodeArgs = [...o.nodeArgs];
  if (/\.[cm]?tsx?$/.test(o.script)) nodeArgs.push('--require', tsRegister(o.script, o.typecheck));
  const world = o.nproc * o.nnodes;
  const children = new Map(); // rank -> child
  let failure = null; // {rank, code, signal}
  let signalled = null;
  let killTimer = null;

  const alive = (c) => c.exitCode === null && c.signalCode === null;
  const signalAll = (sig) => {
    for (const c of children.values()) if (alive(c)) c.kill(sig);
  };
  // SIGKILL for the ranks still running --kill_timeout seconds after they were asked to stop.
  const armKillTimer = () => {
    if (killTimer !== null) return;
    killTimer = setTimeout(() => signalAll('SIGKILL'), o.killTimeout * 1000);
    killTimer.unref();
  };
  const stopOthers = () => {
    signalAll('SIGTERM');
    armKillTimer();
  };

  const finish = () => {
    if (killTimer !== null) clearTimeout(killTimer);
    if (failure !== null) {
      const how = failure.signal ? `was killed by ${failure.signal}` : `exited with code ${failure.code}`;
      if (!signalled) process.stderr.write(`torchopt-node-run: rank ${failure.rank} ${how}; the other ranks were stopped\n`);
      const sigNum = failure.signal ? os.constants.signals[failure.signal] ?? 1 : 0;
      process.exitCode = failure.code ? failure.code : 128 + sigNum;
    } else if (signalled) {
      process.exitCode = 128 + (os.constants.signals[signalled] ?? 1);
    } else {
      process.exitCode = 0;
    }
  };

  for (let local = 0; local < o.nproc; local++) {
    const rank = o.nodeRank * o.nproc + local;
    const env = {
      ...process.env,
      RANK: String(rank),
      WORLD_SIZE: String(world),
      LOCAL_RANK: String(local),
      LOCAL_WORLD_SIZE: String(o.nproc),
      GROUP_RANK: String(o.nodeRank),
      MASTER_ADDR: o.addr,
      MASTER_PORT: String(o.port),
      TORCHOPT_NODE_LAUNCHER_PID: String(process.pid),
    };
    const child = spawn(process.execPath, [...nodeArgs, o.script, ...o.args], { env, stdio: 'inherit' });
    children.set(rank, child);
    child.on('error', (err) => {
      process.stderr.write(`torchopt-node-run: rank ${rank} could not start: ${err.message}\n`);
      if (failure === null) failure = { rank, code: 1, signal: null };
      stopOthers();
    });
    child.on('exit', (code, signal) => {
      if ((code !== 0 || signal !== null) && failure === null && !(signalled && signal === signalled)) {
        failure = { rank, code, signal };
        stopOthers();
      }
      if (![...children.values()].some(alive)) finish();
    });
  }

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']) {
    process.on(sig, () => {
      if (signalled === null && sig !== 'SIGUSR1' && sig !== 'SIGUSR2') signalled = sig;
      signalAll(sig);
      if (signalled !== null) armKillTimer();
    });
  }
}

main();
