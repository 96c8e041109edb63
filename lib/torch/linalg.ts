// torch.linalg.
import { N } from '../native';
import { Tensor, wrap, wrapList } from './tensor';
import { dtype } from './dtype';
import { Dims, dimList, dtypeCode, kw } from './ops/util';

export type NormOpts = { dim?: Dims | null; keepdim?: boolean; dtype?: dtype | null };

export function solve(A: Tensor, B: Tensor, opts?: { left?: boolean }): Tensor {
  kw('solve', opts, ['left']);
  return wrap(N.linalg_solve(A._h, B._h, opts?.left ?? true));
}
export function inv(A: Tensor): Tensor {
  return wrap(N.linalg_inv(A._h));
}
export function pinv(A: Tensor, opts?: { hermitian?: boolean }): Tensor {
  kw('pinv', opts, ['hermitian']);
  return wrap(N.linalg_pinv(A._h, opts?.hermitian ?? false));
}
export function det(A: Tensor): Tensor {
  return wrap(N.linalg_det(A._h));
}
export function slogdet(A: Tensor): { sign: Tensor; logabsdet: Tensor } {
  const [sign, logabsdet] = wrapList(N.linalg_slogdet(A._h));
  return { sign, logabsdet };
}
/** linalg.norm(A, ord=None, dim=None, keepdim=False). */
export function norm(A: Tensor, ord?: number | 'fro' | 'nuc' | null, opts?: NormOpts): Tensor {
  kw('norm', opts, ['dim', 'dtype', 'keepdim']);
  const d = dimList(opts?.dim);
  const k = opts?.keepdim ?? false;
  const dt = dtypeCode(opts?.dtype);
  if (ord === undefined || ord === null) return wrap(N.linalg_norm_default(A._h, d, k, dt));
  if (typeof ord === 'string') return wrap(N.linalg_norm_str(A._h, ord, d, k, dt));
  return wrap(N.linalg_norm_ord(A._h, ord, d, k, dt));
}
export function vector_norm(x: Tensor, ord: number = 2, opts?: NormOpts): Tensor {
  kw('vector_norm', opts, ['dim', 'dtype', 'keepdim']);
  return wrap(N.vector_norm(x._h, ord, dimList(opts?.dim), opts?.keepdim ?? false, dtypeCode(opts?.dtype)));
}
export function matrix_norm(A: Tensor, ord: number | 'fro' | 'nuc' = 'fro', opts?: { dim?: [number, number]; keepdim?: boolean }): Tensor {
  kw('matrix_norm', opts, ['dim', 'keepdim']);
  const d = opts?.dim ?? [-2, -1];
  if (typeof ord === 'string') return wrap(N.linalg_matrix_norm(A._h, ord, d, opts?.keepdim ?? false));
  return wrap(N.linalg_matrix_norm_ord(A._h, ord, d, opts?.keepdim ?? false));
}
export function matrix_power(A: Tensor, n: number): Tensor {
  return wrap(N.linalg_matrix_power(A._h, n));
}
export function cholesky(A: Tensor, opts?: { upper?: boolean }): Tensor {
  kw('cholesky', opts, ['upper']);
  return wrap(N.linalg_cholesky(A._h, opts?.upper ?? false));
}
export function qr(A: Tensor, mode: 'reduced' | 'complete' | 'r' = 'reduced'): { Q: Tensor; R: Tensor } {
  const [Q, R] = wrapList(N.linalg_qr(A._h, mode));
  return { Q, R };
}
export function eigh(A: Tensor, UPLO: 'L' | 'U' = 'L'): { eigenvalues: Tensor; eigenvectors: Tensor } {
  const [eigenvalues, eigenvectors] = wrapList(N.linalg_eigh(A._h, UPLO));
  return { eigenvalues, eigenvectors };
}
export function eigvalsh(A: Tensor, UPLO: 'L' | 'U' = 'L'): Tensor {
  return wrap(N.linalg_eigvalsh(A._h, UPLO));
}
export function svd(A: Tensor, opts?: { full_matrices?: boolean }): { U: Tensor; S: Tensor; Vh: Tensor } {
  const [U, S, Vh] = wrapList(N.linalg_svd(A._h, opts?.full_matrices ?? true));
  return { U, S, Vh };
}
export function svdvals(A: Tensor): Tensor {
  return wrap(N.linalg_svdvals(A._h));
}
export function lstsq(A: Tensor, B: Tensor): { solution: Tensor } {
  return { solution: wrap(N.linalg_lstsq(A._h, B._h)) };
}
export function matrix_rank(A: Tensor, opts?: { hermitian?: boolean }): Tensor {
  kw('matrix_rank', opts, ['hermitian']);
  return wrap(N.linalg_matrix_rank(A._h, opts?.hermitian ?? false));
}
export function cond(A: Tensor): Tensor {
  return wrap(N.linalg_cond(A._h));
}
export function matrix_exp(A: Tensor): Tensor {
  return wrap(N.linalg_matrix_exp(A._h));
}
export function solve_triangular(A: Tensor, B: Tensor, opts: { upper: boolean; left?: boolean; unitriangular?: boolean }): Tensor {
  kw('solve_triangular', opts, ['left', 'unitriangular', 'upper']);
  return wrap(N.linalg_solve_triangular(A._h, B._h, opts.upper, opts.left ?? true, opts.unitriangular ?? false));
}
export function cross(a: Tensor, b: Tensor, opts?: { dim?: number }): Tensor {
  kw('cross', opts, ['dim']);
  return wrap(N.cross(a._h, b._h, opts?.dim ?? -1));
}
export function vecdot(x: Tensor, y: Tensor, opts?: { dim?: number }): Tensor {
  kw('vecdot', opts, ['dim']);
  return x.mul(y).sum(opts?.dim ?? -1);
}
export function multi_dot(tensors: readonly Tensor[]): Tensor {
  return tensors.reduce((a, b) => a.matmul(b));
}
