// Every example runs on built-in data in its short mode and prints what it should.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
function run(file: string, args: string[] = []): string {
  return execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'examples', file), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
}

test('mgrl-gamma prints what the Python program prints', () => {
  const out = run('mgrl-gamma.ts', ['101']).trim().split('\n');
  expect(out[0]).toBe('epoch 0 | gamma: tensor([0.5109, 0.5178, 0.5082, 0.5128, 0.5077, 0.5125, 0.5015, 0.5001, 0.5015])');
  expect(out[1]).toBe('epoch 100 | gamma: tensor([0.5333, 0.5030, 0.3951, 0.1920, 0.4334, 0.2817, 0.4392, 0.3030, 0.5314])');
}, 60000);

test('imaml (sample A): the implicit gradient moves the bias by lr * 0.1 per update', () => {
  const lines = run('imaml.ts').trim().split('\n');
  const losses = lines.map((l) => Number(/outer loss (-?[\d.]+)/.exec(l)![1]));
  expect(losses.length).toBe(3);
  // With all-zero inputs the closed form says d outer/d b = 0.1 per class (see the example).
  expect(losses[1] - losses[0]).toBeCloseTo(-0.01, 5);
  expect(losses[2] - losses[1]).toBeCloseTo(-0.01, 5);
}, 60000);

test.each([
  ['maml-sinusoid.ts', 'maml-sinusoid.svg'],
  ['imaml-fewshot.ts', 'imaml-fewshot.svg'],
  ['zero-order.ts', 'zero-order.svg'],
])('%s runs in quick mode and writes its plot', (file, svg) => {
  const target = path.join(root, 'examples', 'out', svg);
  if (fs.existsSync(target)) fs.unlinkSync(target);
  const out = run(file, ['--quick']);
  expect(out).toMatch(/plot: .*\.svg/);
  expect(fs.readFileSync(target, 'utf8')).toMatch(/^<svg/);
}, 120000);

test('zero-order optimization reduces the loss that autograd cannot', () => {
  const out = run('zero-order.ts', ['--iters', '150']);
  const zo = /zero-order: loss ([\d.]+) -> ([\d.]+)/.exec(out)!;
  const ag = /autograd:   loss ([\d.]+) -> ([\d.]+)/.exec(out)!;
  expect(Number(zo[2])).toBeLessThan(Number(zo[1]) / 10);
  expect(Number(ag[2])).toBe(Number(ag[1]));
}, 120000);

test('distributed-maml prints the same losses in one process and over two ranks', () => {
  const launcher = path.join(root, 'bin', 'torchopt-node-run.js');
  const twoRanks = (args: string[]): string =>
    execFileSync(process.execPath, [launcher, '--nproc_per_node', '2', path.join(root, 'examples', 'distributed-maml.ts'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    });
  const losses = (out: string): string[] => out.split('\n').filter((l) => /loss/.test(l)).map((l) => l.replace(/ \| world \d+/, ''));
  for (const args of [['--epochs', '1', '--batches', '2'], ['--maml', '--meta_steps', '3']]) {
    const one = losses(run('distributed-maml.ts', args));
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((l) => /\d\.\d{6}/.test(l))).toBe(true);
    expect(losses(twoRanks(args))).toEqual(one);
  }
}, 120000);
