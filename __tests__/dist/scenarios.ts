// Multi-process scenarios for __tests__/distributed.test.ts, run by the launcher:
//   torchopt-node-run --nproc_per_node N scenarios.ts <scenario>
// Rank 0 prints one line `RESULT <json>` and exits 0 when the scenario behaved.
import { torch, torchopt, todist } from '../../lib';
import { _kept_graphs } from '../../lib/distributed/rpc';

const scenario = process.argv[2] ?? 'maml';
torch.set_default_dtype(torch.float64);
torch.set_num_threads(1);

// ---------------------------------------------------------------------------
// MAML on sinusoid regression tasks
// ---------------------------------------------------------------------------
const build_net = todist.register_module('sine_net', (hidden: number) =>
  new torch.nn.Sequential(new torch.nn.Linear(1, hidden), new torch.nn.Tanh(), new torch.nn.Linear(hidden, hidden), new torch.nn.Tanh(), new torch.nn.Linear(hidden, 1)),
);

const INNER_STEPS = 2;
const INNER_LR = 0.05;

// The loss of one task after INNER_STEPS of MetaSGD on its support set (differentiable
// in the model's parameters).
function task_loss(net: torch.nn.Module, sx: torch.Tensor, sy: torch.Tensor, qx: torch.Tensor, qy: torch.Tensor): torch.Tensor {
  const inner = new torchopt.MetaSGD(net, INNER_LR);
  for (let i = 0; i < INNER_STEPS; i++) inner.step(torch.nn.functional.mse_loss(net(sx), sy));
  return torch.nn.functional.mse_loss(net(qx), qy);
}

// Split over the tasks (dim 0), one call per task, averaged on rank 0.
const maml_loss = todist.parallelize({ partitioner: todist.dim_partitioner(0, { exclusive: true, keepdim: false }), reducer: todist.mean_reducer })(
  function maml_loss(net: torch.nn.Module, sx: torch.Tensor, sy: torch.Tensor, qx: torch.Tensor, qy: torch.Tensor) {
    return task_loss(net, sx, sy, qx, qy);
  },
);
// The same, with contiguous chunks of tasks per rank (batch_partitioner) and a sum.
const maml_loss_chunks = todist.parallelize({ partitioner: todist.batch_partitioner, reducer: todist.sum_reducer })(
  function maml_loss_chunks(net: torch.nn.Module, sx: torch.Tensor, sy: torch.Tensor, qx: torch.Tensor, qy: torch.Tensor) {
    let total = torch.zeros([]);
    for (let t = 0; t < sx.size(0); t++) total = total.add(task_loss(todist.module_clone(net), sx.get(t), sy.get(t), qx.get(t), qy.get(t)));
    return total;
  },
);

function tasks(n: number, k: number, gen: torch.Generator) {
  const amp = torch.rand([n, 1, 1], { generator: gen }).mul(4.9).add(0.1);
  const phase = torch.rand([n, 1, 1], { generator: gen }).mul(Math.PI);
  const sx = torch.rand([n, k, 1], { generator: gen }).mul(10).sub(5);
  const qx = torch.rand([n, k, 1], { generator: gen }).mul(10).sub(5);
  return { sx, sy: sx.add(phase).sin().mul(amp), qx, qy: qx.add(phase).sin().mul(amp) };
}

function maxDiff(a: torch.Tensor[], b: torch.Tensor[]): number {
  let m = 0;
  a.forEach((t, i) => (m = Math.max(m, t.sub(b[i]).abs().max().item() as number)));
  return m;
}

// Outer loop: distributed (through `lossFn`) or single-process (plain loop).
function train(lossFn: 'maml' | 'chunks' | 'local' | 'local-sum', outer: number, nTasks: number): { params: torch.Tensor[]; grads: torch.Tensor[][]; losses: number[] } {
  torch.manual_seed(0);
  const net = build_net(16);
  const opt = new torchopt.SGD(net.parameters(), 0.01);
  const gen = new torch.Generator().manual_seed(1);
  const grads: torch.Tensor[][] = [];
  const losses: number[] = [];
  for (let it = 0; it < outer; it++) {
    const { sx, sy, qx, qy } = tasks(nTasks, 10, gen);
    todist.autograd.context((cid) => {
      const cloned = todist.module_clone(net, { by: 'clone' });
      let loss: torch.Tensor;
      if (lossFn === 'maml') loss = maml_loss(cloned, sx, sy, qx, qy);
      else if (lossFn === 'chunks') loss = maml_loss_chunks(cloned, sx, sy, qx, qy);
      else {
        const ls: torch.Tensor[] = [];
        for (let t = 0; t < nTasks; t++) ls.push(task_loss(todist.module_clone(net, { by: 'clone' }), sx.get(t), sy.get(t), qx.get(t), qy.get(t)));
        loss = lossFn === 'local' ? torch.mean(torch.stack(ls), 0) : torch.sum(torch.stack(ls), 0);
      }
      opt.zero_grad();
      if (lossFn === 'maml' || lossFn === 'chunks') todist.autograd.backward(cid, loss);
      else loss.backward();
      losses.push(loss.item() as number);
      grads.push(net.parameters().map((p) => (p.grad as torch.Tensor).clone()));
      opt.step();
    });
  }
  return { params: net.parameters().map((p) => p.detach().clone()), grads, losses };
}

// ---------------------------------------------------------------------------
// Other registered functions
// ---------------------------------------------------------------------------
const fail_on = todist.register_function('fail_on', (rank: number, x: torch.Tensor) => {
  if (todist.get_rank() === rank) throw new RangeError(`rank ${rank} refuses a tensor of shape [${x.shape}]`);
  return x.mul(2);
});
todist.register_function('echo', (v: unknown) => v);
const slow_square = todist.parallelize_async({ partitioner: todist.batch_partitioner, reducer: todist.sum_reducer })(async function slow_square(x: torch.Tensor) {
  await new Promise((r) => setTimeout(r, 20));
  return x.pow(2).sum();
});
todist.register_function('hang', (ms: number) => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return todist.get_rank();
});
todist.register_function('die', (code: number) => {
  process.exit(code);
});
todist.register_function('mul_sin', (a: torch.Tensor, b: torch.Tensor) => a.mul(b).sin());
todist.register_function('kept_graphs', () => _kept_graphs());
todist.register_function('grad_probe', (x: torch.Tensor, w: torch.Tensor) => ({ y: x.mul(w).sum(), z: [w.pow(3), 'tag', 7] }));

function result(r: Record<string, unknown>): void {
  console.log(`RESULT ${JSON.stringify(r)}`);
}

async function run(): Promise<void> {
  const rank = todist.get_rank();
  if (rank !== 0) return;
  const world = todist.get_world_size();
  if (scenario === 'maml') {
    const t0 = Date.now();
    const dist = train('maml', 3, 5);
    const chunks = train('chunks', 2, 5);
    const ref = train('local', 3, 5);
    const refSum = train('local-sum', 2, 5);
    const gradDiff = Math.max(...dist.grads.map((g, i) => maxDiff(g, ref.grads[i])));
    const chunkDiff = Math.max(...chunks.grads.map((g, i) => maxDiff(g, refSum.grads[i])));
    result({
      world,
      backend: todist.get_backend(),
      gradDiff,
      chunkDiff,
      paramDiff: maxDiff(dist.params, ref.params),
      lossDiff: Math.max(...dist.losses.map((l, i) => Math.abs(l - ref.losses[i]))),
      gradNorm: ref.grads[0].reduce((s, g) => s + (g.pow(2).sum().item() as number), 0),
      ms: Date.now() - t0,
    });
    return;
  }
  if (scenario === 'api') {
    const out: Record<string, unknown> = { world };
    // A remote error names the rank and the remote error; the world goes on.
    try {
      todist.remote_sync_call(fail_on, { args: [1, torch.ones(2, 3)], partitioner: 1 });
    } catch (e) {
      out.remoteError = { name: (e as Error).name, message: (e as Error).message, remote_name: (e as todist.RemoteError).remote_name, rank: (e as todist.RemoteError).rank };
    }
    out.after = (todist.remote_sync_call(fail_on, { args: [5, torch.ones(2)], partitioner: 1 })[0] as torch.Tensor).tolist();
    // Values of many kinds round-trip.
    const v = { a: [1, -0, NaN, Infinity, null, undefined, 'x', true, 2n ** 70n], m: new Map<unknown, unknown>([['k', torch.arange(3)]]) };
    const [back] = todist.remote_sync_call('echo', { args: [v], partitioner: 1 }) as (typeof v)[];
    out.roundtrip = [Object.is(back.a[1], -0), Number.isNaN(back.a[2] as number), back.a[3] === Infinity, back.a[5] === undefined, back.a[8] === 2n ** 70n, (back.m.get('k') as torch.Tensor).tolist()];
    // Async calls, local and remote partitions together.
    out.async = ((await slow_square(torch.arange(8).double())) as torch.Tensor).item();
    const [p1, p2] = [todist.remote_async_call('echo', { args: [1], partitioner: 1 }), todist.remote_async_call('echo', { args: [2], partitioner: world - 1 })];
    out.concurrent = await Promise.all([p1, p2]);
    // Gradients through a structured result, with grad() and get_gradients().
    const x = torch.tensor([1, 2, 3]);
    const w = torch.tensor([0.5, -1, 2], { requires_grad: true });
    todist.autograd.context((cid) => {
      const [r] = todist.remote_sync_call('grad_probe', { args: [x, w], partitioner: 1 }) as { y: torch.Tensor; z: [torch.Tensor, string, number] }[];
      const loss = r.y.add(r.z[0].sum());
      const [g] = todist.autograd.grad(cid, loss, [w], { retain_graph: true });
      out.grad = (g as torch.Tensor).tolist();
      out.expected = x.add(w.detach().pow(2).mul(3)).tolist();
      out.z = [r.z[1], r.z[2]];
      todist.autograd.backward(cid, loss);
      out.get_gradients = (todist.autograd.get_gradients(cid).get(w) as torch.Tensor).tolist();
      out.wgrad = (w.grad as torch.Tensor).tolist();
      out.keptInside = todist.remote_sync_call('kept_graphs', { partitioner: 1 });
    });
    // A plain loss.backward() (one blocking remote backward per node) and a chain of
    // calls (the output of one call sent to another rank) match local autograd.
    const w2 = torch.tensor([0.5, -1, 2], { requires_grad: true });
    todist.autograd.context(() => {
      const [r] = todist.remote_sync_call('grad_probe', { args: [x, w2], partitioner: 1 }) as { y: torch.Tensor; z: [torch.Tensor, string, number] }[];
      r.y.add(r.z[0].sum()).backward();
    });
    out.plainBackward = (w2.grad as torch.Tensor).tolist();
    const w3 = torch.tensor([0.5, -1, 2], { requires_grad: true });
    const chain = (remote: boolean) => {
      const a = remote ? (todist.remote_sync_call('mul_sin', { args: [w3, x], partitioner: 1 })[0] as torch.Tensor) : w3.mul(x).sin();
      const b = remote ? (todist.remote_sync_call('mul_sin', { args: [a, w3], partitioner: world - 1 })[0] as torch.Tensor) : a.mul(w3).sin();
      return b.sum().add(a.pow(2).sum());
    };
    const refGrad = torch.autograd.grad(chain(false), [w3])[0] as torch.Tensor;
    todist.autograd.context((cid) => {
      const [g] = todist.autograd.grad(cid, chain(true), [w3]);
      out.chainDiff = (g as torch.Tensor).sub(refGrad).abs().max().item();
    });
    // The worker dropped the graph it kept for the context.
    out.keptAfter = todist.remote_sync_call('kept_graphs', { partitioner: 1 });
    // A call outside a context: no gradient flows (as with torch.distributed.rpc).
    const [r2] = todist.remote_sync_call('grad_probe', { args: [x, w], partitioner: 1 }) as { y: torch.Tensor }[];
    out.noContextRequiresGrad = r2.y.requires_grad;
    // Calling an unregistered function fails on the caller.
    try {
      todist.remote_sync_call((y: number) => y, { args: [1], partitioner: 1 });
    } catch (e) {
      out.unregistered = (e as Error).message.includes('not registered');
    }
    // An explicit barrier while the workers serve.
    todist.barrier();
    out.barrier = true;
    result(out);
    return;
  }
  if (scenario === 'timeout') {
    const t0 = Date.now();
    try {
      todist.remote_sync_call('hang', { args: [60000], partitioner: 1, timeout: 1500 });
      result({ error: null });
    } catch (e) {
      result({ name: (e as Error).name, message: (e as Error).message, rank: (e as todist.DistributedError).rank, ms: Date.now() - t0 });
      process.exit(3);
    }
    return;
  }
  if (scenario === 'die') {
    const t0 = Date.now();
    try {
      // Rank 1 exits (status 0, so that the launcher leaves rank 0 running) in the middle of a call.
      todist.remote_sync_call('die', { args: [0], partitioner: 1, timeout: 20000 });
      result({ error: null });
    } catch (e) {
      let next = '';
      try {
        todist.remote_sync_call('echo', { args: [1], partitioner: 1 });
      } catch (e2) {
        next = (e2 as Error).message;
      }
      result({ name: (e as Error).name, message: (e as Error).message, rank: (e as todist.DistributedError).rank, ms: Date.now() - t0, next });
      process.exit(3);
    }
  }
}

if (scenario === 'init-timeout') {
  const t0 = Date.now();
  try {
    todist.init_process_group({ init_timeout: 2000 });
    console.log('RESULT {"error":null}');
  } catch (e) {
    result({ name: (e as Error).name, message: (e as Error).message, ms: Date.now() - t0 });
    process.exit(3);
  }
} else {
  todist.auto_init_rpc(null, { timeout: 30000 })(run)().catch((e) => {
    console.error(`rank ${todist.get_rank()} failed: ${(e as Error).stack}`);
    process.exit(1);
  });
}
