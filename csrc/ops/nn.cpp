// torch.nn.functional.
#include "ops/common.h"

namespace ton {
namespace {

int64_t Reduction(const std::string& r) {
  if (r == "mean") return at::Reduction::Mean;
  if (r == "sum") return at::Reduction::Sum;
  if (r == "none") return at::Reduction::None;
  ThrowRange(r + " is not a valid value for reduction (expected 'none', 'mean' or 'sum')");
}

Register reg{
    TON_OP(linear, [](const Tensor& x, const Tensor& w, OptTensor b) { return at::linear(x, w, b); }),
    TON_OP(bilinear, [](const Tensor& x1, const Tensor& x2, const Tensor& w, OptTensor b) { return at::bilinear(x1, x2, w, b); }),
    TON_OP(conv1d, [](const Tensor& x, const Tensor& w, OptTensor b, Ints stride, Ints padding, Ints dilation, int64_t groups) {
      return at::conv1d(x, w, b, stride, padding, dilation, groups);
    }),
    TON_OP(conv2d, [](const Tensor& x, const Tensor& w, OptTensor b, Ints stride, Ints padding, Ints dilation, int64_t groups) {
      return at::conv2d(x, w, b, stride, padding, dilation, groups);
    }),
    TON_OP(conv3d, [](const Tensor& x, const Tensor& w, OptTensor b, Ints stride, Ints padding, Ints dilation, int64_t groups) {
      return at::conv3d(x, w, b, stride, padding, dilation, groups);
    }),
    TON_OP(conv2d_padstr, [](const Tensor& x, const Tensor& w, OptTensor b, Ints stride, std::string padding, Ints dilation, int64_t groups) {
      return at::conv2d(x, w, b, stride, padding, dilation, groups);
    }),
    TON_OP(conv_transpose2d, [](const Tensor& x, const Tensor& w, OptTensor b, Ints stride, Ints padding, Ints output_padding, int64_t groups, Ints dilation) {
      return at::conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation);
    }),
    TON_OP(max_pool1d, [](const Tensor& x, Ints k, Ints stride, Ints padding, Ints dilation, bool ceil_mode) {
      return at::max_pool1d(x, k, stride, padding, dilation, ceil_mode);
    }),
    TON_OP(max_pool2d, [](const Tensor& x, Ints k, Ints stride, Ints padding, Ints dilation, bool ceil_mode) {
      return at::max_pool2d(x, k, stride, padding, dilation, ceil_mode);
    }),
    TON_OP(max_pool2d_with_indices, [](const Tensor& x, Ints k, Ints stride, Ints padding, Ints dilation, bool ceil_mode) {
      return at::max_pool2d_with_indices(x, k, stride, padding, dilation, ceil_mode);
    }),
    TON_OP(avg_pool1d, [](const Tensor& x, Ints k, Ints stride, Ints padding, bool ceil_mode, bool count_include_pad) {
      return at::avg_pool1d(x, k, stride, padding, ceil_mode, count_include_pad);
    }),
    TON_OP(avg_pool2d, [](const Tensor& x, Ints k, Ints stride, Ints padding, bool ceil_mode, bool count_include_pad, ton::optional<int64_t> div) {
      return at::avg_pool2d(x, k, stride, padding, ceil_mode, count_include_pad, div);
    }),
    TON_OP(adaptive_avg_pool1d, [](const Tensor& x, Ints size) { return at::adaptive_avg_pool1d(x, size); }),
    TON_OP(adaptive_avg_pool2d, [](const Tensor& x, Ints size) { return at::adaptive_avg_pool2d(x, size); }),
    TON_OP(adaptive_max_pool2d, [](const Tensor& x, Ints size) { return std::get<0>(at::adaptive_max_pool2d(x, size)); }),
    TON_OP(batch_norm, [](const Tensor& x, OptTensor w, OptTensor b, OptTensor rm, OptTensor rv, bool training, double momentum, double eps) {
      return at::batch_norm(x, w, b, rm, rv, training, momentum, eps, /*cudnn_enabled=*/true);
    }),
    TON_OP(layer_norm, [](const Tensor& x, Ints shape, OptTensor w, OptTensor b, double eps) { return at::layer_norm(x, shape, w, b, eps); }),
    TON_OP(group_norm, [](const Tensor& x, int64_t groups, OptTensor w, OptTensor b, double eps) { return at::group_norm(x, groups, w, b, eps); }),
    TON_OP(instance_norm, [](const Tensor& x, OptTensor w, OptTensor b, OptTensor rm, OptTensor rv, bool use_input_stats, double momentum, double eps) {
      return at::instance_norm(x, w, b, rm, rv, use_input_stats, momentum, eps, true);
    }),
    TON_OP(dropout, [](const Tensor& x, double p, bool train) { return at::dropout(x, p, train); }),
    TON_OP(dropout_, [](const Tensor& x, double p, bool train) { Tensor t = x; at::dropout_(t, p, train); }),
    TON_OP(feature_dropout, [](const Tensor& x, double p, bool train) { return at::feature_dropout(x, p, train); }),
    TON_OP(alpha_dropout, [](const Tensor& x, double p, bool train) { return at::alpha_dropout(x, p, train); }),

    // activations
    TON_OP(relu6, [](const Tensor& x) { return at::hardtanh(x, 0, 6); }),
    TON_OP(leaky_relu, [](const Tensor& x, const Scalar& slope) { return at::leaky_relu(x, slope); }),
    TON_OP(leaky_relu_, [](const Tensor& x, const Scalar& slope) { Tensor t = x; at::leaky_relu_(t, slope); }),
    TON_OP(elu, [](const Tensor& x, const Scalar& alpha) { return at::elu(x, alpha); }),
    TON_OP(selu, [](const Tensor& x) { return at::selu(x); }),
    TON_OP(celu, [](const Tensor& x, const Scalar& alpha) { return at::celu(x, alpha); }),
    TON_OP(gelu, [](const Tensor& x, std::string approximate) { return at::gelu(x, approximate); }),
    TON_OP(silu, [](const Tensor& x) { return at::silu(x); }),
    TON_OP(mish, [](const Tensor& x) { return at::mish(x); }),
    TON_OP(softplus, [](const Tensor& x, const Scalar& beta, const Scalar& threshold) { return at::softplus(x, beta, threshold); }),
    TON_OP(hardtanh, [](const Tensor& x, const Scalar& lo, const Scalar& hi) { return at::hardtanh(x, lo, hi); }),
    TON_OP(hardsigmoid, [](const Tensor& x) { return at::hardsigmoid(x); }),
    TON_OP(hardswish, [](const Tensor& x) { return at::hardswish(x); }),
    TON_OP(logsigmoid, [](const Tensor& x) { return at::log_sigmoid(x); }),
    TON_OP(softshrink, [](const Tensor& x, const Scalar& l) { return at::softshrink(x, l); }),
    TON_OP(hardshrink, [](const Tensor& x, const Scalar& l) { return at::hardshrink(x, l); }),
    TON_OP(threshold, [](const Tensor& x, const Scalar& th, const Scalar& v) { return at::threshold(x, th, v); }),
    TON_OP(prelu, [](const Tensor& x, const Tensor& w) { return at::prelu(x, w); }),
    TON_OP(glu, [](const Tensor& x, int64_t dim) { return at::glu(x, dim); }),
    TON_OP(softmax, [](const Tensor& x, int64_t dim, Dtype dt) { return at::softmax(x, dim, dt); }),
    TON_OP(log_softmax, [](const Tensor& x, int64_t dim, Dtype dt) { return at::log_softmax(x, dim, dt); }),

    // losses
    TON_OP(cross_entropy, [](const Tensor& x, const Tensor& y, OptTensor w, std::string red, int64_t ignore_index, double smoothing) {
      return at::cross_entropy_loss(x, y, w, Reduction(red), ignore_index, smoothing);
    }),
    TON_OP(nll_loss, [](const Tensor& x, const Tensor& y, OptTensor w, std::string red, int64_t ignore_index) {
      return at::nll_loss_nd(x, y, w, Reduction(red), ignore_index);
    }),
    TON_OP(mse_loss, [](const Tensor& x, const Tensor& y, std::string red) { return at::mse_loss(x, y, Reduction(red)); }),
    TON_OP(l1_loss, [](const Tensor& x, const Tensor& y, std::string red) { return at::l1_loss(x, y, Reduction(red)); }),
    TON_OP(smooth_l1_loss, [](const Tensor& x, const Tensor& y, std::string red, double beta) { return at::smooth_l1_loss(x, y, Reduction(red), beta); }),
    TON_OP(huber_loss, [](const Tensor& x, const Tensor& y, std::string red, double delta) { return at::huber_loss(x, y, Reduction(red), delta); }),
    TON_OP(binary_cross_entropy, [](const Tensor& x, const Tensor& y, OptTensor w, std::string red) {
      return at::binary_cross_entropy(x, y, w, Reduction(red));
    }),
    TON_OP(binary_cross_entropy_with_logits, [](const Tensor& x, const Tensor& y, OptTensor w, OptTensor pos_weight, std::string red) {
      return at::binary_cross_entropy_with_logits(x, y, w, pos_weight, Reduction(red));
    }),
    TON_OP(kl_div, [](const Tensor& x, const Tensor& y, std::string red, bool log_target) {
      // 'batchmean' is handled in lib/ (sum / batch size), as in Python.
      return at::kl_div(x, y, Reduction(red), log_target);
    }),
    TON_OP(soft_margin_loss, [](const Tensor& x, const Tensor& y, std::string red) { return at::soft_margin_loss(x, y, Reduction(red)); }),
    TON_OP(margin_ranking_loss, [](const Tensor& a, const Tensor& b, const Tensor& y, double margin, std::string red) {
      return at::margin_ranking_loss(a, b, y, margin, Reduction(red));
    }),
    TON_OP(hinge_embedding_loss, [](const Tensor& x, const Tensor& y, double margin, std::string red) {
      return at::hinge_embedding_loss(x, y, margin, Reduction(red));
    }),
    TON_OP(poisson_nll_loss, [](const Tensor& x, const Tensor& y, bool log_input, bool full, double eps, std::string red) {
      return at::poisson_nll_loss(x, y, log_input, full, eps, Reduction(red));
    }),
    TON_OP(cosine_embedding_loss, [](const Tensor& a, const Tensor& b, const Tensor& y, double margin, std::string red) {
      return at::cosine_embedding_loss(a, b, y, margin, Reduction(red));
    }),

    TON_OP(one_hot, [](const Tensor& t, int64_t n) { return at::one_hot(t, n); }),
    TON_OP(embedding, [](const Tensor& w, const Tensor& idx, int64_t padding_idx, bool scale, bool sparse) {
      return at::embedding(w, idx, padding_idx, scale, sparse);
    }),
    TON_OP(pad, [](const Tensor& x, Ints pad, std::string mode, ton::optional<double> value) { return at::pad(x, pad, mode, value); }),
    TON_OP(cosine_similarity, [](const Tensor& a, const Tensor& b, int64_t dim, double eps) { return at::cosine_similarity(a, b, dim, eps); }),
    TON_OP(pairwise_distance, [](const Tensor& a, const Tensor& b, double p, double eps, bool keepdim) {
      return at::pairwise_distance(a, b, p, eps, keepdim);
    }),
    TON_OP(pixel_shuffle, [](const Tensor& x, int64_t r) { return at::pixel_shuffle(x, r); }),
    TON_OP(upsample_nearest2d, [](const Tensor& x, Ints size) { return at::upsample_nearest2d(x, size); }),
    TON_OP(upsample_bilinear2d, [](const Tensor& x, Ints size, bool align_corners) { return at::upsample_bilinear2d(x, size, align_corners); }),
    TON_OP(im2col, [](const Tensor& x, Ints k, Ints dilation, Ints padding, Ints stride) { return at::im2col(x, k, dilation, padding, stride); }),
};

}  // namespace
}  // namespace ton
