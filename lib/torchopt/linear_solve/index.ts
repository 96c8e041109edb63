// torchopt.linear_solve
export { solve_cg, solve_normal_cg, solve_inv } from './solvers';
export type { LinearSolver } from './solvers';
export { make_rmatvec, make_normal_matvec, make_ridge_matvec, materialize_matvec } from './utils';
