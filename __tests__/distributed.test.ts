// todist across processes: the launcher starts 2-3 ranks on 127.0.0.1 running the
// scenarios of __tests__/dist/ (CPU). Each scenario's rank 0 prints `RESULT <json>`.
//
// Starting a rank through ts-node costs seconds of transpiling, so most scenarios run a
// JS copy of lib/ and __tests__/dist/ transpiled once into build/dist-test/ (one test
// keeps the .ts path through ts-node's hook).
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as ts from 'typescript';
import { todist } from '../lib';

const ROOT = path.resolve(__dirname, '..');
const LAUNCHER = path.join(ROOT, 'bin', 'torchopt-node-run.js');
const SCENARIOS_TS = path.join(__dirname, 'dist', 'scenarios.ts');
const OUT = path.join(ROOT, 'build', 'dist-test');
const SCENARIOS = path.join(OUT, '__tests__', 'dist', 'scenarios.js');
const SLEEPER = path.join(__dirname, 'dist', 'sleeper.js');

function transpileTree(src: string, dst: string): void {
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, e.name);
    if (e.isDirectory()) transpileTree(from, path.join(dst, e.name));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts')) {
      const out = ts.transpileModule(fs.readFileSync(from, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
        fileName: from,
      });
      fs.mkdirSync(dst, { recursive: true });
      fs.writeFileSync(path.join(dst, e.name.replace(/\.ts$/, '.js')), out.outputText);
    } else if (e.name.endsWith('.json')) {
      fs.mkdirSync(dst, { recursive: true });
      fs.copyFileSync(from, path.join(dst, e.name));
    }
  }
}

beforeAll(() => {
  fs.rmSync(OUT, { recursive: true, force: true });
  transpileTree(path.join(ROOT, 'lib'), path.join(OUT, 'lib'));
  transpileTree(path.join(__dirname, 'dist'), path.join(OUT, '__tests__', 'dist'));
});

type Run = { code: number | null; signal: NodeJS.Signals | null; out: string; err: string; ms: number; child: ChildProcess };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function launch(args: string[], opts: { env?: Record<string, string>; timeout?: number; onOut?: (out: string, child: ChildProcess) => void } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      opts.onOut?.(out, child);
    });
    child.stderr!.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 50000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err, ms: Date.now() - t0, child });
    });
  });
}

function resultOf(r: Run): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const line = r.out.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`no RESULT line (exit ${r.code}/${r.signal})\nstdout:\n${r.out}\nstderr:\n${r.err}`);
  return JSON.parse(line.slice(7));
}

// Whether a process runs (a zombie waiting for a reaper counts as dead).
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('todist across processes', () => {
  test('MAML meta-gradients split over 2 ranks equal the single-process ones', async () => {
    // The TypeScript scenario itself, through ts-node's register hook.
    const r = await launch(['--nproc_per_node', '2', '--master_port', String(await freePort()), SCENARIOS_TS, 'maml']);
    const res = resultOf(r);
    expect(r.code).toBe(0);
    expect(res.world).toBe(2);
    expect(res.backend).toBe('gloo');
    expect(res.gradNorm).toBeGreaterThan(1e-3);
    expect(res.gradDiff).toBeLessThan(1e-6);
    expect(res.chunkDiff).toBeLessThan(1e-6);
    expect(res.paramDiff).toBeLessThan(1e-6);
    expect(res.lossDiff).toBeLessThan(1e-6);
  });

  test('two launchers (--nnodes 2) make one world of 4 ranks on loopback', async () => {
    const port = String(await freePort());
    const common = ['--nnodes', '2', '--nproc_per_node', '2', '--master_addr', '127.0.0.1', '--master_port', port];
    const [a, b] = await Promise.all([launch([...common, '--node_rank', '0', SCENARIOS, 'maml']), launch([...common, '--node_rank', '1', SCENARIOS, 'maml'])]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const res = resultOf(a);
    expect(res.world).toBe(4);
    expect(res.gradDiff).toBeLessThan(1e-6);
    expect(res.chunkDiff).toBeLessThan(1e-6);
    expect(res.paramDiff).toBeLessThan(1e-6);
  });

  test('3 ranks over the store backend: errors, values, async calls, grad, barrier', async () => {
    const r = await launch(['--nproc_per_node', '3', '--master_port', String(await freePort()), SCENARIOS, 'api'], { env: { TORCHOPT_NODE_DIST_BACKEND: 'store' } });
    const res = resultOf(r);
    expect(r.code).toBe(0);
    expect(res.world).toBe(3);
    expect(res.remoteError.name).toBe('RemoteError');
    expect(res.remoteError.remote_name).toBe('RangeError');
    expect(res.remoteError.rank).toBe(1);
    expect(res.remoteError.message).toContain('rank 1 raised RangeError: rank 1 refuses a tensor of shape [2,3]');
    expect(res.after).toEqual([2, 2]);
    expect(res.roundtrip).toEqual([true, true, true, true, true, [0, 1, 2]]);
    expect(res.async).toBe(140);
    expect(res.concurrent).toEqual([[1], [2]]);
    expect(res.grad).toEqual(res.expected);
    expect(res.wgrad).toEqual(res.expected);
    expect(res.z).toEqual(['tag', 7]);
    expect(res.plainBackward).toEqual(res.expected);
    expect(res.chainDiff).toBeLessThan(1e-12);
    expect(res.keptInside).toEqual([1]);
    expect(res.keptAfter).toEqual([0]);
    expect(res.noContextRequiresGrad).toBe(false);
    expect(res.unregistered).toBe(true);
    expect(res.barrier).toBe(true);
  });

  test('a worker that does not answer makes the call fail with a timeout naming it', async () => {
    const r = await launch(['--nproc_per_node', '2', '--master_port', String(await freePort()), '--kill_timeout', '1', SCENARIOS, 'timeout']);
    const res = resultOf(r);
    expect(res.name).toBe('DistributedTimeoutError');
    expect(res.rank).toBe(1);
    expect(res.message).toContain("rank 1 did not answer call");
    expect(res.ms).toBeLessThan(5000);
    expect(r.code).toBe(3); // rank 0's exit code; the launcher stopped the hanging rank
  });

  test('a worker that dies makes the call fail at once with an error naming it', async () => {
    const r = await launch(['--nproc_per_node', '2', '--master_port', String(await freePort()), SCENARIOS, 'die']);
    const res = resultOf(r);
    expect(res.name).toBe('DistributedError');
    expect(res.rank).toBe(1);
    expect(res.message).toContain('rank 1 failed');
    expect(res.ms).toBeLessThan(5000);
    expect(res.next).toContain('the world is broken');
    expect(r.code).toBe(3);
  });

  test('a rendezvous that cannot complete times out with a clear error', async () => {
    const r = await launch(['--nnodes', '2', '--node_rank', '0', '--nproc_per_node', '1', '--master_port', String(await freePort()), SCENARIOS, 'init-timeout']);
    const res = resultOf(r);
    expect(res.name).toBe('DistributedTimeoutError');
    expect(res.message).toContain('1 of 2 ranks joined');
    expect(res.ms).toBeLessThan(6000);
    expect(r.code).toBe(3);
  });
});

describe('torchopt-node-run', () => {
  test('sets the world variables and forwards signals', async () => {
    const port = await freePort();
    let sent = false;
    const r = await launch(['--nproc_per_node', '2', '--master_port', String(port), SLEEPER, 'signal'], {
      onOut: (out, child) => {
        if (!sent && (out.match(/^ready/gm) ?? []).length === 2) {
          sent = true;
          child.kill('SIGTERM');
        }
      },
    });
    expect(r.out).toContain(`ready 0 of 2 local 0/2 master 127.0.0.1:${port}`);
    expect(r.out).toContain(`ready 1 of 2 local 1/2 master 127.0.0.1:${port}`);
    expect(r.out).toContain('rank 0 got SIGTERM');
    expect(r.out).toContain('rank 1 got SIGTERM');
    expect(r.code).toBe(128 + 15);
  });

  test('exits with the failed rank code and stops the others', async () => {
    const r = await launch(['--nproc_per_node', '3', '--kill_timeout', '2', SLEEPER, 'fail']);
    expect(r.code).toBe(7);
    expect(r.err).toContain('rank 1 exited with code 7');
    const pids = [...r.out.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  test('ranks die with a launcher killed by SIGKILL (no orphans)', async () => {
    let pids: number[] = [];
    const r = await launch(['--nproc_per_node', '2', SLEEPER, 'pdeath', path.join(OUT, 'lib', 'native.js')], {
      onOut: (out, child) => {
        const found = [...out.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
        if (found.length === 2 && pids.length === 0) {
          pids = found;
          child.kill('SIGKILL');
        }
      },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(pids).toHaveLength(2);
    const deadline = Date.now() + 3000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(pids.filter(alive)).toEqual([]);
  });

  test('rejects bad arguments', async () => {
    const r = await launch(['--nproc_per_node', '0', SLEEPER, 'signal']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--nproc_per_node must be a positive integer');
  });
});

describe('todist in one process', () => {
  test('world defaults, decorators and partitioners', () => {
    expect(todist.get_world_size()).toBeGreaterThanOrEqual(1);
    const info = todist.get_world_info();
    expect(info.rank).toBe(info.world_rank);
    expect(todist.rank_zero_only(() => 5)()).toBe(info.world_rank === 0 ? 5 : undefined);
    expect(todist.on_rank(0)(() => 'x')()).toBe(info.world_rank === 0 ? 'x' : undefined);
    expect(() => new todist.TensorDimensionPartitioner(0)).toThrow('keepdim=false should be used only when exclusive=true');
  });
});
