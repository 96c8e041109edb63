// Host side of the multi-tensor calls (see multi_tensor.h).
#include "fused/multi_tensor.h"

#include <c10/core/GradMode.h>

#include <cmath>
#include <sstream>
#include <string>

#include "fused/launch.h"

namespace ton {
namespace fused {

const char* DtypeName(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kHalf: return "float16";
    case at::kBFloat16: return "bfloat16";
    case at::kLong: return "int64";
    case at::kInt: return "int32";
    case at::kShort: return "int16";
    case at::kChar: return "int8";
    case at::kByte: return "uint8";
    case at::kBool: return "bool";
    default: return c10::toString(t);
  }
}

namespace {

std::string Shape(at::IntArrayRef s) {
  std::ostringstream o;
  o << '[';
  for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
  o << ']';
  return o.str();
}

std::string Item(const char* name, size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

// Same element order in memory: equal strides on every dimension longer than 1.
bool SameLayout(const at::Tensor& a, const at::Tensor& b) {
  auto sa = a.strides(), sb = b.strides(), n = a.sizes();
  for (size_t d = 0; d < n.size(); ++d)
    if (n[d] > 1 && sa[d] != sb[d]) return false;
  return true;
}

}  // namespace

std::vector<at::Tensor> EmptyLike(const std::vector<at::Tensor>& like) {
  std::vector<at::Tensor> out;
  out.reserve(like.size());
  for (const auto& t : like) out.push_back(t.defined() ? at::empty_like(t) : at::Tensor());
  return out;
}

void Counts::Check(const char* op, size_t n) const {
  if (per_tensor && v.size() != n)
    ThrowRange(std::string(op) + "(): count has " + std::to_string(v.size()) + " entries but there are " +
               std::to_string(n) + " tensors");
  for (int64_t c : v)
    if (c < 1)
      ThrowRange(std::string(op) + "(): count must be >= 1 (the step number, counted from 1), got " +
                 std::to_string(c));
}

std::vector<std::array<double, 2>> BiasFactors(const Counts& count, const Hyper& h, size_t n) {
  auto f = [&](int64_t c) -> std::array<double, 2> {
    return {1.0 / (1.0 - std::pow(h.b1, static_cast<double>(c))), 1.0 / (1.0 - std::pow(h.b2, static_cast<double>(c)))};
  };
  if (!count.per_tensor) return std::vector<std::array<double, 2>>(n, f(count.v[0]));
  std::vector<std::array<double, 2>> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = f(count.v[i]);
  return out;
}

void MultiCall::Check(unsigned optional) const {
  const auto& R = *lists[ref];
  const size_t n = R.size();
  for (int s = 0; s < kMaxSlots; ++s) {
    if (s == ref) continue;
    const auto* L = lists[s];
    bool absent = L == nullptr || L->empty();
    if (absent && ((optional >> s) & 1u)) continue;
    if (L == nullptr) continue;  // an output the caller fills
    if (L->size() != n)
      ThrowRange(std::string(op) + "(): " + names[s] + " has " + std::to_string(L->size()) + " tensors but " +
                 names[ref] + " has " + std::to_string(n));
  }
  for (size_t i = 0; i < n; ++i) {
    const at::Tensor& r = R[i];
    if (!r.defined()) continue;
    if (!at::isFloatingType(r.scalar_type()))
      ThrowType(std::string(op) + "(): " + Item(names[ref], i) + " must be a floating-point tensor, got " +
                DtypeName(r.scalar_type()));
    for (int s = 0; s < kMaxSlots; ++s) {
      if (s == ref || lists[s] == nullptr || lists[s]->size() != n) continue;
      const at::Tensor& t = (*lists[s])[i];
      if (!t.defined()) continue;
      if (t.scalar_type() != r.scalar_type())
        ThrowType(std::string(op) + "(): " + Item(names[s], i) + " is " + DtypeName(t.scalar_type()) + " but " +
                  Item(names[ref], i) + " is " + DtypeName(r.scalar_type()));
      if (t.device() != r.device())
        throw JsError{JsError::kError, std::string(op) + "(): " + Item(names[s], i) + " is on " + t.device().str() +
                                           " but " + Item(names[ref], i) + " is on " + r.device().str()};
      if (!t.sizes().equals(r.sizes()))
        ThrowRange(std::string(op) + "(): " + Item(names[s], i) + " has shape " + Shape(t.sizes()) + " but " +
                   Item(names[ref], i) + " has shape " + Shape(r.sizes()));
    }
  }
}

void MultiCall::Run() {
  const size_t n = size();
  struct Group {
    at::Device device;
    at::ScalarType dtype;
    std::vector<TensorSlots> tab;
  };
  c10::SmallVector<Group, 1> groups;
  std::vector<at::Tensor> keep;                              // contiguous copies in use
  std::vector<std::pair<at::Tensor, at::Tensor>> copy_back;  // (argument, its copy)
  std::vector<at::Tensor> bump;                              // written directly

  for (size_t i = 0; i < n; ++i) {
    const at::Tensor& r = (*lists[ref])[i];
    if (!r.defined() || r.numel() == 0) continue;
    const at::Device dev = r.device();
    if (dev.is_meta()) continue;  // shapes and dtypes only: nothing to compute
    if (!dev.is_cpu() && !dev.is_cuda())
      throw JsError{JsError::kError, std::string(op) + "(): tensors on " + dev.str() +
                                         " are not supported (cpu, cuda and meta are)"};

    // The kernels walk every slot as one flat array in the same order. That holds when
    // all are contiguous, or all are dense with one layout (channels_last, transposed);
    // otherwise the odd ones run on contiguous copies, written back afterwards.
    bool direct = true;
    bool all_contiguous = true;
    for (int s = 0; s < kMaxSlots; ++s) {
      if (lists[s] == nullptr || lists[s]->size() != n) continue;
      const at::Tensor& t = (*lists[s])[i];
      if (!t.defined()) continue;
      if (!t.is_contiguous()) all_contiguous = false;
      if (!t.unsafeGetTensorImpl()->is_non_overlapping_and_dense() || !SameLayout(t, r)) direct = false;
    }
    direct = direct || all_contiguous;

    TensorSlots ts{};
    ts.numel = r.numel();
    if (!aux.empty()) {
      ts.aux[0] = aux[i][0];
      ts.aux[1] = aux[i][1];
    }
    if (!flags.empty()) ts.flags = flags[i];
    for (int s = 0; s < kMaxSlots; ++s) {
      if (lists[s] == nullptr || lists[s]->size() != n) continue;
      const at::Tensor& t = (*lists[s])[i];
      if (!t.defined()) continue;
      const bool writes = (written >> s) & 1u;
      if (direct || t.is_contiguous()) {
        ts.ptr[s] = t.data_ptr();
        if (writes) bump.push_back(t);
      } else {
        c10::NoGradGuard no_grad;
        at::Tensor c = t.contiguous();
        ts.ptr[s] = c.data_ptr();
        if (writes) copy_back.emplace_back(t, c);
        keep.push_back(std::move(c));
      }
    }
    Group* g = nullptr;
    for (auto& e : groups)
      if (e.device == dev && e.dtype == r.scalar_type()) g = &e;
    if (g == nullptr) {
      groups.push_back(Group{dev, r.scalar_type(), {}});
      g = &groups.back();
      g->tab.reserve(n);
    }
    g->tab.push_back(ts);
  }

  for (auto& g : groups) {
    if (g.device.is_cpu()) {
      CpuApply(kind, g.dtype, g.tab, hyper);
    } else {
#ifdef TON_WITH_CUDA
      CudaApply(kind, g.dtype, g.device, g.tab, hyper);
#else
      throw JsError{JsError::kError, std::string(op) + "(): torchopt-node was built without CUDA"};
#endif
    }
  }
  // Raw writes do not move the version counters; saved tensors rely on them.
  for (auto& t : bump) t.unsafeGetTensorImpl()->bump_version();
  c10::NoGradGuard no_grad;
  for (auto& p : copy_back) p.first.copy_(p.second);
}

}  // namespace fused

namespace {
int64_t CountOf(napi_env env, napi_value v, int index) {
  if (TensorBox* b = BoxOf(env, v)) {
    const at::Tensor& t = LiveTensor(b);
    const bool integral = at::isIntegralType(t.scalar_type(), /*includeBool=*/false);
    if (t.numel() != 1 || !(integral || at::isFloatingType(t.scalar_type())))
      throw ArgError{index, "an integer, a one-element integer Tensor or an array of those"};
    // TorchOpt's per-leaf counts are 0-dim int64 CPU tensors: read them without a dispatch.
    if (t.is_cpu() && t.scalar_type() == at::kLong) return *static_cast<const int64_t*>(t.data_ptr());
    if (integral) return t.item<int64_t>();
    // torch.optim keeps its step as a float32 tensor: accept whole values.
    const double d = t.item<double>();
    if (std::floor(d) != d || !std::isfinite(d)) throw ArgError{index, "a whole step count"};
    return static_cast<int64_t>(d);
  }
  try {
    return GetInt(env, v, index);
  } catch (const ArgError&) {
    throw ArgError{index, "an integer, a one-element integer Tensor or an array of those"};
  }
}
}  // namespace

fused::Counts Arg<fused::Counts>::Get(napi_env env, napi_value v, int i) {
  fused::Counts c;
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (!is_array) {
    c.v.push_back(CountOf(env, v, i));
    return c;
  }
  c.per_tensor = true;
  uint32_t n = 0;
  napi_get_array_length(env, v, &n);
  c.v.resize(n);
  for (uint32_t k = 0; k < n; ++k) {
    napi_value e;
    napi_get_element(env, v, k, &e);
    c.v[k] = CountOf(env, e, i);
  }
  return c;
}

}  // namespace ton
