// The fused optimizer kernels on CUDA (csrc/cuda/fused_kernels.cu): the same results as
// the CPU kernels, for every op and dtype, many tensors in one launch, large and odd
// sizes, strided tensors, and the AdamOp backward. Runs only where CUDA is available.
import { torch, torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';
import * as ao from '../../lib/torchopt/accelerated_op';
import { expectClose, expectThrow } from '../helpers';

const maybe = torch.cuda.is_available() ? describe : describe.skip;
const cuda = (ts: Tensor[]) => ts.map((t) => t.to('cuda'));
const cpu = (ts: Tensor[]) => ts.map((t) => t.cpu());
const zerosLike = (ts: Tensor[]) => ts.map((t) => torch.zeros_like(t));

// Sizes around the kernel's chunk (16384 elements per block) and the warp size.
const SIZES = [1, 3, 31, 32, 33, 1000, 16383, 16384, 16385, 50001];

function model(dtype: torch.dtype, sizes = SIZES): { p: Tensor[]; g: Tensor[][] } {
  torch.manual_seed(0);
  return {
    p: sizes.map((n) => torch.randn([n], { dtype })),
    g: [0, 1, 2].map(() => sizes.map((n) => torch.randn([n], { dtype }))),
  };
}

maybe('fused kernels on CUDA', () => {
  test('is_available', () => {
    expect(ao.is_available('cuda')).toBe(true);
    expect(ao.is_available()).toBe(true);
  });

  test.each([
    ['float64', torch.float64, 1e-12],
    ['float32', torch.float32, 1e-5],
    ['float16', torch.float16, 2e-2],
    ['bfloat16', torch.bfloat16, 5e-2],
  ] as const)('%s: Adam, AdamW, SGD, RMSprop match the CPU kernels over three steps', (_n, dtype, tol) => {
    const { p, g } = model(dtype);
    // CPU reference in the same dtype (float16/bfloat16 computed in float on both).
    const runs: [string, (ps: Tensor[], gs: Tensor[], st: Tensor[][], step: number) => void, number][] = [
      ['adam', (ps, gs, st, step) => ao.fused_adam_(ps, gs, st[0], st[1], { lr: 1e-2, count: step, weight_decay: 0.1, eps_root: 1e-8 }), 2],
      ['adamw', (ps, gs, st, step) => ao.fused_adamw_(ps, gs, st[0], st[1], { lr: 1e-2, count: step, amsgrad: true, max_exp_avg_sqs: st[2] }), 3],
      ['rmsprop', (ps, gs, st) => ao.fused_rmsprop_(ps, gs, st[0], { lr: 1e-2, centered: true, momentum: 0.9, grad_avgs: st[1], momentum_buffers: st[2] }), 3],
    ];
    for (const [, step, nstate] of runs) {
      const pc = p.map((t) => t.clone());
      const pg = cuda(p);
      const sc = [...Array(nstate)].map(() => zerosLike(p));
      const sg = sc.map(cuda);
      for (let s = 0; s < 3; s++) {
        step(pc, g[s], sc, s + 1);
        step(pg, cuda(g[s]), sg, s + 1);
      }
      cpu(pg).forEach((t, i) => expectClose(t.to(torch.float64), pc[i].to(torch.float64), tol, tol));
    }
    // SGD with momentum: buffers created on the first step, on the device.
    const pc = p.map((t) => t.clone());
    const pg = cuda(p);
    const bc: (Tensor | null)[] = p.map(() => null);
    const bg: (Tensor | null)[] = p.map(() => null);
    for (let s = 0; s < 3; s++) {
      ao.fused_sgd_(pc, g[s], bc, { lr: 0.1, momentum: 0.9, nesterov: true });
      ao.fused_sgd_(pg, cuda(g[s]), bg, { lr: 0.1, momentum: 0.9, nesterov: true });
    }
    expect(bg.every((b) => b !== null && b.is_cuda)).toBe(true);
    cpu(pg).forEach((t, i) => expectClose(t.to(torch.float64), pc[i].to(torch.float64), tol, tol));
  });

  test('a thousand tensors in one call; strided tensors', () => {
    const sizes = Array.from({ length: 1000 }, (_, i) => 1 + ((i * 37) % 300));
    const { p, g } = model(torch.float32, sizes);
    const pc = p.map((t) => t.clone());
    const pg = cuda(p);
    const [mc, vc, mg, vg] = [zerosLike(p), zerosLike(p), zerosLike(pg), zerosLike(pg)];
    ao.fused_adam_(pc, g[0], mc, vc, { count: 1 });
    ao.fused_adam_(pg, cuda(g[0]), mg, vg, { count: 1 });
    cpu(pg).forEach((t, i) => expectClose(t, pc[i], 1e-6, 1e-6));
    // Transposed params (dense) and an expanded gradient (copied).
    const P = torch.randn([64, 33]);
    const pt = P.t().to('cuda');
    const ge = torch.randn([1, 64]).expand(33, 64);
    const [m, v] = [torch.zeros([33, 64], { device: 'cuda' }), torch.zeros([33, 64], { device: 'cuda' })];
    ao.fused_adam_([pt], [ge.to('cuda')], [m], [v], { count: 1 });
    const pr = P.t().clone();
    ao.fused_adam_([pr], [ge.contiguous()], [torch.zeros([33, 64])], [torch.zeros([33, 64])], { count: 1 });
    expectClose(pt.cpu(), pr, 1e-6, 1e-6);
  });

  test('AdamOp on CUDA: values, first and second order gradients as on CPU', () => {
    torch.manual_seed(1);
    const h = { b1: 0.9, b2: 0.999, eps: 1e-3, eps_root: 1e-4 };
    const base = [torch.randn([40001], { dtype: torch.float64 }), torch.rand([40001], { dtype: torch.float64 }), torch.randn([40001], { dtype: torch.float64 })];
    const run = (dev: string) => {
      const ins = base.map((t) => t.to(dev).requires_grad_());
      const [m, n, u] = new ao.AdamOp({ ...h, inplace: false }).call(ins[0], ins[1], ins[2], 3);
      const l = u!.mul(u!).sum().add(m.sum()).add(n.mul(2).sum());
      const first = torch.autograd.grad(l, ins, { create_graph: true });
      const second = torch.autograd.grad(first[2]!.sum(), ins, { allow_unused: true });
      return [u!, ...first, ...second].map((t) => (t === null ? null : t.detach().cpu()));
    };
    const a = run('cuda');
    const b = run('cpu');
    a.forEach((t, i) => {
      if (b[i] === null) expect(t).toBeNull();
      else expectClose(t!, b[i]!, 1e-10, 1e-9);
    });
  });

  test('in place on CUDA, count as a CUDA tensor', () => {
    const [mu, nu, g] = [torch.zeros([5], { device: 'cuda' }), torch.zeros([5], { device: 'cuda' }), torch.ones([5], { device: 'cuda' })];
    const [m, , u] = new ao.AdamOp().call(mu, nu, g, torch.tensor(1, { dtype: torch.int64, device: 'cuda' }));
    expect(m).toBe(mu);
    expect(u).toBe(g);
    expectClose(g.cpu(), [1, 1, 1, 1, 1], 1e-6);
  });

  test('torchopt.adam in place on CUDA: the folded scale(-lr) equals AdamOp then mul_; the exact CPU pass declines', () => {
    const run = (fused: boolean, flat: boolean) => {
      torch.manual_seed(1);
      const params = cuda([torch.randn([1000]), torch.randn([33, 7])]);
      const prev = torchopt.alias._get_use_chain_flat();
      torchopt.alias._set_use_chain_flat(flat);
      const opt = torchopt.adam(0.01, { use_accelerated_op: fused });
      torchopt.alias._set_use_chain_flat(prev);
      let state = opt.init(params);
      for (let k = 0; k < 3; k++) {
        let u;
        [u, state] = opt.update(cuda(params.map((p) => torch.randn(p.shape))), state, { params, inplace: true });
        torchopt.apply_updates(params, u, { inplace: true });
      }
      return cpu(params);
    };
    // Flat folds the scale into the kernel; the tree path runs it as a separate mul_.
    const [a, b] = [run(true, true), run(true, false)];
    a.forEach((t, i) => expect(torch.equal(t, b[i])).toBe(true));
    // Unfused on CUDA: the op sequence on both paths (the exact pass is CPU-only).
    const [c, d] = [run(false, true), run(false, false)];
    c.forEach((t, i) => expect(torch.equal(t, d[i])).toBe(true));
  });

  test('tensors on different devices are rejected', () => {
    const a = torch.zeros([3], { device: 'cuda' });
    const b = torch.zeros([3]);
    expectThrow(() => ao.fused_adam_([a], [a], [b], [a], { count: 1 }), 'Error', /exp_avgs\[0\] is on cpu but grads\[0\] is on cuda/);
  });
});
