// Neumann-series inverses: ns(A, b) ~ A^-1 b and ns_inv(A) ~ A^-1, for A close to I
// (or alpha*A close to I). As in TorchOpt, ns sums maxiter + 1 terms (k = 0..maxiter)
// and ns_inv sums maxiter terms (k = 0..maxiter-1).
import { tree_map } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { tree_add, tree_scalar_mul, tree_sub, tree_sub_scalar_mul } from '../pytree';
import { TensorTree } from '../typing';
import { MatVec, normalize_matvec } from './utils';
import { checkKeys } from '../kwargs';

function nsSolve(A: Tensor, b: Tensor, maxiter: number, alpha: number | null): Tensor {
  if (A.dim() !== 2 || A.size(0) !== A.size(1)) throw new RangeError(`\`A\` must be a square matrix, but has shape: [${A.shape}]`);
  let inv = b;
  let v = b;
  for (let i = 0; i < maxiter; i++) {
    v = alpha !== null ? v.sub(A.matmul(v).mul(alpha)) : v.sub(A.matmul(v));
    inv = inv.add(v);
  }
  return alpha !== null ? inv.mul(alpha) : inv;
}

export function ns(A: TensorTree | MatVec, b: TensorTree, maxiter: number | null = null, opts: { alpha?: number | null } = {}): TensorTree {
  checkKeys('ns', opts, ['alpha']);
  const n = maxiter ?? 10;
  const alpha = opts.alpha ?? null;
  if (typeof A !== 'function') return tree_map((a: Tensor, bi: Tensor) => nsSolve(a, bi, n, alpha), A, b);
  const matvec = normalize_matvec(A);
  let inv = b;
  let v = b;
  for (let i = 0; i < n; i++) {
    v = alpha !== null ? tree_sub_scalar_mul(v, matvec(v), alpha) : tree_sub(v, matvec(v));
    inv = tree_add(inv, v);
  }
  return alpha !== null ? tree_scalar_mul(alpha, inv) : inv;
}

function nsInv(A: Tensor, maxiter: number, alpha: number | null): Tensor {
  if (A.dim() !== 2 || A.size(0) !== A.size(1)) throw new RangeError(`\`A\` must be a square matrix, but has shape: [${A.shape}]`);
  const I = torch.eye(A.size(0), A.size(1), { dtype: A.dtype, device: A.device });
  let inv = torch.zeros_like(A);
  const M = alpha !== null ? I.sub(A.mul(alpha)) : I.sub(A);
  for (let rank = 0; rank < maxiter; rank++) inv = inv.add(torch.linalg.matrix_power(M, rank));
  return alpha !== null ? inv.mul(alpha) : inv;
}

export function ns_inv(A: TensorTree, maxiter: number | null = null, opts: { alpha?: number | null } = {}): TensorTree {
  checkKeys('ns_inv', opts, ['alpha']);
  return tree_map((a: Tensor) => nsInv(a, maxiter ?? 10, opts.alpha ?? null), A);
}
