// Memory stays bounded in a synchronous loop that never disposes anything: the GC
// frees tensors (finalizers run inside GC) and V8 is told their sizes.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { nodeScript } from './helpers';

function run(iters: number, device = 'cpu', env: Record<string, string> = {}): { peakMB: number; acc: number; handles: string; v8Built: boolean } {
  const out = execFileSync(
    process.execPath,
    [...nodeScript(path.join(__dirname, 'scripts', 'sync_loop.ts')), String(iters), device],
    { cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, ...env } },
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}

test('20,000 x 2 MiB tensors in a sync loop keep peak RSS under 1 GB', () => {
  const r = run(20000);
  expect(r.acc).toBe(2 * 20); // the loop really computed
  expect(r.peakMB).toBeLessThan(1024);
  // Built against this Node's own headers (with V8's), handles are made on V8 directly;
  // a build with the Node-API headers alone (the GPU machine's) makes Node-API ones.
  expect(r.handles).toBe(r.v8Built ? 'v8' : 'node-api');
  // scripts/build.js takes Node's own include folder (which has v8.h) unless told otherwise.
  if (!process.env.NODE_API_HEADERS_DIR) expect(r.v8Built).toBe(true);
}, 120000);

test('the same with Node-API handles (what another Node major gets)', () => {
  const r = run(20000, 'cpu', { TORCHOPT_NODE_NAPI_HANDLES: '1' });
  expect(r.handles).toBe('node-api');
  expect(r.acc).toBe(2 * 20);
  expect(r.peakMB).toBeLessThan(1024);
}, 120000);

test('the same without GC pacing, on V8 collections alone', () => {
  const r = run(20000, 'cpu', { TORCHOPT_NODE_GC: 'off' });
  expect(r.acc).toBe(2 * 20);
  expect(r.peakMB).toBeLessThan(1024);
}, 120000);

test('errors thrown while the GC frees tensors do not abort the process', () => {
  const out = execFileSync(
    process.execPath,
    [...nodeScript(path.join(__dirname, 'scripts', 'errors_in_gc.ts')), '300000'],
    { cwd: path.join(__dirname, '..'), encoding: 'utf8' },
  );
  expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ typeErrors: 300000, shapeErrors: 300 });
}, 120000);
