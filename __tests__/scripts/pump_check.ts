// Runs custom Functions, nested grad and hooks with TORCHOPT_NODE_FORCE_PUMP=1: the
// engine then runs on a helper thread and every JS callback is marshalled to the JS
// thread, as on CUDA. Prints the results as JSON.
import { torch } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { FunctionCtx } from '../../lib/torch/autograd';

const { autograd } = torch;
class Exp extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const y = x.exp();
    ctx.save_for_backward(y);
    return y;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(ctx.saved_tensors[0]);
  }
}
class ViaGrad extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.save_for_backward(x);
    return x.pow(3);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const xx = ctx.saved_tensors[0].detach().requires_grad_();
    const [d] = torch.enable_grad(() => autograd.grad(xx.pow(3), xx));
    return g.mul(d!);
  }
}
class Bad extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(1);
  }
  static override backward(): Tensor {
    throw new Error('bad backward');
  }
}
const x = torch.tensor([0.0, 1.0], { dtype: torch.float64, requires_grad: true });
Exp.apply(x).sum().backward();
const x2 = torch.tensor(2.0, { requires_grad: true });
ViaGrad.apply(x2).backward();
const x3 = torch.tensor([1.0, 2.0], { requires_grad: true });
x3.register_hook((g) => g.mul(10));
x3.mul(x3).sum().backward();
let error = '';
try {
  Bad.apply(torch.ones(1, { requires_grad: true })).sum().backward();
} catch (e) {
  error = (e as Error).message;
}
const x4 = torch.tensor(0.5, { dtype: torch.float64, requires_grad: true });
const [g] = autograd.grad(Exp.apply(x4), x4, { create_graph: true });
const [gg] = autograd.grad(g!, x4);
console.log(JSON.stringify({ exp: x.grad!.tolist(), nested: x2.grad!.item(), hook: x3.grad!.tolist(), error, double: gg!.item() }));
