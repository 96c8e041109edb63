export { FuncOptimizer } from './base';
