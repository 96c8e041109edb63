// chain: compose transformations; chain_flat (= chain.flat): flatten params and updates
// once per update and run the members on flat lists (TorchOpt's default for aliases).
import { NONE_IS_LEAF, tree_flatten, tree_leaves } from '../pytree';
import { ChainedGradientTransformation, GradientTransformation, identity } from './base';
import { checkKeys, UPDATE_KEYS } from './kwargs';
import { isTensorList } from './update';

function chainImpl(...transformations: GradientTransformation[]): GradientTransformation {
  if (transformations.length === 0) return identity();
  if (transformations.length === 1) return transformations[0];
  return new ChainedGradientTransformation(...transformations);
}

export function chain_flat(...transformations: GradientTransformation[]): GradientTransformation {
  if (transformations.length === 0) return identity();
  const inner = chainImpl(...transformations);
  const t = new GradientTransformation(
    (params) => inner.init(tree_leaves(params, NONE_IS_LEAF)),
    (updates, state, opts) => {
      checkKeys('update', opts, UPDATE_KEYS);
      // A list of tensors (what the optimizers pass) is its own leaves: no treespec.
      const [flatUpdates, spec] = isTensorList(updates) ? [updates.slice(), null] : tree_flatten(updates, NONE_IS_LEAF);
      const params = opts?.params;
      const flatParams = params === undefined || params === null ? null : isTensorList(params) ? params.slice() : tree_leaves(params, NONE_IS_LEAF);
      const [newFlat, newState] = inner.update(flatUpdates, state, { params: flatParams, inplace: opts?.inplace ?? true });
      return [spec === null ? Array.from(newFlat as unknown[]) : spec.unflatten(newFlat), newState];
    },
  );
  t.applyFused = inner.applyFused; // see ChainedGradientTransformation
  return t;
}

/** chain(...transformations), with chain.flat = chain_flat. */
export const chain = Object.assign(chainImpl, { flat: chain_flat });
