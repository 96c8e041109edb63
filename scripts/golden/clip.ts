// Golden kind "clip_grad_norm": total norms and clipped gradients, and clip chained with sgd.
import { torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { CaseResult, maxAbsDiff, Nested, result, t64 } from './common';

type ClipCase = { max_norm: number; norm_type: number | 'inf'; grads: Nested[]; total_norm: number; clipped: Nested[] };
type ClipDoc = { cases: ClipCase[]; chain_clip_then_sgd?: { params0: Nested[]; grads: Nested[][]; params: Nested[][] } };

export function checkClipFile(doc: ClipDoc, tol = 1e-12): CaseResult[] {
  const out = doc.cases.map((c, i) => {
    const normType = c.norm_type === 'inf' ? Infinity : c.norm_type;
    const grads = c.grads.map(t64);
    const [clipped] = torchopt.clip_grad_norm(c.max_norm, normType).update(grads, torchopt.clip_grad_norm(c.max_norm).init(grads), { inplace: false });
    return result(`${i}: max_norm=${c.max_norm} norm_type=${c.norm_type}`, maxAbsDiff(clipped as Tensor[], c.clipped), tol);
  });
  const ch = doc.chain_clip_then_sgd;
  if (ch) {
    const opt = torchopt.chain(torchopt.clip_grad_norm(1.0), torchopt.sgd(0.1, { momentum: 0.9 }));
    let params: Tensor[] = ch.params0.map(t64);
    let state = opt.init(params);
    let err = 0;
    ch.grads.forEach((g, k) => {
      let updates: Tensor[];
      [updates, state] = opt.update(g.map(t64), state, { params, inplace: false });
      params = torchopt.apply_updates(params, updates, { inplace: false });
      err = Math.max(err, maxAbsDiff(params, ch.params[k]));
    });
    out.push(result('chain(clip_grad_norm(1.0), sgd(0.1, momentum=0.9))', err, tol));
  }
  return out;
}
