// torch.distributions against Python torch 1.13: seeded samples (the same generator draws
// in the same order), rsample gradients, log_prob, entropy, cdf/icdf, moments, shapes,
// argument and support validation with Python's messages, and kl_divergence.
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const D = require('./fixtures/torch_surface.json').distributions;
const dist = torch.distributions;
const t = (x: unknown) => torch.tensor(x as number[]);

describe('Normal', () => {
  const loc = t([0.0, 1.0, -2.0]);
  const scale = t([1.0, 0.5, 2.0]);
  const n = new dist.Normal(loc, scale);
  test('seeded sample and rsample follow the Python stream', () => {
    torch.manual_seed(20);
    expectClose(n.sample([2]), D.normal_sample, 0, 0);
    expectClose(n.rsample([2]), D.normal_rsample, 0, 0);
    expectClose(torch.rand(2), D.normal_sample_after, 0, 0);
    torch.manual_seed(21);
    const ns = new dist.Normal(0, 1);
    expectClose(ns.sample(), D.normal_scalar[0], 0, 0);
    expectClose(ns.sample([3]), D.normal_scalar[1], 0, 0);
    expect(ns.batch_shape).toEqual(D.normal_scalar[2]);
    expect(ns.sample([2, 2]).shape).toEqual(D.normal_scalar[3]);
    expect(n.sample().requires_grad).toBe(false);
  });
  test('log_prob, entropy, cdf, icdf, moments, repr', () => {
    const v = t([0.5, 0.0, -1.0]);
    expectClose(n.log_prob(v), D.normal_log_prob, 1e-6, 1e-6);
    expectClose(n.entropy(), D.normal_entropy, 1e-6, 1e-6);
    expectClose(n.cdf(v), D.normal_cdf, 1e-6, 1e-6);
    expectClose(n.icdf(t([0.1, 0.5, 0.9])), D.normal_icdf, 1e-6, 1e-6);
    expectClose(n.mean, D.normal_stats[0], 0, 0);
    expectClose(n.stddev, D.normal_stats[1], 0, 0);
    expectClose(n.variance, D.normal_stats[2], 0, 0);
    expect(String(n)).toBe(D.normal_repr);
    expect(String(new dist.Normal(0, 1))).toBe(D.normal_scalar_repr);
    expect(n.batch_shape).toEqual([3]);
    expect(n.event_shape).toEqual([]);
  });
  test('rsample is differentiable with respect to loc and scale', () => {
    const l = loc.clone().requires_grad_();
    const s = scale.clone().requires_grad_();
    torch.manual_seed(22);
    const x = new dist.Normal(l, s).rsample([4]);
    x.pow(2).sum().backward();
    expectClose(x, D.normal_rsample_grads[0], 1e-6, 1e-6);
    expectClose(l.grad!, D.normal_rsample_grads[1], 1e-5, 1e-5);
    expectClose(s.grad!, D.normal_rsample_grads[2], 1e-5, 1e-5);
  });
  test('validation errors carry Python messages', () => {
    expectThrow(() => new dist.Normal(0, -1), 'RangeError', D.normal_err_scale[1]);
    expect(() => new dist.Normal(torch.zeros(2), t([1.0, -1.0]))).toThrow(D.normal_err_vec[1]);
    expect(() => n.log_prob(torch.zeros(2))).toThrow(D.normal_err_shape[1]);
    expect(() => n.log_prob(0.5 as unknown as Tensor)).toThrow(D.normal_err_nontensor[1]);
    expect(() => new dist.Normal(0, -1, { validate_args: false })).not.toThrow();
  });
});

describe('Bernoulli', () => {
  const p = t([0.2, 0.7, 0.5]);
  const bern = new dist.Bernoulli(p);
  test('seeded samples, log_prob, entropy, logits, moments, enumerate_support', () => {
    torch.manual_seed(23);
    expectClose(bern.sample([4]), D.bern_sample, 0, 0);
    const v = t([1.0, 0.0, 1.0]);
    expectClose(bern.log_prob(v), D.bern_log_prob, 1e-6, 1e-6);
    expectClose(bern.entropy(), D.bern_entropy, 1e-6, 1e-6);
    expectClose(bern.logits, D.bern_logits, 1e-6, 1e-6);
    expectClose(bern.mean, D.bern_stats[0], 0, 0);
    expectClose(bern.variance, D.bern_stats[1], 1e-7, 1e-7);
    expectClose(bern.enumerate_support(), D.bern_enum, 0, 0);
    const bl = new dist.Bernoulli({ logits: t([-1.0, 0.0, 2.0]) });
    expectClose(bl.probs, D.bern_from_logits[0], 1e-6, 1e-6);
    expectClose(bl.log_prob(v), D.bern_from_logits[1], 1e-6, 1e-6);
    expectClose(bl.entropy(), D.bern_from_logits[2], 1e-6, 1e-6);
  });
  test('validation', () => {
    expectThrow(() => new dist.Bernoulli({ probs: 0.5, logits: 0.0 }), 'RangeError', D.bern_err_both[1]);
    expect(() => new dist.Bernoulli(t([1.5]))).toThrow(D.bern_err_probs[1]);
    expect(() => new dist.Bernoulli(0.3).log_prob(torch.tensor(2.0))).toThrow(D.bern_err_support[1]);
  });
});

describe('Categorical', () => {
  const cp = t([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]);
  const cat = new dist.Categorical(cp);
  test('seeded samples (multinomial order), log_prob with broadcasting, entropy, shapes', () => {
    torch.manual_seed(24);
    // The fixtures come from Python torch 1.13.1, this machine's; libtorch 2 draws
    // multinomial samples differently, so there only their shape and support are checked.
    const s6 = cat.sample([6]);
    const s1 = new dist.Categorical(t([0.3, 0.3, 0.4])).sample();
    if (torch.libtorch_version.startsWith('1.13.')) {
      expect(s6.tolist()).toEqual(D.cat_sample);
      expect(s1.tolist()).toEqual(D.cat_sample_scalar);
    } else {
      expect([s6.shape, s1.shape]).toEqual([[6, 2], []]);
      expect(s6.ge(0).all().item() && s6.lt(3).all().item() && s1.ge(0).item() && s1.lt(3).item()).toBe(true);
    }
    const cv = torch.tensor([2, 0], { dtype: torch.int64 });
    expectClose(cat.log_prob(cv), D.cat_log_prob, 1e-6, 1e-6);
    expectClose(cat.log_prob(torch.tensor([[0], [1], [2]], { dtype: torch.int64 })), D.cat_log_prob_bcast, 1e-6, 1e-6);
    expectClose(cat.entropy(), D.cat_entropy, 1e-6, 1e-6);
    expectClose(cat.logits, D.cat_logits, 1e-6, 1e-6);
    expect([cat.batch_shape, cat.event_shape, cat.param_shape]).toEqual(D.cat_shapes);
    expect(cat.mode.tolist()).toEqual(D.cat_mode);
    const cl = new dist.Categorical({ logits: t([1.0, 2.0, 0.5, -1.0]) });
    expectClose(cl.probs, D.cat_from_logits[0], 1e-6, 1e-6);
    expectClose(cl.log_prob(torch.tensor(1n)), D.cat_from_logits[1], 1e-6, 1e-6);
    expectClose(cl.entropy(), D.cat_from_logits[2], 1e-6, 1e-6);
    expectClose(cl.logits, D.cat_from_logits[3], 1e-6, 1e-6);
    expectClose(new dist.Categorical(t([1.0, 3.0])).probs, D.cat_unnormalized, 0, 0);
  });
  test('validation', () => {
    expect(() => cat.log_prob(torch.tensor([3, 0], { dtype: torch.int64 }))).toThrow(D.cat_err_support[1]);
    expectThrow(() => new dist.Categorical(torch.tensor(0.5)), 'RangeError', D.cat_err_dim[1]);
  });
});

describe('Uniform', () => {
  const uni = new dist.Uniform(t([0.0, -1.0]), t([1.0, 3.0]));
  test('seeded sample/rsample, log_prob (outside support is -inf without validation), entropy, moments', () => {
    torch.manual_seed(25);
    expectClose(uni.sample([3]), D.uni_sample, 0, 0);
    expectClose(uni.rsample(), D.uni_rsample, 0, 0);
    expectClose(uni.log_prob(t([0.5, 2.0])), D.uni_log_prob, 1e-6, 1e-6);
    expectClose(uni.entropy(), D.uni_entropy, 1e-6, 1e-6);
    expectClose(uni.mean, D.uni_stats[0], 1e-7, 1e-7);
    expectClose(uni.stddev, D.uni_stats[1], 1e-7, 1e-7);
    expectClose(uni.variance, D.uni_stats[2], 1e-7, 1e-7);
    const loose = new dist.Uniform(0, 1, { validate_args: false });
    expect(loose.log_prob(torch.tensor(2.0)).item()).toBe(-Infinity);
  });
  test('validation', () => {
    expectThrow(() => new dist.Uniform(1.0, 0.0), 'RangeError', D.uni_err[1]);
    expect(() => uni.log_prob(t([1.5, 0.0]))).toThrow(D.uni_err_support[1]);
  });
});

describe('MultivariateNormal', () => {
  const mloc = t([1.0, -1.0]);
  const cov = t([[2.0, 0.5], [0.5, 1.0]]);
  const mval = t([[0.0, 0.0], [1.0, -1.0], [2.0, 1.0]]);
  test('covariance, scale_tril and precision parametrisations agree with Python', () => {
    const mvn = new dist.MultivariateNormal(mloc, { covariance_matrix: cov });
    torch.manual_seed(26);
    expectClose(mvn.sample([3]), D.mvn_sample, 1e-6, 1e-6);
    expectClose(mvn.log_prob(mval), D.mvn_log_prob, 1e-5, 1e-5);
    expectClose(mvn.entropy(), D.mvn_entropy, 1e-6, 1e-6);
    expectClose(mvn.scale_tril, D.mvn_scale_tril, 1e-6, 1e-6);
    expectClose(mvn.precision_matrix, D.mvn_precision, 1e-5, 1e-5);
    expectClose(mvn.variance, D.mvn_variance, 1e-6, 1e-6);
    const mvn2 = new dist.MultivariateNormal(torch.zeros(3, 2), { scale_tril: t([[1.0, 0.0], [0.3, 0.7]]) });
    expectClose(mvn2.log_prob(mval), D.mvn_batch_log_prob, 1e-5, 1e-5);
    expect([mvn2.batch_shape, mvn2.event_shape]).toEqual(D.mvn_batch_shapes);
    const mvn3 = new dist.MultivariateNormal(mloc, { precision_matrix: torch.linalg.inv(cov) });
    expectClose(mvn3.log_prob(mval), D.mvn_prec_log_prob, 1e-5, 1e-5);
    expect(() => new dist.MultivariateNormal(mloc, { covariance_matrix: t([[1.0, 2.0], [2.0, 1.0]]) })).toThrow(D.mvn_err[1]);
    expectThrow(() => new dist.MultivariateNormal(mloc, {}), 'RangeError', /Exactly one of/);
  });
});

describe('kl_divergence', () => {
  test('Normal, Categorical, Bernoulli pairs', () => {
    const n = new dist.Normal(t([0.0, 1.0, -2.0]), t([1.0, 0.5, 2.0]));
    expectClose(dist.kl_divergence(n, new dist.Normal(torch.zeros(3), torch.ones(3))), D.kl_normal, 1e-6, 1e-6);
    const cat = new dist.Categorical(t([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]));
    expectClose(dist.kl_divergence(cat, new dist.Categorical(t([[0.3, 0.3, 0.4], [0.2, 0.2, 0.6]]))), D.kl_cat, 1e-6, 1e-6);
    const bern = new dist.Bernoulli(t([0.2, 0.7, 0.5]));
    expectClose(dist.kl_divergence(bern, new dist.Bernoulli(t([0.5, 0.5, 0.1]))), D.kl_bern, 1e-6, 1e-6);
    expectThrow(() => dist.kl_divergence(n, cat), 'Error', /No KL\(p \|\| q\) is implemented/);
  });
});

test('distribution options: a misspelt key is a TypeError naming it', () => {
  expectThrow(() => new dist.Categorical({ prob: t([0.2, 0.8]) } as never), 'TypeError', "Categorical() got an unexpected keyword argument 'prob'");
  expectThrow(() => new dist.Bernoulli({ prob: 0.3 } as never), 'TypeError', "Bernoulli() got an unexpected keyword argument 'prob'");
  expectThrow(() => new dist.Normal(0, 1, { validate_arg: true } as never), 'TypeError', "Normal() got an unexpected keyword argument 'validate_arg'");
  expect(new dist.Normal(0, 1, { validate_args: true }).mean.item()).toBe(0);
});
