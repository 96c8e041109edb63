// torch.distributions: Normal, Bernoulli, Categorical, Uniform, MultivariateNormal, with
// Python's sampling order (seeded runs give Python's numbers), validation and shapes.
export { Distribution } from './distribution';
export type { SampleShape } from './distribution';
export { Normal } from './normal';
export { Uniform } from './uniform';
export { Bernoulli } from './bernoulli';
export { Categorical } from './categorical';
export { MultivariateNormal } from './multivariate_normal';
export { kl_divergence, register_kl } from './kl';
export * as constraints from './constraints';
export * as utils from './utils';
export * as kl from './kl';
