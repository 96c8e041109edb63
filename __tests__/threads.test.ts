// worker_threads: the addon serves one JS thread at a time (see scripts/worker_load.ts).
import { execFileSync } from 'child_process';
import * as path from 'path';
import { nodeScript } from './helpers';

test('workers take the addon in turn; a second thread gets a JS error, not a crash', () => {
  const out = execFileSync(process.execPath, nodeScript(path.join(__dirname, 'scripts', 'worker_load.ts')), {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  expect(r.first).toEqual({ ok: 60000 });
  expect(r.second).toEqual({ ok: 60000 });
  expect(r.leftByWorkers).toBe(0);
  expect(r.mainSum).toBe(6);
  expect(r.third.error).toMatch(/^Error: torchopt-node: .*already in use by another thread/);
  expect(r.third.error).toMatch(/one thread/);
  expect(r.stillWorks).toBe(6);
}, 120000);
