// The iMAML outer step of sample A (784 -> 10 linear model, batch 64, 1 inner SGD step,
// custom_root with solve_normal_cg), ours beside the same algorithm written in plain
// Python torch 1.13 + functorch (a torch.autograd.Function whose backward runs normal
// CG with functorch.vjp, as TorchOpt's custom_root does). Python TorchOpt: 3.4 ms.
import { torch, torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { PY_PRELUDE, python, table, timeNs } from './common';

torch.set_num_threads(1);
const F = torch.nn.functional;

function ours(): number {
  torch.manual_seed(42);
  const model = new torch.nn.Linear(784, 10);
  const [fmodel, params0] = torch.func.make_functional(model) as unknown as [(p: Tensor[], x: Tensor) => Tensor, Tensor[]];
  let params = params0;
  const xs = torch.randn(64, 784);
  const ys = torch.randint(0, 10, [64]);
  const objective = (p: Tensor[], meta: Tensor[], data: [Tensor, Tensor]) => {
    let reg: Tensor = torch.zeros([]);
    p.forEach((pi, i) => (reg = reg.add(pi.sub(meta[i]).square().sum().mul(0.5))));
    return F.cross_entropy(fmodel(p, data[0]), data[1]).add(reg);
  };
  const solver = torchopt.diff.implicit.custom_root(torch.func.grad(objective, { argnums: 0 }), { argnums: 1, solve: torchopt.linear_solve.solve_normal_cg() })(
    (p: Tensor[], meta: Tensor[], data: [Tensor, Tensor]) => {
      const opt = torchopt.sgd(0.1);
      let st = opt.init(p);
      torch.enable_grad(() => {
        const g = torch.autograd.grad(objective(p, meta, data), p);
        let u;
        [u, st] = opt.update(g, st, { inplace: true });
        p = torchopt.apply_updates(p, u, { inplace: true });
      });
      return p;
    },
  );
  const outerOpt = torchopt.sgd(0.1);
  let outerState = outerOpt.init(params);
  const step = () =>
    torch.tidy(() => {
      const inner = params.map((t) => t.clone().detach_().requires_grad_(true));
      const opt = solver(inner, params, [xs, ys]) as Tensor[];
      const loss = fmodel(opt, xs).mean();
      const g = torch.autograd.grad(loss, params);
      let u;
      [u, outerState] = outerOpt.update(g, outerState);
      params = torchopt.apply_updates(params, u, { inplace: true });
      return [params, outerState];
    });
  return timeNs(step, 50, 7);
}

const py = python(`${PY_PRELUDE}
import functorch, torch.nn.functional as F
torch.manual_seed(42)
model = torch.nn.Linear(784, 10)
fmodel, params = functorch.make_functional(model)
xs = torch.randn(64, 784); ys = torch.randint(0, 10, (64,))
def objective(p, meta, x, y):
    reg = sum(0.5 * torch.sum(torch.square(a - b)) for a, b in zip(p, meta))
    return F.cross_entropy(fmodel(p, x), y) + reg
optimality = functorch.grad(objective, argnums=0)
def vdot(a, b): return sum(float(torch.dot(x.reshape(-1), y.reshape(-1))) for x, y in zip(a, b))
def cg(A, b, maxiter):
    x = tuple(torch.zeros_like(t) for t in b); r = tuple(bi - ai for bi, ai in zip(b, A(x))); p = r; g = vdot(r, r)
    tol = max(1e-10 * vdot(b, b), 0.0); k = 0
    while g > tol and k < maxiter:
        Ap = A(p); a = g / vdot(p, Ap)
        x = tuple(xi + a * pi for xi, pi in zip(x, p)); r = tuple(ri - a * api for ri, api in zip(r, Ap))
        g2 = vdot(r, r); p = tuple(ri + (g2 / g) * pi for ri, pi in zip(r, p)); g = g2; k += 1
    return x
class Implicit(torch.autograd.Function):
    @staticmethod
    def forward(ctx, *meta):
        p = tuple(t.detach().clone().requires_grad_() for t in meta)
        with torch.enable_grad():
            g = torch.autograd.grad(objective(p, meta, xs, ys), p)
        sol = tuple((a - 0.1 * b).detach() for a, b in zip(p, g))
        ctx.save_for_backward(*sol, *meta)
        return sol
    @staticmethod
    def backward(ctx, *gout):
        n = len(gout); sol = ctx.saved_tensors[:n]; meta = ctx.saved_tensors[n:]
        _, vjp_sol = functorch.vjp(lambda s: optimality(s, meta, xs, ys), sol)
        matvec = lambda u: vjp_sol(u)[0]
        _, rvjp = functorch.vjp(matvec, tuple(gout))
        normal = lambda y: functorch.vjp(matvec, y)[1](matvec(y))[0]
        rhs = rvjp(tuple(-g for g in gout))[0]
        u = cg(normal, rhs, 10 * sum(t.numel() for t in rhs))
        _, vjp_meta = functorch.vjp(lambda m: optimality(sol, m, xs, ys), tuple(meta))
        return vjp_meta(u)[0]
def step():
    global params
    opt = Implicit.apply(*params)
    loss = fmodel(opt, xs).mean()
    g = torch.autograd.grad(loss, params)
    with torch.no_grad():
        params = tuple(p.add(gi, alpha=-0.1).requires_grad_() for p, gi in zip(params, g))
print(json.dumps({'step': bench(step, 50, 7)}))
`);

const ok = table('iMAML outer step of sample A (784 -> 10, batch 64, solve_normal_cg)', [
  { name: 'custom_root + solve_normal_cg, one outer step', ours: ours() / 1e6, peer: py ? py.step / 1e6 : null, target: 1.0, unit: 'ms' },
]);
console.log('Python TorchOpt (quoted, peer-baselines.md): 3.4 ms with OpenBLAS.');
process.exitCode = ok ? 0 : 1;
