// torchopt.linalg
export { cg } from './cg';
export type { CgOpts } from './cg';
export { ns, ns_inv } from './ns';
export { cat_shapes, normalize_matvec } from './utils';
