// torch.distributions.kl: kl_divergence for the pairs the port implements.
import { Tensor } from '../tensor';
import { Distribution } from './distribution';
import { Normal } from './normal';
import { Bernoulli } from './bernoulli';
import { Categorical } from './categorical';
import { Uniform } from './uniform';
import { softplus } from '../nn/functional';

type KLFn = (p: Distribution, q: Distribution) => Tensor;
const registry: [Function, Function, KLFn][] = [];

/** Python's @register_kl(type_p, type_q) as a function call. */
export function register_kl(type_p: Function, type_q: Function, fn: KLFn): void {
  registry.unshift([type_p, type_q, fn]);
}

/** KL(p || q), batched over the batch shape. */
export function kl_divergence(p: Distribution, q: Distribution): Tensor {
  for (const [tp, tq, fn] of registry) if (p instanceof tp && q instanceof tq) return fn(p, q);
  throw new Error(`No KL(p || q) is implemented for p type ${p.constructor.name} and q type ${q.constructor.name}`);
}

register_kl(Normal, Normal, (p0, q0) => {
  const p = p0 as Normal;
  const q = q0 as Normal;
  const varRatio = p.scale.div(q.scale).pow(2);
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
  return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5);
});
register_kl(Bernoulli, Bernoulli, (p0, q0) => {
  const p = p0 as Bernoulli;
  const q = q0 as Bernoulli;
  const t1 = p.probs.mul(softplus(q.logits.neg()).sub(softplus(p.logits.neg())));
  t1.set(q.probs.eq(0), Infinity);
  t1.set(p.probs.eq(0), 0);
  const t2 = p.probs.rsub(1).mul(softplus(q.logits).sub(softplus(p.logits)));
  t2.set(q.probs.eq(1), Infinity);
  t2.set(p.probs.eq(1), 0);
  return t1.add(t2);
});
register_kl(Categorical, Categorical, (p0, q0) => {
  const p = p0 as Categorical;
  const q = q0 as Categorical;
  const t = p.probs.mul(p.logits.sub(q.logits));
  t.set(q.probs.eq(0).expand_as(t), Infinity);
  t.set(p.probs.eq(0).expand_as(t), 0);
  return t.sum(-1);
});
register_kl(Uniform, Uniform, (p0, q0) => {
  const p = p0 as Uniform;
  const q = q0 as Uniform;
  const result = q.high.sub(q.low).div(p.high.sub(p.low)).log();
  result.set(q.low.gt(p.low).logical_or(q.high.lt(p.high)), Infinity);
  return result;
});
