// Shape, view, join/split and gather/scatter ops.
#include "ops/common.h"

namespace ton {
namespace {

using TS = TensorOrScalar;

Register reg{
    TON_OP(view, [](const Tensor& t, Ints shape) { return t.view(shape); }),
    TON_OP(view_dtype, [](const Tensor& t, at::ScalarType dt) { return t.view(dt); }),
    TON_OP(reshape, [](const Tensor& t, Ints shape) { return at::reshape(t, shape); }),
    TON_OP(flatten, [](const Tensor& t, int64_t start, int64_t end) { return at::flatten(t, start, end); }),
    TON_OP(unflatten, [](const Tensor& t, int64_t dim, Ints sizes) { return t.unflatten(dim, sizes); }),
    TON_OP(squeeze, [](const Tensor& t, ton::optional<int64_t> dim) { return dim ? at::squeeze(t, *dim) : at::squeeze(t); }),
    TON_OP(squeeze_, [](const Tensor& t, ton::optional<int64_t> dim) { if (dim) t.squeeze_(*dim); else t.squeeze_(); }),
    TON_OP(unsqueeze, [](const Tensor& t, int64_t dim) { return at::unsqueeze(t, dim); }),
    TON_OP(unsqueeze_, [](const Tensor& t, int64_t dim) { t.unsqueeze_(dim); }),
    TON_OP(resize_, [](const Tensor& t, Ints size) { t.resize_(size); }),
    TON_OP(can_cast, [](at::ScalarType from, at::ScalarType to) { return c10::canCast(from, to); }),
    TON_OP(permute, [](const Tensor& t, Ints dims) { return at::permute(t, dims); }),
    TON_OP(transpose, [](const Tensor& t, int64_t a, int64_t b) { return at::transpose(t, a, b); }),
    TON_OP(transpose_, [](const Tensor& t, int64_t a, int64_t b) { t.transpose_(a, b); }),
    TON_OP(t, [](const Tensor& x) { return at::t(x); }),
    TON_OP(t_, [](const Tensor& x) { x.t_(); }),
    TON_OP(numpy_T, [](const Tensor& x) { return x.numpy_T(); }),
    TON_OP(mT, [](const Tensor& x) { return x.mT(); }),
    TON_OP(movedim, [](const Tensor& t, Ints src, Ints dst) { return at::movedim(t, src, dst); }),
    TON_OP(expand, [](const Tensor& t, Ints shape) { return t.expand(shape); }),
    TON_OP(expand_as, [](const Tensor& t, const Tensor& o) { return t.expand_as(o); }),
    TON_OP(broadcast_to, [](const Tensor& t, Ints shape) { return at::broadcast_to(t, shape); }),
    TON_OP(broadcast_tensors, [](std::vector<Tensor> ts) { return at::broadcast_tensors(ts); }),
    TON_OP(broadcast_shapes2, [](Ints a, Ints b) { return at::infer_size(a, b); }),
    TON_OP(repeat, [](const Tensor& t, Ints reps) { return t.repeat(reps); }),
    TON_OP(tile, [](const Tensor& t, Ints reps) { return at::tile(t, reps); }),
    TON_OP(repeat_interleave, [](const Tensor& t, TS reps, ton::optional<int64_t> dim) {
      return reps.is_tensor() ? at::repeat_interleave(t, *reps.tensor, dim) : at::repeat_interleave(t, reps.scalar.toLong(), dim);
    }),
    TON_OP(flip, [](const Tensor& t, Ints dims) { return at::flip(t, dims); }),
    TON_OP(roll, [](const Tensor& t, Ints shifts, Ints dims) { return at::roll(t, shifts, dims); }),
    TON_OP(rot90, [](const Tensor& t, int64_t k, Ints dims) { return at::rot90(t, k, dims); }),
    TON_OP(diag, [](const Tensor& t, int64_t d) { return at::diag(t, d); }),
    TON_OP(diag_embed, [](const Tensor& t, int64_t off, int64_t d1, int64_t d2) { return at::diag_embed(t, off, d1, d2); }),
    TON_OP(diagonal, [](const Tensor& t, int64_t off, int64_t d1, int64_t d2) { return at::diagonal(t, off, d1, d2); }),
    TON_OP(tril, [](const Tensor& t, int64_t d) { return at::tril(t, d); }),
    TON_OP(triu, [](const Tensor& t, int64_t d) { return at::triu(t, d); }),
    TON_OP(tril_, [](const Tensor& t, int64_t d) { t.tril_(d); }),
    TON_OP(triu_, [](const Tensor& t, int64_t d) { t.triu_(d); }),

    // join / split
    TON_OP(cat, [](std::vector<Tensor> ts, int64_t dim) { return at::cat(ts, dim); }),
    TON_OP(stack, [](std::vector<Tensor> ts, int64_t dim) { return at::stack(ts, dim); }),
    TON_OP(hstack, [](std::vector<Tensor> ts) { return at::hstack(ts); }),
    TON_OP(vstack, [](std::vector<Tensor> ts) { return at::vstack(ts); }),
    TON_OP(dstack, [](std::vector<Tensor> ts) { return at::dstack(ts); }),
    TON_OP(split, [](const Tensor& t, int64_t size, int64_t dim) { return at::split(t, size, dim); }),
    TON_OP(split_with_sizes, [](const Tensor& t, Ints sizes, int64_t dim) { return at::split_with_sizes(t, sizes, dim); }),
    TON_OP(chunk, [](const Tensor& t, int64_t chunks, int64_t dim) { return at::chunk(t, chunks, dim); }),
    TON_OP(tensor_split, [](const Tensor& t, int64_t sections, int64_t dim) { return at::tensor_split(t, sections, dim); }),
    TON_OP(unbind, [](const Tensor& t, int64_t dim) { return at::unbind(t, dim); }),
    TON_OP(narrow, [](const Tensor& t, int64_t dim, int64_t start, int64_t len) { return at::narrow(t, dim, start, len); }),
    TON_OP(select, [](const Tensor& t, int64_t dim, int64_t index) { return at::select(t, dim, index); }),
    TON_OP(slice, [](const Tensor& t, int64_t dim, ton::optional<int64_t> start, ton::optional<int64_t> end, int64_t step) {
      return at::slice(t, dim, start, end, step);
    }),
    TON_OP(as_strided, [](const Tensor& t, Ints size, Ints stride, ton::optional<int64_t> off) { return at::as_strided(t, size, stride, off); }),
    TON_OP(unfold, [](const Tensor& t, int64_t dim, int64_t size, int64_t step) { return t.unfold(dim, size, step); }),

    // gather / scatter / index
    TON_OP(gather, [](const Tensor& t, int64_t dim, const Tensor& idx) { return at::gather(t, dim, idx); }),
    TON_OP(scatter, [](const Tensor& t, int64_t dim, const Tensor& idx, TS src) {
      return src.is_tensor() ? at::scatter(t, dim, idx, *src.tensor) : at::scatter(t, dim, idx, src.scalar);
    }),
    TON_OP(scatter_, [](const Tensor& t, int64_t dim, const Tensor& idx, TS src) {
      if (src.is_tensor()) t.scatter_(dim, idx, *src.tensor); else t.scatter_(dim, idx, src.scalar);
    }),
    TON_OP(scatter_reduce, [](const Tensor& t, int64_t dim, const Tensor& idx, const Tensor& src, std::string reduce, bool include_self) {
      return at::scatter_reduce(t, dim, idx, src, reduce, include_self);
    }),
    TON_OP(scatter_add, [](const Tensor& t, int64_t dim, const Tensor& idx, const Tensor& src) { return at::scatter_add(t, dim, idx, src); }),
    TON_OP(scatter_add_, [](const Tensor& t, int64_t dim, const Tensor& idx, const Tensor& src) { t.scatter_add_(dim, idx, src); }),
    TON_OP(index_select, [](const Tensor& t, int64_t dim, const Tensor& idx) { return at::index_select(t, dim, idx); }),
    TON_OP(index_add, [](const Tensor& t, int64_t dim, const Tensor& idx, const Tensor& src, const Scalar& alpha) {
      return at::index_add(t, dim, idx, src, alpha);
    }),
    TON_OP(index_add_, [](const Tensor& t, int64_t dim, const Tensor& idx, const Tensor& src, const Scalar& alpha) {
      t.index_add_(dim, idx, src, alpha);
    }),
    TON_OP(index_fill, [](const Tensor& t, int64_t dim, const Tensor& idx, const Scalar& v) { return at::index_fill(t, dim, idx, v); }),
    TON_OP(index_copy, [](const Tensor& t, int64_t dim, const Tensor& idx, const Tensor& src) { return at::index_copy(t, dim, idx, src); }),
    TON_OP(masked_select, [](const Tensor& t, const Tensor& mask) { return at::masked_select(t, mask); }),
    TON_OP(masked_scatter, [](const Tensor& t, const Tensor& mask, const Tensor& src) { return at::masked_scatter(t, mask, src); }),
    TON_OP(take, [](const Tensor& t, const Tensor& idx) { return at::take(t, idx); }),
    TON_OP(take_along_dim, [](const Tensor& t, const Tensor& idx, ton::optional<int64_t> dim) { return at::take_along_dim(t, idx, dim); }),
    TON_OP(meshgrid, [](std::vector<Tensor> ts, std::string indexing) { return at::meshgrid(ts, indexing); }),
    TON_OP(searchsorted, [](const Tensor& seq, const Tensor& v, bool right) { return at::searchsorted(seq, v, false, right); }),
    TON_OP(bucketize, [](const Tensor& v, const Tensor& b, bool right) { return at::bucketize(v, b, false, right); }),
    TON_OP(block_diag, [](std::vector<Tensor> ts) { return at::block_diag(ts); }),
    TON_OP(cartesian_prod, [](std::vector<Tensor> ts) { return at::cartesian_prod(ts); }),
    TON_OP(combinations, [](const Tensor& t, int64_t r, bool with_replacement) { return at::combinations(t, r, with_replacement); }),
};

}  // namespace
}  // namespace ton
