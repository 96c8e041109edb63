// Helpers for the solvers: shapes of trees, matrices as matvecs, raveling trees.
import { tree_flatten, tree_leaves, tree_unflatten, TreeSpec } from '../../pytree';
import * as torch from '../../torch';
import { Tensor } from '../../torch';
import { TensorTree } from '../typing';

export type MatVec = (x: TensorTree) => TensorTree;

export function cat_shapes(tree: TensorTree): number[] {
  return (tree_leaves(tree) as Tensor[]).flatMap((t) => t.shape);
}

/** A matrix tree (square 2-D leaves) as a matvec applying each to the matching leaf. */
export function normalize_matvec(matvec: TensorTree | MatVec): MatVec {
  if (typeof matvec === 'function') return matvec as MatVec;
  const [mats, spec] = tree_flatten(matvec);
  for (const m of mats as Tensor[]) {
    if (!(m instanceof Tensor) || m.dim() !== 2 || m.size(0) !== m.size(1)) {
      throw new TypeError(`Linear operator must be a square matrix, but has shape: [${m instanceof Tensor ? m.shape : typeof m}]`);
    }
  }
  return (x: TensorTree) => {
    const xs = tree_leaves(x) as Tensor[];
    if (xs.length !== mats.length) {
      throw new RangeError(`\`x\` must have the same number of leaves as \`matvec\`, but has ${xs.length} leaves and \`matvec\` has ${mats.length} leaves`);
    }
    return tree_unflatten(spec, xs.map((xi, i) => (mats[i] as Tensor).matmul(xi)));
  };
}

/** Flattens a tree of tensors into one vector and back. */
export function raveler(example: TensorTree): { ravel: (x: TensorTree) => Tensor; unravel: (v: Tensor) => TensorTree; size: number; spec: TreeSpec } {
  const [leaves, spec] = tree_flatten(example);
  const shapes = (leaves as Tensor[]).map((t) => t.shape);
  const sizes = (leaves as Tensor[]).map((t) => t.numel());
  const size = sizes.reduce((a, b) => a + b, 0);
  return {
    spec,
    size,
    ravel: (x) => torch.cat((tree_leaves(x) as Tensor[]).map((t) => t.reshape(-1))),
    unravel: (v) => {
      const parts: Tensor[] = [];
      let off = 0;
      sizes.forEach((n, i) => {
        parts.push(v.narrow(0, off, n).reshape(shapes[i]));
        off += n;
      });
      return tree_unflatten(spec, parts);
    },
  };
}
