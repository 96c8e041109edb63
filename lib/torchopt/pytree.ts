// torchopt.pytree: the pytree layer plus TorchOpt's tensor arithmetic on trees.
import { tree_leaves, tree_map, tree_flatten } from '../pytree';
import { Tensor } from '../torch';

export * from '../pytree';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Tree = any;

function map(fn: (...xs: Tensor[]) => Tensor, trees: Tree[]): Tree {
  return (tree_map as (f: unknown, t: unknown, ...r: unknown[]) => unknown)(fn, trees[0], ...trees.slice(1));
}

export function tree_pos(tree: Tree): Tree {
  return tree_map((x: Tensor) => x, tree);
}
export function tree_neg(tree: Tree): Tree {
  return tree_map((x: Tensor) => x.neg(), tree);
}
/** Sum of trees, leafwise. */
export function tree_add(...trees: Tree[]): Tree {
  return map((...xs) => xs.reduce((a, b) => a.add(b)), trees);
}
/** x + alpha * y (alpha = 1 when null). */
export function tree_add_scalar_mul(x: Tree, y: Tree, alpha: number | null = null): Tree {
  return alpha === null ? map((a, b) => a.add(b), [x, y]) : map((a, b) => a.add(b, { alpha }), [x, y]);
}
export function tree_sub(x: Tree, y: Tree): Tree {
  return map((a, b) => a.sub(b), [x, y]);
}
/** x - alpha * y (alpha = 1 when null). */
export function tree_sub_scalar_mul(x: Tree, y: Tree, alpha: number | null = null): Tree {
  return alpha === null ? map((a, b) => a.sub(b), [x, y]) : map((a, b) => a.sub(b, { alpha }), [x, y]);
}
export function tree_mul(...trees: Tree[]): Tree {
  return map((...xs) => xs.reduce((a, b) => a.mul(b)), trees);
}
export function tree_matmul(...trees: Tree[]): Tree {
  return map((...xs) => xs.reduce((a, b) => a.matmul(b)), trees);
}
export function tree_scalar_mul(scalar: number | Tensor, multiplicand: Tree): Tree {
  return tree_map((x: Tensor) => x.mul(scalar), multiplicand);
}
export function tree_truediv(x: Tree, y: Tree): Tree {
  return map((a, b) => a.div(b), [x, y]);
}
/** Σ ⟨x, y⟩ over the leaves, as a number (real parts; tensors are real here). */
export function tree_vdot_real(x: Tree, y: Tree): number {
  const xs = tree_leaves(x) as Tensor[];
  const ys = tree_leaves(y) as Tensor[];
  if (xs.length !== ys.length) throw new RangeError(`tree_vdot_real: trees have ${xs.length} and ${ys.length} leaves`);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i].reshape(-1).dot(ys[i].reshape(-1)).item();
  return s;
}
/** Waits on a tree of promises (Python's tree_wait on futures). */
export async function tree_wait(tree: Tree): Promise<Tree> {
  const [leaves, spec] = tree_flatten(tree);
  const values = await Promise.all(leaves as unknown[]);
  return spec.unflatten(values);
}
