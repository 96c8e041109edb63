// CUDA memory: the caching allocator's statistics, and a synchronous loop of CUDA tensors
// that never disposes anything stays bounded (the GC frees them; V8 is told their bytes).
// Runs only where CUDA is available.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { torch } from '../../lib';
import { nodeScript } from '../helpers';

const maybe = torch.cuda.is_available() ? describe : describe.skip;

maybe('CUDA memory', () => {
  test('memory_allocated follows a tensor made and disposed; the peak and reset', () => {
    torch.cuda.synchronize();
    const before = torch.cuda.memory_allocated();
    const t = torch.empty([1 << 20], { device: 'cuda' }); // 4 MiB
    expect(torch.cuda.memory_allocated() - before).toBe(4 << 20);
    expect(torch.cuda.memory_allocated('cuda:0')).toBe(torch.cuda.memory_allocated(0));
    expect(torch.cuda.max_memory_allocated()).toBeGreaterThanOrEqual(before + (4 << 20));
    expect(torch.cuda.memory_reserved()).toBeGreaterThanOrEqual(torch.cuda.memory_allocated());
    t.dispose();
    expect(torch.cuda.memory_allocated()).toBe(before);
    torch.cuda.reset_peak_memory_stats();
    expect(torch.cuda.max_memory_allocated()).toBe(before);
    torch.cuda.empty_cache();
    expect(torch.cuda.memory_reserved()).toBeLessThanOrEqual(torch.cuda.max_memory_reserved());
    expect(() => torch.cuda.memory_allocated('cpu')).toThrow(RangeError);
  });

  test('20,000 x 2 MiB CUDA tensors in a sync loop: allocated CUDA memory and RSS stay bounded', () => {
    const out = execFileSync(process.execPath, [...nodeScript(path.join(__dirname, '..', 'scripts', 'sync_loop.ts')), '20000', 'cuda'], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.acc).toBe(2 * 20); // the loop really computed
    // 40 GB were made in all; what is alive at once stays far below.
    expect(r.cudaPeakMB).toBeLessThan(1024);
    expect(r.peakMB).toBeLessThan(3072); // the CUDA runtime's own mappings included
  }, 120000);
});
