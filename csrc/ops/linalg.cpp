// torch.linalg.
#include "ops/common.h"

namespace ton {
namespace {

Register reg{
    TON_OP(linalg_solve, [](const Tensor& a, const Tensor& b, bool left) { return at::linalg_solve(a, b, left); }),
    TON_OP(linalg_inv, [](const Tensor& a) { return at::linalg_inv(a); }),
    TON_OP(linalg_pinv, [](const Tensor& a, bool hermitian) { return at::linalg_pinv(a, ton::optional<double>(), ton::optional<double>(), hermitian); }),
    TON_OP(linalg_det, [](const Tensor& a) { return at::linalg_det(a); }),
    TON_OP(linalg_slogdet, [](const Tensor& a) { return at::linalg_slogdet(a); }),
    TON_OP(linalg_norm_ord, [](const Tensor& a, const Scalar& ord, OptInts dim, bool keepdim, Dtype dt) {
      return at::linalg_norm(a, ton::optional<Scalar>(ord), Dims(dim), keepdim, dt);
    }),
    TON_OP(linalg_norm_str, [](const Tensor& a, std::string ord, OptInts dim, bool keepdim, Dtype dt) {
      return at::linalg_norm(a, ord, Dims(dim), keepdim, dt);
    }),
    TON_OP(linalg_norm_default, [](const Tensor& a, OptInts dim, bool keepdim, Dtype dt) {
      return at::linalg_norm(a, ton::nullopt, Dims(dim), keepdim, dt);
    }),
    TON_OP(linalg_matrix_norm, [](const Tensor& a, std::string ord, Ints dim, bool keepdim) {
      return at::linalg_matrix_norm(a, ord, dim, keepdim);
    }),
    TON_OP(linalg_matrix_norm_ord, [](const Tensor& a, const Scalar& ord, Ints dim, bool keepdim) {
      return at::linalg_matrix_norm(a, ord, dim, keepdim);
    }),
    TON_OP(linalg_matrix_power, [](const Tensor& a, int64_t n) { return at::linalg_matrix_power(a, n); }),
    TON_OP(linalg_cholesky, [](const Tensor& a, bool upper) { return at::linalg_cholesky(a, upper); }),
    TON_OP(linalg_qr, [](const Tensor& a, std::string mode) { return at::linalg_qr(a, mode); }),
    TON_OP(linalg_eigh, [](const Tensor& a, std::string uplo) { return at::linalg_eigh(a, uplo); }),
    TON_OP(linalg_eigvalsh, [](const Tensor& a, std::string uplo) { return at::linalg_eigvalsh(a, uplo); }),
    TON_OP(linalg_svd, [](const Tensor& a, bool full) { return at::linalg_svd(a, full); }),
    TON_OP(linalg_svdvals, [](const Tensor& a) { return at::linalg_svdvals(a); }),
    TON_OP(linalg_lstsq, [](const Tensor& a, const Tensor& b) { return std::get<0>(at::linalg_lstsq(a, b)); }),
    TON_OP(linalg_matrix_rank, [](const Tensor& a, bool hermitian) { return at::linalg_matrix_rank(a, ton::optional<double>(), ton::optional<double>(), hermitian); }),
    TON_OP(linalg_cond, [](const Tensor& a) { return at::linalg_cond(a); }),
    TON_OP(linalg_matrix_exp, [](const Tensor& a) { return at::linalg_matrix_exp(a); }),
    TON_OP(linalg_solve_triangular, [](const Tensor& a, const Tensor& b, bool upper, bool left, bool unitriangular) {
      return at::linalg_solve_triangular(a, b, upper, left, unitriangular);
    }),
    TON_OP(cholesky_solve, [](const Tensor& b, const Tensor& l, bool upper) { return at::cholesky_solve(b, l, upper); }),
};

}  // namespace
}  // namespace ton
