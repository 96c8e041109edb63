// The addon on worker_threads: one JS thread at a time per process. Workers run one
// after another (each loads the addon once its predecessor is gone); while the main
// thread holds it, a worker's load fails with a JS error (it used to corrupt the heap).
import * as path from 'path';
import { Worker } from 'worker_threads';

const lib = path.join(__dirname, '..', '..', 'lib');
const body = `
const { parentPort, workerData } = require('worker_threads');
try {
  const { torch } = require(workerData.lib);
  const a = torch.ones(3);
  let s = 0;
  for (let i = 0; i < 20000; i++) s = a.add(i).sum().item();
  globalThis.kept = Array.from({ length: 100 }, () => torch.ones(1000)); // still held at exit
  parentPort.postMessage({ ok: s });
} catch (e) {
  parentPort.postMessage({ error: e.name + ': ' + e.message });
}`;

function runWorker(): Promise<{ ok?: number; error?: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(body, { eval: true, workerData: { lib } });
    let msg: { ok?: number; error?: string } = {};
    w.on('message', (m) => (msg = m));
    w.on('error', reject);
    w.on('exit', () => resolve(msg));
  });
}

(async () => {
  const first = await runWorker();
  const second = await runWorker();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { torch } = require(lib);
  // What a worker still held when it exited was freed with its environment.
  const leftByWorkers = torch.memory().tensors;
  const mainSum = torch.ones(3).add(1).sum().item();
  const third = await runWorker();
  const stillWorks = torch.ones(2).mul(3).sum().item();
  console.log(JSON.stringify({ first, second, leftByWorkers, mainSum, third, stillWorks }));
})();
