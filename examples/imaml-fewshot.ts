// iMAML few-shot classification on generated data, with ImplicitMetaGradientModule.
//
// Each task is 5-way classification of points drawn around 5 random class centres in
// 16-D (5 support and 15 query points per class). The inner learner starts from the
// meta-parameters and minimizes its support loss plus a proximal term that keeps it
// near them; the meta-gradient of the query loss comes from the implicit function
// theorem (no backprop through the inner steps), as in TorchOpt's iMAML example.
//   npx ts-node examples/imaml-fewshot.ts [--iters 200] [--quick]
// Writes examples/out/imaml-fewshot.svg.
import * as path from 'path';
import { copy, torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';
import { ProgressBar } from './utils/progress';
import { plot, smooth } from './utils/plot';

const { nn } = torch;
type Module = InstanceType<typeof nn.Module>;
const F = torch.nn.functional;

const quick = process.argv.includes('--quick');
const argIdx = process.argv.indexOf('--iters');
const ITERS = argIdx >= 0 ? Number(process.argv[argIdx + 1]) : quick ? 5 : 200;
const WAYS = 5;
const SHOTS = 5;
const QUERY = 15;
const DIM = 16;
const TASKS = 4;
const INNER_STEPS = 10;
const REG = 2.0;

function task(): { xs: Tensor; ys: Tensor; xq: Tensor; yq: Tensor } {
  const centres = torch.randn(WAYS, DIM).mul(1.5);
  const make = (n: number) => {
    const y = torch.arange(WAYS).repeat_interleave(n);
    const x = centres.index_select(0, y).add(torch.randn(WAYS * n, DIM));
    return [x, y] as const;
  };
  const [xs, ys] = make(SHOTS);
  const [xq, yq] = make(QUERY);
  return { xs, ys, xq, yq };
}

const makeNet = () => new nn.Sequential(new nn.Linear(DIM, 32), new nn.ReLU(), new nn.Linear(32, WAYS));

class InnerNet extends torchopt.nn.ImplicitMetaGradientModule {
  static override linear_solve = torchopt.linear_solve.solve_normal_cg({ maxiter: 5, ridge: 1e-3 });
  declare meta_net: Module;
  declare net: Module;
  constructor(meta_net: Module) {
    super(meta_net);
    this.meta_net = meta_net;
    this.net = copy.deepcopy(meta_net) as Module; // fresh parameters, the inner ones
  }
  override forward(x: Tensor): Tensor {
    return this.net(x);
  }
  override objective(x: Tensor, y: Tensor): Tensor {
    const loss = F.cross_entropy(this.forward(x), y);
    let prox: Tensor = torch.zeros([]);
    const ps = this.parameters();
    const mps = this.meta_parameters();
    ps.forEach((p, i) => (prox = prox.add(p.sub(mps[i]).pow(2).sum())));
    return loss.add(prox.mul(0.5 * REG));
  }
  override solve(x: Tensor, y: Tensor): void {
    const opt = new torch.optim.SGD(this.parameters(), { lr: 0.1 });
    torch.enable_grad(() => {
      for (let k = 0; k < INNER_STEPS; k++) {
        opt.zero_grad();
        this.objective(x, y).backward({ inputs: this.parameters() });
        opt.step();
      }
    });
  }
}

function main(): void {
  torch.manual_seed(0);
  const meta_net = makeNet();
  const meta_opt = new torch.optim.Adam(meta_net.parameters(), { lr: 1e-2 });
  const losses: number[] = [];
  const accs: number[] = [];
  const bar = new ProgressBar(ITERS, 'iMAML');
  for (let it = 0; it < ITERS; it++) {
    meta_opt.zero_grad();
    let lossSum = 0;
    let accSum = 0;
    torch.tidy(() => {
      for (let t = 0; t < TASKS; t++) {
        const { xs, ys, xq, yq } = task();
        const inner = new InnerNet(meta_net);
        inner.solve(xs, ys);
        const logits = inner(xq) as Tensor;
        const loss = F.cross_entropy(logits, yq).div(TASKS);
        loss.backward();
        lossSum += loss.item();
        accSum += torch.no_grad(() => logits.argmax(1).eq(yq).float().mean().item()) / TASKS;
      }
    });
    meta_opt.step();
    losses.push(lossSum);
    accs.push(accSum);
    bar.update(it + 1, `query loss ${lossSum.toFixed(3)} acc ${(100 * accSum).toFixed(1)}%`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(`first 10 iterations: query loss ${mean(losses.slice(0, 10)).toFixed(3)}, accuracy ${(100 * mean(accs.slice(0, 10))).toFixed(1)}%`);
  console.log(`last 10 iterations:  query loss ${mean(losses.slice(-10)).toFixed(3)}, accuracy ${(100 * mean(accs.slice(-10))).toFixed(1)}%`);
  const out = plot([{ name: 'query loss', ys: losses }, { name: 'moving average', ys: smooth(losses, 20) }], path.join(__dirname, 'out', 'imaml-fewshot.svg'), {
    title: 'iMAML 5-way 5-shot (implicit meta-gradients)',
    xlabel: 'meta-iteration',
    ylabel: 'query cross-entropy',
  });
  console.log(`plot: ${out}`);
}

main();
