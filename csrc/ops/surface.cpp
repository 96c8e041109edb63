// Odds and ends of the torch surface used by ports: deterministic-algorithm switches,
// cholesky_inverse (MultivariateNormal.precision_matrix), view introspection.
#include "ops/common.h"

namespace ton {
namespace {

Register reg{
    TON_OP(use_deterministic_algorithms, [](bool mode, bool warn_only) {
      at::globalContext().setDeterministicAlgorithms(mode, warn_only);
    }),
    TON_OP(are_deterministic_algorithms_enabled, []() { return at::globalContext().deterministicAlgorithms(); }),
    TON_OP(is_deterministic_algorithms_warn_only_enabled, []() { return at::globalContext().deterministicAlgorithmsWarnOnly(); }),
    TON_OP(cholesky_inverse, [](const Tensor& l, bool upper) { return at::cholesky_inverse(l, upper); }),
    // Tensor._base (views' edges in graph drawings; is_view is in tensor.cpp).
    TON_OP(view_base, [](const Tensor& t) -> ton::optional<Tensor> {
      if (!t.is_view()) return ton::nullopt;
      return Tensor(t._base());
    }),
};

}  // namespace
}  // namespace ton
