// Random numbers: the default CPU generator (same stream as Python's after
// manual_seed), explicit Generator objects, random factories and in-place samplers.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/utils.h>

#include "ops/common.h"

namespace ton {

// A Generator handle: an external over a box holding an at::Generator.
using GenBox = ExternalBox<at::Generator, 0x6e47e11du>;
using Gen = ton::optional<at::Generator>;

template <>
struct Arg<at::Generator> {
  static const at::Generator& Get(napi_env env, napi_value v, int i) { return GenBox::Get(env, v, i, "a Generator"); }
};

namespace {

// The generator given, else the default CPU generator (Python's generator=None).
at::Generator OrDefault(const Gen& g) { return g ? *g : at::detail::getDefaultCPUGenerator(); }

napi_value NewGenerator(napi_env env, napi_callback_info info) {
  return Guard<1>(env, info, "Generator", [&](napi_value* argv) -> napi_value {
    auto dev = Arg<Dev>::Get(env, argv[0], 0);
    if (dev && !dev->is_cpu()) ThrowType("Generator(): only CPU generators can be created; use the default CUDA generator");
    return GenBox::Wrap(env, at::make_generator<at::CPUGeneratorImpl>());
  });
}

// Runs f with the generator's lock held (as ATen's samplers expect of callers that
// touch generator state).
template <typename F>
auto Locked(at::Generator& g, F f) {
  std::lock_guard<std::mutex> lock(g.mutex());
  return f();
}

Register reg{
    TON_FN(generator_new, NewGenerator),
    TON_OP(manual_seed, [](double seed) { torch::manual_seed(static_cast<uint64_t>(static_cast<int64_t>(seed))); }),
    TON_OP(generator_manual_seed, [](Gen g, double seed) {
      at::Generator gen = OrDefault(g);
      Locked(gen, [&] { gen.set_current_seed(static_cast<uint64_t>(static_cast<int64_t>(seed))); return 0; });
    }),
    // Exact 64-bit seeds (BigInt), e.g. the seed RandomSampler draws with random_().
    TON_OP(manual_seed_i64, [](int64_t seed) { torch::manual_seed(static_cast<uint64_t>(seed)); }),
    TON_OP(generator_manual_seed_i64, [](Gen g, int64_t seed) {
      at::Generator gen = OrDefault(g);
      Locked(gen, [&] { gen.set_current_seed(static_cast<uint64_t>(seed)); return 0; });
    }),
    TON_OP(generator_seed, [](Gen g) {
      at::Generator gen = OrDefault(g);
      return static_cast<double>(Locked(gen, [&] { return gen.seed(); }));
    }),
    TON_OP(generator_initial_seed, [](Gen g) {
      at::Generator gen = OrDefault(g);
      return static_cast<double>(gen.current_seed());
    }),
    TON_OP(generator_get_state, [](Gen g) {
      at::Generator gen = OrDefault(g);
      return Locked(gen, [&] { return gen.get_state(); });
    }),
    TON_OP(generator_set_state, [](Gen g, const Tensor& state) {
      at::Generator gen = OrDefault(g);
      Locked(gen, [&] { gen.set_state(state); return 0; });
    }),

    TON_OP(rand, [](Ints shape, Gen g, Dtype dt, Dev dev, bool rg) { return Finish(at::rand(shape, g, Options(dt, dev)), rg); }),
    TON_OP(randn, [](Ints shape, Gen g, Dtype dt, Dev dev, bool rg) { return Finish(at::randn(shape, g, Options(dt, dev)), rg); }),
    TON_OP(randint, [](int64_t low, int64_t high, Ints shape, Gen g, Dtype dt, Dev dev, bool rg) {
      return Finish(at::randint(low, high, shape, g, Options(dt.value_or(at::kLong), dev)), rg);
    }),
    TON_OP(randperm, [](int64_t n, Gen g, Dtype dt, Dev dev) { return at::randperm(n, g, Options(dt.value_or(at::kLong), dev)); }),
    TON_OP(normal, [](double mean, double std, Ints shape, Gen g, Dtype dt, Dev dev, bool rg) {
      return Finish(at::normal(mean, std, shape, g, Options(dt, dev)), rg);
    }),
    TON_OP(normal_tensor, [](const Tensor& mean, const Tensor& std, Gen g) { return at::normal(mean, std, g); }),
    TON_OP(normal_tensor_scalar, [](const Tensor& mean, double std, Gen g) { return at::normal(mean, std, g); }),
    TON_OP(normal_scalar_tensor, [](double mean, const Tensor& std, Gen g) { return at::normal(mean, std, g); }),
    TON_OP(bernoulli, [](const Tensor& p, Gen g) { return at::bernoulli(p, g); }),
    TON_OP(bernoulli_p, [](const Tensor& t, double p, Gen g) { return at::bernoulli(t, p, g); }),
    TON_OP(multinomial, [](const Tensor& p, int64_t n, bool replacement, Gen g) { return at::multinomial(p, n, replacement, g); }),
    TON_OP(poisson, [](const Tensor& rate, Gen g) { return at::poisson(rate, g); }),
    TON_OP(standard_gamma, [](const Tensor& alpha, Gen g) { return at::_standard_gamma(alpha, g); }),

    TON_OP(uniform_, [](const Tensor& t, double from, double to, Gen g) { t.uniform_(from, to, g); }),
    TON_OP(normal_, [](const Tensor& t, double mean, double std, Gen g) { t.normal_(mean, std, g); }),
    TON_OP(bernoulli_, [](const Tensor& t, TensorOrScalar p, Gen g) {
      if (p.is_tensor()) t.bernoulli_(*p.tensor, g); else t.bernoulli_(p.scalar.toDouble(), g);
    }),
    TON_OP(random_, [](const Tensor& t, int64_t from, ton::optional<int64_t> to, Gen g) { t.random_(from, to, g); }),
    TON_OP(exponential_, [](const Tensor& t, double lambd, Gen g) { t.exponential_(lambd, g); }),
    TON_OP(geometric_, [](const Tensor& t, double p, Gen g) { t.geometric_(p, g); }),
    TON_OP(cauchy_, [](const Tensor& t, double median, double sigma, Gen g) { t.cauchy_(median, sigma, g); }),
    TON_OP(log_normal_, [](const Tensor& t, double mean, double std, Gen g) { t.log_normal_(mean, std, g); }),
};

}  // namespace
}  // namespace ton
