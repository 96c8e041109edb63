// Matvec builders for the linear solvers.
import { tree_leaves, tree_structure } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { tree_add_scalar_mul } from '../pytree';
import { MatVec, raveler } from '../linalg/utils';
import { TensorTree } from '../typing';

/** The vector-Jacobian product y -> A^T y of a linear matvec, at any point. */
export function vjpOf(matvec: MatVec, example: TensorTree): (y: TensorTree) => TensorTree {
  const spec = tree_structure(example);
  return (y: TensorTree) =>
    torch.enable_grad(() => {
      const xs = (tree_leaves(example) as Tensor[]).map((t) => torch.zeros_like(t).requires_grad_(true));
      const out = matvec(spec.unflatten(xs));
      const outs = tree_leaves(out) as Tensor[];
      const gs = torch.autograd.grad(outs, xs, { grad_outputs: tree_leaves(y) as Tensor[], allow_unused: true });
      return spec.unflatten(gs.map((g, i) => g ?? torch.zeros_like(xs[i])));
    });
}

export function make_rmatvec(matvec: MatVec, example_x: TensorTree): MatVec {
  return vjpOf(matvec, example_x);
}

/** y -> A^T A y. */
export function make_normal_matvec(matvec: MatVec): MatVec {
  return (y: TensorTree) => vjpOf(matvec, y)(matvec(y));
}

/** y -> A y + ridge * y. */
export function make_ridge_matvec(matvec: MatVec, ridge = 0.0): MatVec {
  return (y: TensorTree) => tree_add_scalar_mul(matvec(y), y, ridge);
}

/**
 * The full matrix of a linear matvec on trees shaped like x (all leaves raveled and
 * concatenated), built column by column. TorchOpt keeps only the diagonal blocks (one
 * per leaf), which ignores coupling between leaves; we keep the whole matrix.
 */
export function materialize_matvec(matvec: MatVec, x: TensorTree): { A: Tensor; ravel: (t: TensorTree) => Tensor; unravel: (v: Tensor) => TensorTree } {
  const { ravel, unravel, size } = raveler(x);
  const first = (tree_leaves(x) as Tensor[])[0];
  const cols: Tensor[] = [];
  torch.no_grad(() => {
    for (let j = 0; j < size; j++) {
      const e = torch.zeros(size, { dtype: first.dtype, device: first.device });
      e.set(j, 1);
      cols.push(ravel(matvec(unravel(e))));
    }
  });
  return { A: torch.stack(cols, 1), ravel, unravel };
}
