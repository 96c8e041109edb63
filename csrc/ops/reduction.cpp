// Reductions, scans, products and sorting.
#include "ops/common.h"

namespace ton {
namespace {

Register reg{
    // Without dims, the overloads Python calls (SumBackward0, MeanBackward0).
    TON_OP(sum, [](const Tensor& t, OptInts dim, bool keepdim, Dtype dt) {
      return dim ? at::sum(t, Dims(dim), keepdim, dt) : at::sum(t, dt);
    }),
    TON_OP(nansum, [](const Tensor& t, OptInts dim, bool keepdim, Dtype dt) { return at::nansum(t, Dims(dim), keepdim, dt); }),
    TON_OP(mean, [](const Tensor& t, OptInts dim, bool keepdim, Dtype dt) {
      return dim ? at::mean(t, Dims(dim), keepdim, dt) : at::mean(t, dt);
    }),
    TON_OP(nanmean, [](const Tensor& t, OptInts dim, bool keepdim, Dtype dt) { return at::nanmean(t, Dims(dim), keepdim, dt); }),
    TON_OP(prod, [](const Tensor& t, ton::optional<int64_t> dim, bool keepdim, Dtype dt) {
      return dim ? at::prod(t, *dim, keepdim, dt) : at::prod(t, dt);
    }),
    TON_OP(max_all, [](const Tensor& t) { return at::max(t); }),
    TON_OP(min_all, [](const Tensor& t) { return at::min(t); }),
    TON_OP(max_dim, [](const Tensor& t, int64_t dim, bool keepdim) { return at::max(t, dim, keepdim); }),
    TON_OP(min_dim, [](const Tensor& t, int64_t dim, bool keepdim) { return at::min(t, dim, keepdim); }),
    TON_OP(amax, [](const Tensor& t, Ints dim, bool keepdim) { return at::amax(t, dim, keepdim); }),
    TON_OP(amin, [](const Tensor& t, Ints dim, bool keepdim) { return at::amin(t, dim, keepdim); }),
    TON_OP(aminmax, [](const Tensor& t, ton::optional<int64_t> dim, bool keepdim) { return at::aminmax(t, dim, keepdim); }),
    TON_OP(argmax, [](const Tensor& t, ton::optional<int64_t> dim, bool keepdim) { return at::argmax(t, dim, keepdim); }),
    TON_OP(argmin, [](const Tensor& t, ton::optional<int64_t> dim, bool keepdim) { return at::argmin(t, dim, keepdim); }),
    TON_OP(vector_norm, [](const Tensor& t, const Scalar& ord, OptInts dim, bool keepdim, Dtype dt) {
      return at::linalg_vector_norm(t, ord, Dims(dim), keepdim, dt);
    }),
    TON_OP(std, [](const Tensor& t, OptInts dim, int64_t correction, bool keepdim) {
      return at::std(t, Dims(dim), ton::optional<int64_t>(correction), keepdim);
    }),
    TON_OP(var, [](const Tensor& t, OptInts dim, int64_t correction, bool keepdim) {
      return at::var(t, Dims(dim), ton::optional<int64_t>(correction), keepdim);
    }),
    TON_OP(std_mean, [](const Tensor& t, OptInts dim, int64_t correction, bool keepdim) {
      return at::std_mean(t, Dims(dim), ton::optional<int64_t>(correction), keepdim);
    }),
    TON_OP(var_mean, [](const Tensor& t, OptInts dim, int64_t correction, bool keepdim) {
      return at::var_mean(t, Dims(dim), ton::optional<int64_t>(correction), keepdim);
    }),
    TON_OP(logsumexp, [](const Tensor& t, Ints dim, bool keepdim) { return at::logsumexp(t, dim, keepdim); }),
    TON_OP(all, [](const Tensor& t, ton::optional<int64_t> dim, bool keepdim) { return dim ? at::all(t, *dim, keepdim) : at::all(t); }),
    TON_OP(any, [](const Tensor& t, ton::optional<int64_t> dim, bool keepdim) { return dim ? at::any(t, *dim, keepdim) : at::any(t); }),
    TON_OP(count_nonzero, [](const Tensor& t, OptInts dim) {
      return dim ? at::count_nonzero(t, at::IntArrayRef(*dim)) : at::count_nonzero(t);
    }),
    TON_OP(median, [](const Tensor& t) { return at::median(t); }),
    TON_OP(median_dim, [](const Tensor& t, int64_t dim, bool keepdim) { return at::median(t, dim, keepdim); }),
    TON_OP(cumsum, [](const Tensor& t, int64_t dim, Dtype dt) { return at::cumsum(t, dim, dt); }),
    TON_OP(cumprod, [](const Tensor& t, int64_t dim, Dtype dt) { return at::cumprod(t, dim, dt); }),
    TON_OP(cummax, [](const Tensor& t, int64_t dim) { return at::cummax(t, dim); }),
    TON_OP(cummin, [](const Tensor& t, int64_t dim) { return at::cummin(t, dim); }),
    TON_OP(logcumsumexp, [](const Tensor& t, int64_t dim) { return at::logcumsumexp(t, dim); }),
    TON_OP(sort, [](const Tensor& t, int64_t dim, bool descending, bool stable) {
      return at::sort(t, ton::optional<bool>(stable), dim, descending);
    }),
    TON_OP(argsort, [](const Tensor& t, int64_t dim, bool descending) { return at::argsort(t, dim, descending); }),
    TON_OP(topk, [](const Tensor& t, int64_t k, int64_t dim, bool largest, bool sorted) { return at::topk(t, k, dim, largest, sorted); }),
    TON_OP(kthvalue, [](const Tensor& t, int64_t k, int64_t dim, bool keepdim) { return at::kthvalue(t, k, dim, keepdim); }),
    TON_OP(unique, [](const Tensor& t, bool sorted, bool return_inverse, bool return_counts) {
      return at::_unique2(t, sorted, return_inverse, return_counts);
    }),
    TON_OP(nonzero, [](const Tensor& t) { return at::nonzero(t); }),
    TON_OP(bincount, [](const Tensor& t, OptTensor w, int64_t minlength) { return at::bincount(t, w, minlength); }),
    TON_OP(histc, [](const Tensor& t, int64_t bins, const Scalar& lo, const Scalar& hi) { return at::histc(t, bins, lo, hi); }),

    // products
    TON_OP(dot, [](const Tensor& self, const Tensor& other) { return at::dot(self, other); }),
    TON_OP(vdot, [](const Tensor& self, const Tensor& other) { return at::vdot(self, other); }),
    TON_OP(matmul, [](const Tensor& self, const Tensor& other) { return at::matmul(self, other); }),
    TON_OP(mm, [](const Tensor& self, const Tensor& other) { return at::mm(self, other); }),
    TON_OP(bmm, [](const Tensor& self, const Tensor& other) { return at::bmm(self, other); }),
    TON_OP(mv, [](const Tensor& self, const Tensor& other) { return at::mv(self, other); }),
    TON_OP(outer, [](const Tensor& self, const Tensor& other) { return at::outer(self, other); }),
    TON_OP(addmm, [](const Tensor& t, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha) {
      return at::addmm(t, a, b, beta, alpha);
    }),
    TON_OP(baddbmm, [](const Tensor& t, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha) {
      return at::baddbmm(t, a, b, beta, alpha);
    }),
    TON_OP(einsum, [](std::string eq, std::vector<Tensor> ts) { return at::einsum(eq, ts); }),
    TON_OP(tensordot, [](const Tensor& a, const Tensor& b, Ints da, Ints db) { return at::tensordot(a, b, da, db); }),
    TON_OP(kron, [](const Tensor& self, const Tensor& other) { return at::kron(self, other); }),
    TON_OP(cross, [](const Tensor& a, const Tensor& b, int64_t dim) { return at::linalg_cross(a, b, dim); }),
    TON_OP(cdist, [](const Tensor& a, const Tensor& b, double p) { return at::cdist(a, b, p); }),
    TON_OP(trace, [](const Tensor& t) { return at::trace(t); }),
};

}  // namespace
}  // namespace ton
