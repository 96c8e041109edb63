// Linear solvers for implicit differentiation: each factory returns solver(matvec, b).
import { tree_leaves, tree_map } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { cg, CgOpts } from '../linalg/cg';
import { ns } from '../linalg/ns';
import { MatVec } from '../linalg/utils';
import { tree_truediv } from '../pytree';
import { TensorTree } from '../typing';
import { make_normal_matvec, make_rmatvec, make_ridge_matvec, materialize_matvec } from './utils';
import { CG_KEYS, checkKeys } from '../kwargs';

export type LinearSolver = (matvec: MatVec, b: TensorTree) => TensorTree;
type Base = { ridge?: number | null; init?: TensorTree | null };

/** Solves A x = b by CG (A symmetric positive definite). */
export function solve_cg(opts: Base & CgOpts = {}): LinearSolver {
  checkKeys('solve_cg', opts, ['ridge', 'init', ...CG_KEYS]);
  const { ridge = null, init = null, ...cgOpts } = opts;
  return (matvec, b) => cg(ridge !== null ? make_ridge_matvec(matvec, ridge) : matvec, b, init, cgOpts);
}

/** Solves A^T A x = A^T b by CG (any invertible A; the custom_root default). */
export function solve_normal_cg(opts: Base & CgOpts = {}): LinearSolver {
  checkKeys('solve_normal_cg', opts, ['ridge', 'init', ...CG_KEYS]);
  const { ridge = null, init = null, ...cgOpts } = opts;
  return (matvec, b) => {
    const example = init ?? b;
    const rmatvec = make_rmatvec(matvec, example);
    let normal = make_normal_matvec(matvec);
    if (ridge !== null) normal = make_ridge_matvec(normal, ridge);
    return cg(normal, rmatvec(b), init, cgOpts);
  };
}

/**
 * Solves A x = b by materializing A (or by a Neumann series with ns: true). A scalar b
 * gives b / A.
 */
export function solve_inv(opts: { ridge?: number | null; ns?: boolean; maxiter?: number | null; alpha?: number | null } = {}): LinearSolver {
  checkKeys('solve_inv', opts, ['ridge', 'ns', 'maxiter', 'alpha']);
  const { ridge = null, ns: useNs = false, maxiter = null, alpha = null } = opts;
  return (mv, b) => {
    const matvec = ridge !== null ? make_ridge_matvec(mv, ridge) : mv;
    const leaves = tree_leaves(b) as Tensor[];
    if (leaves.length === 1 && leaves[0].dim() === 0) {
      const a = torch.no_grad(() => matvec(tree_map(() => torch.ones_like(leaves[0]), b)));
      return tree_truediv(b, a);
    }
    if (useNs) return ns(matvec, b, maxiter, { alpha });
    const { A, ravel, unravel } = materialize_matvec(matvec, b);
    return unravel(torch.linalg.solve(A, ravel(b)));
  };
}
