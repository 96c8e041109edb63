// linalg.cg: preconditioned conjugate gradient over pytrees (as SciPy/JAX).
//
// Differs from TorchOpt on purpose: the default maxiter is 10 x the number of unknowns
// (TorchOpt sums the tensor *dimensions*, e.g. 10 x (3 + 4) instead of 10 x 12 for a
// 3x4 leaf, which can stop CG early). Step sizes are numbers (no gradient through them),
// as in TorchOpt: differentiate through a solve with custom_root instead.
import { tree_map } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { tree_vdot_real } from '../pytree';
import { TensorTree } from '../typing';
import { cat_shapes, MatVec, normalize_matvec } from './utils';
import { CG_KEYS, checkKeys } from '../kwargs';

export type CgOpts = { rtol?: number; atol?: number; maxiter?: number | null; M?: TensorTree | MatVec | null };

export function cg(A: TensorTree | MatVec, b: TensorTree, x0: TensorTree | null = null, opts: CgOpts = {}): TensorTree {
  checkKeys('cg', opts, CG_KEYS);
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 0.0;
  const x = x0 ?? tree_map((t: Tensor) => torch.zeros_like(t), b);
  const size = sumNumel(b);
  const maxiter = opts.maxiter ?? 10 * size;
  const identityM = opts.M === undefined || opts.M === null;
  const Mv: MatVec = identityM ? (r) => r : normalize_matvec(opts.M);
  const Av = normalize_matvec(A);
  if (cat_shapes(x).join(',') !== cat_shapes(b).join(',')) {
    throw new RangeError(`Tensors in x0 and b must have matching shapes: [${cat_shapes(x)}] vs. [${cat_shapes(b)}].`);
  }
  const b2 = tree_vdot_real(b, b);
  const atol2 = Math.max(rtol ** 2 * b2, atol ** 2);
  let r = tree_map((bi: Tensor, ai: Tensor) => bi.sub(ai), b, Av(x));
  let z = Mv(r);
  let p = z;
  let gamma = tree_vdot_real(r, z);
  let xk = x;
  let k = 0;
  for (;;) {
    const rs = identityM ? gamma : tree_vdot_real(r, r);
    if (!(rs > atol2 && k < maxiter)) break;
    const Ap = Av(p);
    const alpha = gamma / tree_vdot_real(p, Ap);
    xk = tree_map((a: Tensor, q: Tensor) => a.add(q, { alpha }), xk, p);
    r = tree_map((a: Tensor, q: Tensor) => a.sub(q, { alpha }), r, Ap);
    z = Mv(r);
    const gamma_ = tree_vdot_real(r, z);
    const beta = gamma_ / gamma;
    p = tree_map((a: Tensor, q: Tensor) => a.add(q, { alpha: beta }), z, p);
    gamma = gamma_;
    k++;
  }
  return xk;
}

function sumNumel(tree: TensorTree): number {
  let n = 0;
  tree_map((t: Tensor) => (n += t.numel()), tree);
  return n;
}
