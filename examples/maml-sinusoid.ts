// MAML on sinusoid regression (Finn et al., 2017), on generated data.
//
// Each task is y = A sin(x - phase) with A in [0.1, 5] and phase in [0, pi]. The model
// adapts with a few differentiable inner steps (MetaSGD or MetaAdam) on K support points;
// the meta-loss on fresh query points trains the initialization through those steps.
//   npx ts-node examples/maml-sinusoid.ts [--iters 2000] [--inner adam|sgd] [--quick]
// Writes examples/out/maml-sinusoid.svg (meta-training loss).
import * as path from 'path';
import { torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';
import { ProgressBar } from './utils/progress';
import { plot, smooth } from './utils/plot';

const { nn } = torch;
const F = torch.nn.functional;

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}
const quick = process.argv.includes('--quick');
const ITERS = Number(arg('iters', quick ? '30' : '2000'));
const INNER = arg('inner', 'sgd') as 'sgd' | 'adam';
const TASKS = 4; // tasks per meta-batch
const K = 10; // support / query points per task
const INNER_STEPS = 1;

function sampleTask(): { A: number; phase: number } {
  return { A: 0.1 + 4.9 * torch.rand(1).item(), phase: Math.PI * torch.rand(1).item() };
}
function sampleData(task: { A: number; phase: number }, n: number): [Tensor, Tensor] {
  const x = torch.rand(n, 1).mul(10).sub(5);
  return [x, x.sub(task.phase).sin().mul(task.A)];
}

class Net extends nn.Module {
  declare body: InstanceType<typeof nn.Sequential>;
  constructor() {
    super();
    this.body = new nn.Sequential(new nn.Linear(1, 40), new nn.ReLU(), new nn.Linear(40, 40), new nn.ReLU(), new nn.Linear(40, 1));
  }
  override forward(x: Tensor): Tensor {
    return this.body(x);
  }
}

function main(): void {
  torch.manual_seed(0);
  const net = new Net();
  const metaOpt = new torchopt.Adam(net.parameters(), 1e-3);
  // eps_root keeps the meta-gradient finite where a gradient entry is exactly 0 (dead
  // ReLUs): d sqrt(v)/dv is infinite at v = 0.
  const inner = INNER === 'adam' ? new torchopt.MetaAdam(net, 0.01, { eps_root: 1e-8 }) : new torchopt.MetaSGD(net, 0.01);
  const netState = torchopt.extract_state_dict(net, { by: 'reference' });
  const optState = torchopt.extract_state_dict(inner, { by: 'reference' });
  const losses: number[] = [];
  const bar = new ProgressBar(ITERS, `MAML (${INNER === 'adam' ? 'MetaAdam' : 'MetaSGD'})`);
  for (let it = 0; it < ITERS; it++) {
    const metaLoss = torch.tidy(() => {
      metaOpt.zero_grad();
      let total = 0;
      for (let t = 0; t < TASKS; t++) {
        const task = sampleTask();
        const [xs, ys] = sampleData(task, K);
        const [xq, yq] = sampleData(task, K);
        for (let s = 0; s < INNER_STEPS; s++) inner.step(F.mse_loss(net(xs), ys));
        const q = F.mse_loss(net(xq), yq).div(TASKS);
        q.backward();
        total += q.item();
        torchopt.recover_state_dict(net, netState);
        torchopt.recover_state_dict(inner, optState);
      }
      metaOpt.step();
      return total;
    });
    losses.push(metaLoss);
    bar.update(it + 1, `meta-loss ${metaLoss.toFixed(3)}`);
  }
  // Evaluate: adaptation on new tasks before vs after meta-training is what MAML buys.
  const evalLoss = (steps: number) =>
    torch.tidy(() => {
      let tot = 0;
      for (let t = 0; t < 20; t++) {
        const task = sampleTask();
        const [xs, ys] = sampleData(task, K);
        const [xq, yq] = sampleData(task, 100);
        for (let s = 0; s < steps; s++) inner.step(F.mse_loss(net(xs), ys));
        tot += torch.no_grad(() => F.mse_loss(net(xq), yq).item());
        torchopt.recover_state_dict(net, netState);
        torchopt.recover_state_dict(inner, optState);
      }
      return tot / 20;
    });
  console.log(`first 10 iterations mean meta-loss: ${(losses.slice(0, 10).reduce((a, b) => a + b, 0) / Math.min(10, losses.length)).toFixed(3)}`);
  console.log(`last 10 iterations mean meta-loss:  ${(losses.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, losses.length)).toFixed(3)}`);
  console.log(`query loss on new tasks after ${INNER_STEPS} inner step(s): ${evalLoss(INNER_STEPS).toFixed(3)}`);
  const out = plot([{ name: 'meta-loss', ys: losses }, { name: 'moving average', ys: smooth(losses, 50) }], path.join(__dirname, 'out', 'maml-sinusoid.svg'), {
    title: `MAML sinusoid regression (${INNER === 'adam' ? 'MetaAdam' : 'MetaSGD'} inner loop)`,
    xlabel: 'meta-iteration',
    ylabel: 'query MSE',
    logY: true,
  });
  console.log(`plot: ${out}`);
}

main();
