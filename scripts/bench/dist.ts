// todist: the speed-up of a compute-heavy MAML step with 1 and 2 ranks, and the cost of
// a remote call with a small payload.
// Run: npm run bench -- dist   (this file, compiled, launches itself with torchopt-node-run)
//
// Each rank uses one intra-op thread, so 2 ranks use the 2 cores of the reference
// machine; the 1-rank run is the same program in one process (every call local).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { N } from '../../lib/native';
import { torch, torchopt, todist } from '../../lib';

const ROLE = process.env.TORCHOPT_NODE_BENCH_ROLE;
const TASKS = Number(process.env.BENCH_TASKS ?? 8);
const HIDDEN = Number(process.env.BENCH_HIDDEN ?? 128);
const SHOTS = Number(process.env.BENCH_SHOTS ?? 100);
const INNER = Number(process.env.BENCH_INNER ?? 5);
const STEPS = Number(process.env.BENCH_STEPS ?? 8);
const CALLS = Number(process.env.BENCH_CALLS ?? 500);

torch.set_num_threads(1);

const build_net = todist.register_module('bench_net', (h: number) =>
  new torch.nn.Sequential(new torch.nn.Linear(1, h), new torch.nn.ReLU(), new torch.nn.Linear(h, h), new torch.nn.ReLU(), new torch.nn.Linear(h, 1)),
);

const maml_loss = todist.parallelize({ partitioner: todist.batch_partitioner, reducer: todist.sum_reducer })(
  function bench_maml_loss(net: torch.nn.Module, sx: torch.Tensor, sy: torch.Tensor, qx: torch.Tensor, qy: torch.Tensor) {
    // The TorchOpt idiom: adapt the same module for each task, restoring its state.
    const state = torchopt.extract_state_dict(net);
    let total = torch.zeros([]);
    for (let t = 0; t < sx.size(0); t++) {
      torchopt.recover_state_dict(net, state);
      const inner = new torchopt.MetaSGD(net, 0.01);
      for (let i = 0; i < INNER; i++) inner.step(torch.nn.functional.mse_loss(net(sx.get(t)), sy.get(t)));
      total = total.add(torch.nn.functional.mse_loss(net(qx.get(t)), qy.get(t)));
    }
    return total;
  },
);
todist.register_function('bench_echo', (x: torch.Tensor) => x);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function mamlSteps(): number[] {
  torch.manual_seed(0);
  const net = build_net(HIDDEN);
  const opt = new torchopt.Adam(net.parameters(), 1e-3);
  const times: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const amp = torch.rand([TASKS, 1, 1]).mul(4.9).add(0.1);
    const phase = torch.rand([TASKS, 1, 1]).mul(Math.PI);
    const sx = torch.rand([TASKS, SHOTS, 1]).mul(10).sub(5);
    const qx = torch.rand([TASKS, SHOTS, 1]).mul(10).sub(5);
    const sy = sx.add(phase).sin().mul(amp);
    const qy = qx.add(phase).sin().mul(amp);
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = process.hrtime.bigint();
    todist.autograd.context((cid) => {
      const loss = maml_loss(todist.module_clone(net, { by: 'clone' }), sx, sy, qx, qy);
      opt.zero_grad();
      todist.autograd.backward(cid, loss);
      opt.step();
    });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.slice(1); // the first step warms up
}

function perCall(): Record<string, number> {
  const x = torch.ones(4);
  const us = (f: () => void, n: number) => {
    for (let i = 0; i < Math.min(200, n); i++) f();
    const rounds: number[] = [];
    for (let r = 0; r < 9; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) f();
      rounds.push(Number(process.hrtime.bigint() - t0) / n / 1000);
    }
    return median(rounds);
  };
  const out: Record<string, number> = {};
  out.local_call_us = us(() => void todist.remote_sync_call('bench_echo', { args: [x], partitioner: 0 }), CALLS);
  if (todist.get_world_size() > 1) {
    out.remote_call_us = us(() => void todist.remote_sync_call('bench_echo', { args: [x], partitioner: 1 }), CALLS);
    // The transport alone: a message of the same tensor to rank 1 and back, without
    // the call layer (rank 1 echoes it in its serve loop as a BARRIER-like request).
    out.barrier_us = us(() => todist.barrier(), CALLS / 2);
  }
  return out;
}

async function rank(): Promise<void> {
  const main = todist.auto_init_rpc(null, { timeout: 600000 })(() => {
    if (todist.get_rank() !== 0) return;
    const steps = mamlSteps();
    const calls = perCall();
    console.log(`RESULT ${JSON.stringify({ world: todist.get_world_size(), backend: todist.get_backend(), step_ms: median(steps), steps, ...calls })}`);
  });
  await main();
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function orchestrate(): Promise<void> {
  let root = __dirname;
  while (!fs.existsSync(path.join(root, 'bin', 'torchopt-node-run.js')) && path.dirname(root) !== root) root = path.dirname(root);
  const launcher = path.join(root, 'bin', 'torchopt-node-run.js');
  const run = async (nproc: number, backend?: string) => {
    const env = { ...process.env, TORCHOPT_NODE_BENCH_ROLE: 'rank', ...(backend ? { TORCHOPT_NODE_DIST_BACKEND: backend } : {}) };
    const r = spawnSync(process.execPath, [launcher, '--node_arg=--expose-gc', '--nproc_per_node', String(nproc), '--master_port', String(await freePort()), __filename], { env, encoding: 'utf8', timeout: 900000 });
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
    if (r.status !== 0 || line === undefined) throw new Error(`bench run with ${nproc} ranks failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return JSON.parse(line.slice(7)) as Record<string, number | string | number[]>;
  };
  console.log(`MAML step: ${TASKS} sinusoid tasks, MLP 1-${HIDDEN}-${HIDDEN}-1, ${SHOTS} shots, ${INNER} inner MetaSGD steps, ` + `outer Adam; ${STEPS - 1} timed steps; 1 intra-op thread per rank; ${require('os').cpus().length} cores; backend ${N.dist_backends() || 'none'}`);
  const one = await run(1);
  const two = await run(2);
  const twoStore = await run(2, 'store');
  const ms = (v: unknown) => `${(v as number).toFixed(1)} ms`;
  const us = (v: unknown) => (v === undefined ? '-' : `${(v as number).toFixed(0)} us`);
  console.log(`\n${'ranks'.padEnd(26)} ${'step (median)'.padStart(14)} ${'speed-up'.padStart(9)}`);
  console.log(`${'1'.padEnd(26)} ${ms(one.step_ms).padStart(14)} ${'1.00x'.padStart(9)}`);
  console.log(`${'2 (gloo)'.padEnd(26)} ${ms(two.step_ms).padStart(14)} ${`${((one.step_ms as number) / (two.step_ms as number)).toFixed(2)}x`.padStart(9)}`);
  console.log(`${'2 (store)'.padEnd(26)} ${ms(twoStore.step_ms).padStart(14)} ${`${((one.step_ms as number) / (twoStore.step_ms as number)).toFixed(2)}x`.padStart(9)}`);
  console.log(`\nper call, 4-float tensor argument and result (median of 9 rounds of ${CALLS})`);
  console.log(`${'local call (rank 0 -> rank 0)'.padEnd(40)} ${us(one.local_call_us).padStart(9)}`);
  console.log(`${'remote call, gloo (rank 0 -> rank 1)'.padEnd(40)} ${us(two.remote_call_us).padStart(9)}`);
  console.log(`${'remote call, store (rank 0 -> rank 1)'.padEnd(40)} ${us(twoStore.remote_call_us).padStart(9)}`);
  console.log(`${'barrier, gloo (1 empty message each way)'.padEnd(40)} ${us(two.barrier_us).padStart(9)}`);
  console.log(`${'barrier, store'.padEnd(40)} ${us(twoStore.barrier_us).padStart(9)}`);
}

(ROLE === 'rank' ? rank() : orchestrate()).catch((e) => {
  console.error(e);
  process.exit(1);
});
