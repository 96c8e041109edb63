// Errors raised by native calls in a loop that also leaves tensors to the GC: a GC that
// starts while an error is thrown runs tensor finalizers, which used to abort Node
// (see csrc/core/binding.cpp). Prints the counts as JSON.
import { torch } from '../../lib';

const iters = Number(process.argv[2] ?? 300000);
const t = torch.zeros(1, 2, 0).to(torch.int64);
let typeErrors = 0;
let shapeErrors = 0;
for (let i = 0; i < iters; i++) {
  try {
    (t.bitwise_xor as (...a: unknown[]) => unknown)({}, torch.randn(1));
  } catch (e) {
    if ((e as Error).name === 'TypeError' && (e as { code?: string }).code === 'ERR_TORCH_ARGUMENT') typeErrors++;
  }
  if (i % 1000 === 0) {
    try {
      torch.randn(2).add(torch.randn(3));
    } catch (e) {
      if (/must match the size/.test((e as Error).message)) shapeErrors++;
    }
  }
}
console.log(JSON.stringify({ typeErrors, shapeErrors }));
