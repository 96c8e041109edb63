// Distributed training with todist (torchopt.distributed) on PyTorch's c10d.
//
// Part 1 is a line-for-line port of sample C of the brief (Python TorchOpt's
// distributed template): rank 0 trains, compute_loss is split over all ranks by the
// batch partitioner, and the gradient of the mean loss flows back through the calls.
// Part 2 (--maml) is a distributed MAML on sinusoid regression tasks: each task's inner
// loop runs on the rank it lands on, and the meta-gradient comes back to rank 0.
//
//   npx torchopt-node-run --nproc_per_node 2 examples/distributed-maml.ts [--epochs 3] [--maml]
//   npx ts-node examples/distributed-maml.ts            (one process: every call is local)
//
// CPU by default; where CUDA is available each rank computes on cuda:LOCAL_RANK (tensors
// travel between ranks through host memory).
import { torch, torchopt, todist } from '../lib';
import type { Tensor } from '../lib/torch';

const nn = torch.nn;
const F = torch.nn.functional;

type Args = { epochs: number; lr: number; seed: number; batch_size: number; batches: number; maml: boolean; meta_steps: number; tasks: number };

function parse_arguments(): Args {
  // argparse.ArgumentParser(description='TorchOpt Distributed Training')
  const args: Args = { epochs: 3, lr: 0.05, seed: 42, batch_size: 64, batches: 8, maml: false, meta_steps: 20, tasks: 8 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '').replace(/-/g, '_');
    if (key === 'maml') args.maml = true;
    else if (key in args) (args as Record<string, unknown>)[key] = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}
const args = parse_arguments();

function device(): torch.device {
  return torch.cuda.is_available() ? new torch.device(`cuda:${todist.get_local_rank() % torch.cuda.device_count()}`) : new torch.device('cpu');
}

function worker_init_fn(): void {
  // set process title, seeding, etc.
  process.title = `Worker${todist.get_rank()}`;
  torch.manual_seed(args.seed + todist.get_rank());
}

// ---------------------------------------------------------------------------
// Part 1: sample C
// ---------------------------------------------------------------------------
const compute_loss = todist.parallelize({ partitioner: todist.batch_partitioner, reducer: todist.mean_reducer })(function compute_loss(model: torch.nn.Module, batch: Tensor) {
  const dev = device();
  // A differentiable move (Python's model.to(device) would detach the parameters).
  model = todist.module_clone(model, { by: 'reference', device: dev });
  batch = batch.to(dev);
  // Compute local loss of the given batch
  const x = batch.get(':, :1');
  const y = batch.get(':, 1:');
  const loss = F.mse_loss(model(x), y);
  return loss.cpu();
});

const build_model = todist.register_module('build_model', () => new nn.Sequential(new nn.Linear(1, 64), new nn.Tanh(), new nn.Linear(64, 64), new nn.Tanh(), new nn.Linear(64, 1)));

function make_train_loader(a: Args): Tensor[] {
  const gen = new torch.Generator().manual_seed(a.seed);
  const loader: Tensor[] = [];
  for (let b = 0; b < a.batches; b++) {
    const x = torch.rand([a.batch_size, 1], { generator: gen }).mul(6).sub(3);
    loader.push(torch.cat([x, x.mul(2).sin()], 1));
  }
  return loader;
}

const train = todist.rank_zero_only(function train(a: Args) {
  const model = build_model();
  const optimizer = new torchopt.SGD(model.parameters(), a.lr);
  const train_loader = make_train_loader(a);
  for (let epoch = 0; epoch < a.epochs; epoch++) {
    let total = 0;
    for (const batch of train_loader) {
      todist.autograd.context((context_id) => {
        // Forward pass
        const cloned_model = todist.module_clone(model, { by: 'clone' });
        const loss = compute_loss(cloned_model, batch);
        // Backward pass
        optimizer.zero_grad();
        todist.autograd.backward(context_id, loss);
        // Update parameters
        optimizer.step();
        total += loss.item() as number;
      });
    }
    console.log(`epoch ${epoch} | mean loss ${(total / train_loader.length).toFixed(6)} | world ${todist.get_world_size()}`);
  }
});

// ---------------------------------------------------------------------------
// Part 2: distributed MAML on sinusoid tasks
// ---------------------------------------------------------------------------
const INNER_STEPS = 3;

// One task: adapt a copy of the model on the support set, return the query loss.
const maml_task_loss = todist.parallelize({ partitioner: todist.dim_partitioner(0, { exclusive: true, keepdim: false }), reducer: todist.mean_reducer })(
  function maml_task_loss(model: torch.nn.Module, sx: Tensor, sy: Tensor, qx: Tensor, qy: Tensor) {
    const dev = device();
    const net = todist.module_clone(model, { by: 'reference', device: dev });
    const inner_opt = new torchopt.MetaSGD(net, 0.01);
    for (let i = 0; i < INNER_STEPS; i++) inner_opt.step(F.mse_loss(net(sx.to(dev)), sy.to(dev)));
    return F.mse_loss(net(qx.to(dev)), qy.to(dev)).cpu();
  },
);

function sine_tasks(n: number, k: number, gen: torch.Generator) {
  const amp = torch.rand([n, 1, 1], { generator: gen }).mul(4.9).add(0.1);
  const phase = torch.rand([n, 1, 1], { generator: gen }).mul(Math.PI);
  const sx = torch.rand([n, k, 1], { generator: gen }).mul(10).sub(5);
  const qx = torch.rand([n, k, 1], { generator: gen }).mul(10).sub(5);
  return { sx, sy: sx.add(phase).sin().mul(amp), qx, qy: qx.add(phase).sin().mul(amp) };
}

const train_maml = todist.rank_zero_only(function train_maml(a: Args) {
  const model = build_model();
  const meta_opt = new torchopt.Adam(model.parameters(), 1e-3);
  const gen = new torch.Generator().manual_seed(a.seed);
  for (let step = 0; step < a.meta_steps; step++) {
    const { sx, sy, qx, qy } = sine_tasks(a.tasks, 10, gen);
    todist.autograd.context((context_id) => {
      const loss = maml_task_loss(todist.module_clone(model, { by: 'clone' }), sx, sy, qx, qy);
      meta_opt.zero_grad();
      todist.autograd.backward(context_id, loss);
      meta_opt.step();
      if (step % 5 === 0 || step === a.meta_steps - 1) console.log(`meta step ${step} | query loss after adaptation ${(loss.item() as number).toFixed(6)}`);
    });
  }
});

const main = todist.auto_init_rpc(worker_init_fn)(function main() {
  if (args.maml) train_maml(args);
  else train(args);
});

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
