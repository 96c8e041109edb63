// Meta-gradient RL toy: learn the discount factor gamma with MetaSGD.
// A line-for-line port of sample B (TorchOpt's examples/MGRL/mgrl.py); it prints the
// same numbers as the Python program (the seeded run is deterministic).
//   npx ts-node examples/mgrl-gamma.ts [outer_iters]
import { torch, torchopt } from '../lib';
import type { Tensor } from '../lib/torch';

const nn = torch.nn;
const F = torch.nn.functional;

function test_gamma(outer_iters = 10000): void {
  class Rollout {
    static get(): [Tensor, Tensor] {
      const out = torch.empty(5, 2);
      out.set(':, 0', torch.randn(5));
      out.set(':, 1', torch.ones(5).mul(0.1));
      const label = torch.arange(0, 10);
      return [out.view(10, 1), F.one_hot(label, 10)];
    }

    static rollout(trajectory: Tensor, gamma: Tensor): Tensor {
      const out = [trajectory.get(-1)];
      for (let i = 8; i >= 0; i--) {
        out.push(trajectory.get(i).add(gamma.get(i).mul(out[out.length - 1].clone().detach_())));
      }
      out.reverse();
      return torch.hstack(out).view(10, 1);
    }
  }

  class ValueNetwork extends nn.Module {
    declare fc: InstanceType<typeof nn.Linear>;
    constructor() {
      super();
      this.fc = new nn.Linear(10, 1);
    }

    override forward(x: Tensor): Tensor {
      return this.fc(x);
    }
  }

  torch.manual_seed(0);
  const inner_iters = 1;
  const net = new ValueNetwork();
  const inner_optimizer = new torchopt.MetaSGD(net, 5e-1);
  const gamma = torch.zeros(9, { requires_grad: true });
  const meta_optimizer = new torchopt.SGD([gamma], 5e-1);
  const net_state = torchopt.extract_state_dict(net);
  for (let i = 0; i < outer_iters; i++) {
    for (let j = 0; j < inner_iters; j++) {
      const [trajectory, state] = Rollout.get();
      const backup = Rollout.rollout(trajectory, torch.sigmoid(gamma));
      const pred_value = net(state.float());
      const loss = F.mse_loss(pred_value, backup);
      inner_optimizer.step(loss);
    }
    const [trajectory, state] = Rollout.get();
    const pred_value = net(state.float());
    const backup = Rollout.rollout(trajectory, torch.ones_like(gamma));
    const loss = F.mse_loss(pred_value, backup);
    meta_optimizer.zero_grad();
    loss.backward();
    meta_optimizer.step();
    torchopt.recover_state_dict(net, net_state);
    if (i % 100 === 0) {
      torch.no_grad(() => console.log(`epoch ${i} | gamma: ${torch.sigmoid(gamma)}`));
    }
  }
}

if (require.main === module) test_gamma(Number(process.argv[2] ?? 10000));

export { test_gamma };
