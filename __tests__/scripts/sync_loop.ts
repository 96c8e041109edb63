// A synchronous loop that makes 1 MiB tensors and never disposes them; prints the
// peak RSS in MB (and, on CUDA, the caching allocator's peak of allocated bytes). Run in its
// own process by memory.test.ts and cuda/memory.cuda.test.ts.
import { torch } from '../../lib';
import { N } from '../../lib/native';

const iters = Number(process.argv[2] ?? 20000);
const device = process.argv[3] ?? 'cpu';
let acc = 0;
for (let i = 0; i < iters; i++) {
  const t = torch.ones([256, 1024], { device }); // 1 MiB of float32
  const u = t.mul(2); // another 1 MiB
  if (i % 1000 === 0) acc += u.get(0, 0).item();
}
const peak = process.resourceUsage().maxRSS / 1024;
const cuda = device.startsWith('cuda') ? { cudaPeakMB: Math.round(torch.cuda.max_memory_allocated(device) / 2 ** 20) } : {};
console.log(JSON.stringify({ iters, peakMB: Math.round(peak), acc, handles: torch.gc_stats().handles, v8Built: N.gc_stats()[4] !== 0, ...cuda }));
