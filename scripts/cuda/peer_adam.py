# The Python peer of check.ts's speed check, run beside it on the GPU machine:
# torch.optim.Adam(fused=True) and (foreach=True) per tensor-update for 100 tensors of 10
# and of 10k elements, and a 100M-parameter fused update (28 bytes per float32 parameter).
import time
import torch


def time_step(n, numel, reps, **kw):
    ps = [torch.randn(numel, device='cuda', requires_grad=True) for _ in range(n)]
    for p in ps:
        p.grad = torch.randn_like(p)
    opt = torch.optim.Adam(ps, lr=1e-3, **kw)
    for _ in range(3):
        opt.step()
    torch.cuda.synchronize()
    t0 = time.perf_counter_ns()
    for _ in range(reps):
        opt.step()
    torch.cuda.synchronize()
    return (time.perf_counter_ns() - t0) / reps


print(f'torch {torch.__version__}, {torch.cuda.get_device_name()}')
for kw in ({'fused': True}, {'foreach': True}):
    name = 'fused' if 'fused' in kw else 'foreach'
    for numel in (10, 10000):
        ns = time_step(100, numel, 200, **kw)
        print(f'PEER Adam({name}=True) {numel} elements: {ns / 100:.0f} ns per tensor-update')
ns = time_step(100, 1_000_000, 20, fused=True)
print(f'PEER Adam(fused=True) 100M parameters: {ns / 1e6:.2f} ms ({28 * 1e8 / ns:.0f} GB/s of 28 bytes per parameter)')
