// Zero-order optimization of a non-differentiable objective.
//
// A linear model whose predictions are quantized (rounded to a grid of 0.25) is fit by
// least squares. Autograd sees a zero gradient almost everywhere (the derivative of
// round() is 0), so plain gradient descent cannot move; the zero-order (evolution
// strategies) estimate of torchopt.diff.zero_order does, with Adam on top.
//   npx ts-node examples/zero-order.ts [--iters 300] [--quick]
// Writes examples/out/zero-order.svg (loss of both methods).
import * as path from 'path';
import { torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';
import { ProgressBar } from './utils/progress';
import { plot } from './utils/plot';

const quick = process.argv.includes('--quick');
const i = process.argv.indexOf('--iters');
const ITERS = i >= 0 ? Number(process.argv[i + 1]) : quick ? 20 : 300;

torch.manual_seed(0);
const X = torch.randn(256, 8);
const wTrue = torch.randn(8);
const y = X.matmul(wTrue).mul(4).round().div(4);

// The objective: a rounding step in the loss makes it piecewise constant in w.
const objective = (w: Tensor) => X.matmul(w).mul(4).round().div(4).sub(y).pow(2).mean();

const normal = new torch.distributions.Normal(0, 1);
const zoLoss = torchopt.diff.zero_order(normal, { method: 'antithetic', num_samples: 20, sigma: 0.05 })(objective);

function run(useZeroOrder: boolean): number[] {
  const w = torch.zeros(8, { requires_grad: true });
  const opt = torchopt.adam(0.05);
  let state = opt.init([w]);
  const losses: number[] = [];
  const bar = new ProgressBar(ITERS, useZeroOrder ? 'zero-order + Adam' : 'autograd + Adam  ');
  for (let k = 0; k < ITERS; k++) {
    torch.tidy(() => {
      const loss = useZeroOrder ? zoLoss(w) : objective(w);
      const [g] = torch.autograd.grad(loss, [w], { allow_unused: true });
      let updates;
      [updates, state] = opt.update([g ?? torch.zeros_like(w)], state, { params: [w] });
      torchopt.apply_updates([w], updates);
      losses.push(loss.item());
      return state;
    });
    bar.update(k + 1, `loss ${losses[losses.length - 1].toFixed(4)}`);
  }
  return losses;
}

const zo = run(true);
const ag = run(false);
console.log(`zero-order: loss ${zo[0].toFixed(4)} -> ${zo[zo.length - 1].toFixed(4)}`);
console.log(`autograd:   loss ${ag[0].toFixed(4)} -> ${ag[ag.length - 1].toFixed(4)} (the gradient of round() is zero)`);
const out = plot([{ name: 'zero-order (antithetic ES)', ys: zo }, { name: 'autograd', ys: ag }], path.join(__dirname, 'out', 'zero-order.svg'), {
  title: 'Fitting a quantized linear model',
  xlabel: 'iteration',
  ylabel: 'loss',
  logY: true,
});
console.log(`plot: ${out}`);
