/**
 * Pytrees: a TypeScript port of OpTree (Python `optree` 0.11), the layer TorchOpt uses for every
 * tree of tensors (params, updates, optimizer states). It knows nothing of tensors: any value that
 * is not a node (array, plain object, Map, null/undefined, namedtuple, registered class) is a leaf.
 * See docs/pytree.md.
 */

export {
  PyTreeOptions,
  treeOptions,
  NONE_IS_LEAF,
  NONE_IS_NODE,
  isPyTreeOptions,
  type PyTreeOptionsInit,
  type IsLeafFn,
  type TreeOptionsArg,
} from './options';

export {
  namedtuple,
  is_namedtuple,
  is_namedtuple_class,
  is_namedtuple_instance,
  namedtuple_fields,
  NAMEDTUPLE_FIELDS,
  type NamedTuple,
  type NamedTupleClass,
  type NamedTupleMethods,
  type NamedTupleOptions,
} from './namedtuple';

export {
  register_pytree_node,
  register_pytree_node_class,
  unregister_pytree_node,
  lookup_registration,
  GLOBAL_NAMESPACE,
  PyTreeKind,
  PyTreeNodeRegistryEntry,
  type FlattenFunc,
  type UnflattenFunc,
  type FlattenResult,
  type CustomTreeNodeClass,
  type RegistryNamespace,
} from './registry';

export { TreeSpec, TreeSpec as PyTreeSpec, MAX_RECURSION_DEPTH } from './treespec';

export {
  tree_flatten,
  tree_flatten_as_tuple,
  tree_flatten_with_path,
  tree_unflatten,
  tree_leaves,
  tree_iter,
  tree_structure,
  tree_paths,
  tree_is_leaf,
  all_leaves,
  tree_map,
  tree_map_,
  tree_map_with_path,
  tree_map_with_path_,
  tree_replace_nones,
  tree_transpose,
  broadcast_prefix,
  tree_broadcast_prefix,
  tree_reduce,
  tree_all,
  tree_any,
  tree_flatten_one_level,
  type Path,
} from './ops';

export {
  treespec_leaf,
  treespec_none,
  treespec_undefined,
  treespec_tuple,
  treespec_list,
  treespec_array,
  treespec_dict,
  treespec_ordereddict,
  treespec_map,
  treespec_namedtuple,
  treespec_from_collection,
  treespec_paths,
  treespec_entries,
  treespec_entry,
  treespec_children,
  treespec_child,
  treespec_is_leaf,
  treespec_is_strict_leaf,
  treespec_is_prefix,
  treespec_is_suffix,
} from './constructors';

export type { PyTree, LeafOf, LeafArg, MapLeaves, PyTreeLeafTypes, RegisteredLeaf } from './types';
