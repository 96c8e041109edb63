// torchopt.schedule
export { polynomial_schedule, linear_schedule } from './polynomial';
export { exponential_decay } from './exponential_decay';
