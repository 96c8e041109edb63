// iMAML with implicit differentiation (custom_root + solve_normal_cg).
// A line-for-line port of sample A of the brief (TorchOpt's test_implicit iMAML case),
// with its constants: a 784 -> 10 linear model, batch 64, 3 updates, 1 inner step,
// lr = inner_lr = 0.1, seed 42.
//   npx ts-node examples/imaml.ts
import { torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';

const nn = torch.nn;
const F = torch.nn.functional;
const functorch = torch.func;
const data = torch.utils.data;
const { pytree } = torchopt;

const MODEL_NUM_INPUTS = 784;
const MODEL_NUM_CLASSES = 10;
const BATCH_SIZE = 64;
const NUM_UPDATES = 3;
const inner_update = 1;
const lr = 0.1;
const inner_lr = 0.1;
const dtype = torch.float32;

const helpers = {
  seed_everything(seed: number): void {
    torch.manual_seed(seed);
  },
};

class FcNet extends nn.Module {
  declare fc: InstanceType<typeof nn.Linear>;
  constructor(dim: number, out: number) {
    super();
    this.fc = new nn.Linear(dim, out);
  }
  override forward(x: Tensor): Tensor {
    return this.fc(x);
  }
}

const get_model_torch = torch.no_grad.wrap((device: string | null = null, dt = torch.float32): [FcNet, Iterable<[Tensor, Tensor]>] => {
  helpers.seed_everything(42);
  let model = new FcNet(MODEL_NUM_INPUTS, MODEL_NUM_CLASSES).to({ dtype: dt });
  if (device !== null) model = model.to({ device: new torch.device(device) });
  const dataset = new data.TensorDataset(
    torch.randint(0, 1, [BATCH_SIZE * NUM_UPDATES, MODEL_NUM_INPUTS]),
    torch.randint(0, MODEL_NUM_CLASSES, [BATCH_SIZE * NUM_UPDATES]),
  );
  const loader = new data.DataLoader(dataset, BATCH_SIZE, { shuffle: false });
  return [model, loader as unknown as Iterable<[Tensor, Tensor]>];
});

type Data = [Tensor, Tensor, (params: Tensor[], x: Tensor) => Tensor];

function main(): void {
  const [model, loader] = get_model_torch('cpu');
  let [fmodel, params] = functorch.make_functional(model) as unknown as [(p: Tensor[], x: Tensor) => Tensor, Tensor[]];
  const optim = torchopt.sgd(lr);
  let optim_state = optim.init(params);

  function imaml_objective_torchopt(params: Tensor[], meta_params: Tensor[], data: Data): Tensor {
    const [x, y, f] = data;
    const y_pred = f(params, x);
    let regularization_loss: Tensor | number = 0;
    for (let i = 0; i < params.length; i++) {
      const [p1, p2] = [params[i], meta_params[i]];
      regularization_loss = torch.sum(torch.square(p1.sub(p2))).mul(0.5).add(regularization_loss);
    }
    const loss = F.cross_entropy(y_pred, y).add(regularization_loss);
    return loss;
  }

  const inner_solver_torchopt = torchopt.diff.implicit.custom_root(functorch.grad(imaml_objective_torchopt, { argnums: 0 }), {
    argnums: 1,
    has_aux: true,
    solve: torchopt.linear_solve.solve_normal_cg(),
  })((params: Tensor[], meta_params: Tensor[], data: Data) => {
    // Initial functional optimizer based on TorchOpt
    const [x, y, f] = data;
    const optimizer = torchopt.sgd(inner_lr);
    let opt_state = optimizer.init(params);
    torch.enable_grad(() => {
      // Temporarily enable gradient computation for conducting the optimization
      for (let k = 0; k < inner_update; k++) {
        const pred = f(params, x);
        const loss = F.cross_entropy(pred, y); // compute loss
        // Compute regularization loss
        let regularization_loss: Tensor | number = 0;
        for (let i = 0; i < params.length; i++) {
          const [p1, p2] = [params[i], meta_params[i]];
          regularization_loss = torch.sum(torch.square(p1.sub(p2))).mul(0.5).add(regularization_loss);
        }
        const final_loss = loss.add(regularization_loss);
        const grads = torch.autograd.grad(final_loss, params); // compute gradients
        let updates;
        [updates, opt_state] = optimizer.update(grads, opt_state, { inplace: true }); // get updates
        params = torchopt.apply_updates(params, updates, { inplace: true });
      }
    });
    return [params, [0, { a: 1, b: 2 }]];
  });

  let step = 0;
  for (let [xs, ys] of loader) {
    xs = xs.to({ dtype });
    const data: Data = [xs, ys, fmodel];
    const inner_params = pytree.tree_map((t: Tensor) => t.clone().detach_().requires_grad_({ requires_grad: t.requires_grad }), params);
    const [optimal_inner_params, aux] = inner_solver_torchopt(inner_params, params, data) as [Tensor[], unknown];
    if (JSON.stringify(aux) !== JSON.stringify([0, { a: 1, b: 2 }])) throw new Error('assert aux == (0, {a: 1, b: 2})');
    const outer_loss = fmodel(optimal_inner_params, xs).mean();
    const grads = torch.autograd.grad(outer_loss, params);
    let updates;
    [updates, optim_state] = optim.update(grads, optim_state);
    params = torchopt.apply_updates(params, updates);
    xs.numpy();
    ys.numpy();
    console.log(`update ${step++}: outer loss ${outer_loss.item().toFixed(6)}, |grad W| ${grads[0]!.norm().item().toFixed(6)}`);
  }
}

main();
