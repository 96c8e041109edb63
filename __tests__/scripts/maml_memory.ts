// A MAML loop (MetaAdam inner steps, outer backward, Adam meta step, recover_state_dict)
// that never disposes anything; reports live tensors and RSS after a warm-up and at the end.
import { torch, torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';

const iters = Number(process.argv[2] ?? 2000);
const { nn } = torch;
const F = torch.nn.functional;
torch.manual_seed(0);
const net = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 1));
const metaOpt = new torchopt.Adam(net.parameters(), 1e-3);
const inner = new torchopt.MetaAdam(net, 0.1);
const netState = torchopt.extract_state_dict(net, { by: 'reference' });
const optState = torchopt.extract_state_dict(inner, { by: 'reference' });
const x = torch.randn(16, 8);
const y = torch.randn(16, 1);
let warm = { tensors: 0, rss: 0 };
const rss = () => process.memoryUsage().rss / 2 ** 20;
for (let i = 0; i < iters; i++) {
  for (let k = 0; k < 3; k++) inner.step(F.mse_loss(net(x) as Tensor, y));
  const outer = F.mse_loss(net(x) as Tensor, y);
  metaOpt.zero_grad();
  outer.backward();
  metaOpt.step();
  torchopt.recover_state_dict(net, netState);
  torchopt.recover_state_dict(inner, optState);
  if (i === Math.floor(iters / 4)) {
    (global as { gc?: () => void }).gc?.();
    warm = { tensors: torch.memory().tensors, rss: rss() };
  }
}
(global as { gc?: () => void }).gc?.();
console.log(JSON.stringify({ tensorsWarm: warm.tensors, tensorsEnd: torch.memory().tensors, rssWarmMB: Math.round(warm.rss), rssEndMB: Math.round(rss()) }));
