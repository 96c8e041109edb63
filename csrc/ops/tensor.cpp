// Tensor handles: metadata, creation, data in and out, conversion, memory.
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <dlfcn.h>
#include <cstring>
#include <link.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "ops/common.h"

namespace ton {
namespace {

#ifdef TON_WITH_CUDA
constexpr bool kBuiltWithCuda = true;
#else
constexpr bool kBuiltWithCuda = false;
#endif

// torch.set_num_threads also sizes OpenBLAS's own thread pool when libtorch's BLAS is
// OpenBLAS (Debian's): libtorch does this for MKL only, and OpenBLAS's spinning workers
// then compete with V8's threads for the cores (MetaSGD loop: 12% slower here).
// A function of the OpenBLAS that libtorch loaded, or null (another BLAS, or none).
void* OpenBlasSymbol(const char* sym) {
  struct Query {
    const char* sym;
    void* found;
  } q{sym, nullptr};
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        auto* q = static_cast<Query*>(data);
        const char* name = info->dlpi_name;
        if (name == nullptr || (std::strstr(name, "openblas") == nullptr && std::strstr(name, "libblas") == nullptr))
          return 0;
        void* h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
        if (h == nullptr) return 0;
        q->found = dlsym(h, q->sym);
        dlclose(h);  // NOLOAD took a reference; libtorch keeps the library loaded
        return q->found != nullptr ? 1 : 0;
      },
      &q);
  return q.found;
}

void SetBlasThreads(int n) {
  static auto set = reinterpret_cast<void (*)(int)>(OpenBlasSymbol("openblas_set_num_threads"));
  if (set != nullptr) set(n);
}

// OpenBLAS's thread count, or -1 where libtorch's BLAS is not OpenBLAS.
int64_t BlasThreads() {
  static auto get = reinterpret_cast<int (*)()>(OpenBlasSymbol("openblas_get_num_threads"));
  return get != nullptr ? get() : -1;
}

at::ScalarType TypedArrayDtype(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return at::kChar;
    case napi_uint8_array:
    case napi_uint8_clamped_array: return at::kByte;
    case napi_int16_array: return at::kShort;
    case napi_int32_array: return at::kInt;
    case napi_float32_array: return at::kFloat;
    case napi_float64_array: return at::kDouble;
    case napi_bigint64_array: return at::kLong;
    default: ThrowType("unsupported TypedArray type (use Float32/64, Int8/16/32, Uint8, BigInt64)");
  }
}

// (typed array, shape, dtype?, device?, requires_grad): copies the data.
napi_value FromData(napi_env env, napi_callback_info info) {
  return Guard<5>(env, info, "tensor", [&](napi_value* argv) -> napi_value {
    bool is_ta = false;
    napi_is_typedarray(env, argv[0], &is_ta);
    if (!is_ta) throw ArgError{0, "a TypedArray"};
    napi_typedarray_type type;
    size_t length;
    void* data;
    napi_value ab;
    size_t offset;
    Check(env, napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &offset));
    Ints shape;
    GetInts(env, argv[1], 1, shape);
    auto dtype = Arg<Dtype>::Get(env, argv[2], 2);
    auto device = Arg<Dev>::Get(env, argv[3], 3);
    bool requires_grad = GetBool(env, argv[4], 4);
    at::ScalarType src = TypedArrayDtype(type);
    int64_t numel = 1;
    for (int64_t s : shape) numel *= s;
    if (numel != static_cast<int64_t>(length)) ThrowRange("tensor(): data length does not match the shape");
    at::ScalarType dst = dtype.value_or(src);
    Tensor t;
    {
      c10::NoGradGuard no_grad;
      Tensor view = at::from_blob(data, shape, at::TensorOptions().dtype(src));
      t = view.to(at::TensorOptions().dtype(dst).device(device.value_or(at::kCPU)), false, /*copy=*/true);
    }
    return WrapTensor(env, Finish(std::move(t), requires_grad));
  });
}

// Copies a tensor's elements into a new TypedArray (C order). Half/BFloat16 are
// widened to Float32, bool to Uint8.
napi_value ToTypedArray(napi_env env, napi_callback_info info) {
  return Guard<1>(env, info, "to_typed_array", [&](napi_value* argv) -> napi_value {
    const Tensor& src = GetTensor(env, argv[0], 0);
    c10::NoGradGuard no_grad;
    Tensor t = src.detach();
    napi_typedarray_type type;
    switch (t.scalar_type()) {
      case at::kFloat: type = napi_float32_array; break;
      case at::kDouble: type = napi_float64_array; break;
      case at::kLong: type = napi_bigint64_array; break;
      case at::kInt: type = napi_int32_array; break;
      case at::kShort: type = napi_int16_array; break;
      case at::kChar: type = napi_int8_array; break;
      case at::kByte: type = napi_uint8_array; break;
      case at::kBool: type = napi_uint8_array; t = t.to(at::kByte); break;
      case at::kHalf:
      case at::kBFloat16: type = napi_float32_array; t = t.to(at::kFloat); break;
      default: ThrowType("to_typed_array(): unsupported dtype " + std::string(c10::toString(t.scalar_type())));
    }
    t = t.to(at::kCPU).contiguous();
    size_t bytes = t.numel() * t.element_size();
    void* data = nullptr;
    napi_value ab, out;
    Check(env, napi_create_arraybuffer(env, bytes, &data, &ab));
    if (bytes) std::memcpy(data, t.data_ptr(), bytes);
    Check(env, napi_create_typedarray(env, type, t.numel(), ab, 0, &out));
    return out;
  });
}

// A zero-copy ArrayBuffer over a contiguous CPU tensor's memory; it holds a
// reference to the storage until the ArrayBuffer is collected.
napi_value DataView(napi_env env, napi_callback_info info) {
  return Guard<1>(env, info, "data_view", [&](napi_value* argv) -> napi_value {
    const Tensor& t = GetTensor(env, argv[0], 0);
    if (!t.device().is_cpu()) ThrowType("data_view(): only CPU tensors have a zero-copy view");
    if (!t.is_contiguous()) ThrowType("data_view(): the tensor is not contiguous (call contiguous() first)");
    auto* keep = new Tensor(t);
    napi_value ab;
    size_t bytes = t.numel() * t.element_size();
    napi_status s = napi_create_external_arraybuffer(
        env, t.data_ptr(), bytes,
        [](node_api_basic_env, void*, void* hint) { delete static_cast<Tensor*>(hint); }, keep, &ab);
    if (s != napi_ok) {
      delete keep;
      Check(env, s);
    }
    return ab;
  });
}

// dispose(handle, recycle): see DisposeBox.
napi_value Dispose(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  TensorBox* b = BoxOf(env, argv[0]);
  if (b != nullptr && b->t.defined()) {
    bool recycle = false;
    napi_get_value_bool(env, argv[1], &recycle);
    DisposeBox(env, b, argv[0], recycle);
  }
  return nullptr;
}

// Identity of the TensorImpl behind a handle (two handles may share one tensor).
inline double ImplId(const Tensor& t) { return static_cast<double>(reinterpret_cast<uintptr_t>(t.unsafeGetTensorImpl())); }

Register reg{
    TON_FN(from_data, FromData),
    TON_FN(to_typed_array, ToTypedArray),
    TON_FN(data_view, DataView),
    TON_OP(memory, []() {
      const MemoryStats m = GetMemoryStats();
      return std::make_tuple(double(m.live_tensors), double(m.live_bytes), double(m.collected));
    }),
    TON_FN(dispose, Dispose),
    TON_OP(is_disposed, [](napi_value h) { TensorBox* b = BoxOf(MainEnv(), h); return b == nullptr || !b->t.defined(); }),

    // metadata
    TON_OP(shape, [](const Tensor& t) { return t.sizes(); }),
    TON_OP(stride, [](const Tensor& t) { return t.strides(); }),
    TON_OP(dim, [](const Tensor& t) { return t.dim(); }),
    TON_OP(numel, [](const Tensor& t) { return t.numel(); }),
    TON_OP(dtype, [](const Tensor& t) { return static_cast<int64_t>(t.scalar_type()); }),
    TON_OP(device, [](const Tensor& t) { return EncodeDevice(t.device()); }),
    TON_OP(element_size, [](const Tensor& t) { return static_cast<int64_t>(t.element_size()); }),
    TON_OP(storage_offset, [](const Tensor& t) { return t.storage_offset(); }),
    TON_OP(is_contiguous, [](const Tensor& t) { return t.is_contiguous(); }),
    TON_OP(requires_grad, [](const Tensor& t) { return t.requires_grad(); }),
    TON_OP(is_leaf, [](const Tensor& t) { return t.is_leaf(); }),
    TON_OP(impl_id, [](const Tensor& t) { return ImplId(t); }),
    TON_OP(is_same, [](const Tensor& a, const Tensor& b) { return a.is_same(b); }),
    // One call instead of two shape arrays: losses compare shapes on every call.
    TON_OP(same_shape, [](const Tensor& a, const Tensor& b) { return a.sizes().equals(b.sizes()); }),
    TON_OP(data_ptr, [](const Tensor& t) { return static_cast<double>(reinterpret_cast<uintptr_t>(t.data_ptr())); }),
    TON_OP(item, [](const Tensor& t) { return t.item(); }),
    TON_OP(is_view, [](const Tensor& t) { return t.is_view(); }),
    TON_OP(version, [](const Tensor& t) { return t._version(); }),

    // factories: (shape, dtype, device, requires_grad)
    TON_OP(zeros, [](Ints shape, Dtype dt, Dev dev, bool rg) { return Finish(at::zeros(shape, Options(dt, dev)), rg); }),
    TON_OP(ones, [](Ints shape, Dtype dt, Dev dev, bool rg) { return Finish(at::ones(shape, Options(dt, dev)), rg); }),
    TON_OP(empty, [](Ints shape, Dtype dt, Dev dev, bool rg) { return Finish(at::empty(shape, Options(dt, dev)), rg); }),
    TON_OP(full, [](Ints shape, const Scalar& v, Dtype dt, Dev dev, bool rg) {
      return Finish(at::full(shape, v, Options(dt, dev)), rg);
    }),
    TON_OP(zeros_like, [](const Tensor& t, Dtype dt, Dev dev, bool rg) {
      return Finish(at::zeros_like(t, Options(dt, dev)), rg);
    }),
    TON_OP(ones_like, [](const Tensor& t, Dtype dt, Dev dev, bool rg) {
      return Finish(at::ones_like(t, Options(dt, dev)), rg);
    }),
    TON_OP(empty_like, [](const Tensor& t, Dtype dt, Dev dev, bool rg) {
      return Finish(at::empty_like(t, Options(dt, dev)), rg);
    }),
    TON_OP(full_like, [](const Tensor& t, const Scalar& v, Dtype dt, Dev dev, bool rg) {
      return Finish(at::full_like(t, v, Options(dt, dev)), rg);
    }),
    TON_OP(rand_like, [](const Tensor& t, Dtype dt, Dev dev, bool rg) {
      return Finish(at::rand_like(t, Options(dt, dev)), rg);
    }),
    TON_OP(randn_like, [](const Tensor& t, Dtype dt, Dev dev, bool rg) {
      return Finish(at::randn_like(t, Options(dt, dev)), rg);
    }),
    TON_OP(arange, [](const Scalar& start, const Scalar& end, const Scalar& step, Dtype dt, Dev dev, bool rg) {
      return Finish(at::arange(start, end, step, Options(dt, dev)), rg);
    }),
    TON_OP(linspace, [](const Scalar& start, const Scalar& end, int64_t steps, Dtype dt, Dev dev, bool rg) {
      return Finish(at::linspace(start, end, steps, Options(dt, dev)), rg);
    }),
    TON_OP(logspace, [](const Scalar& start, const Scalar& end, int64_t steps, double base, Dtype dt, Dev dev, bool rg) {
      return Finish(at::logspace(start, end, steps, base, Options(dt, dev)), rg);
    }),
    TON_OP(eye, [](int64_t n, ton::optional<int64_t> m, Dtype dt, Dev dev, bool rg) {
      return Finish(m ? at::eye(n, *m, Options(dt, dev)) : at::eye(n, Options(dt, dev)), rg);
    }),
    TON_OP(scalar_tensor, [](const Scalar& v, Dtype dt, Dev dev, bool rg) {
      return Finish(at::scalar_tensor(v, Options(dt, dev)), rg);
    }),

    // conversion
    TON_OP(to, [](const Tensor& t, Dtype dt, Dev dev, bool non_blocking, bool copy) {
      return t.to(dev.value_or(t.device()), dt.value_or(t.scalar_type()), non_blocking, copy);
    }),
    TON_OP(to_as, [](const Tensor& t, const Tensor& other, bool non_blocking, bool copy) { return t.to(other, non_blocking, copy); }),
    TON_OP(contiguous, [](const Tensor& t) { return t.contiguous(); }),
    TON_OP(clone, [](const Tensor& t) { return t.clone(); }),
    TON_OP(detach, [](const Tensor& t) { return t.detach(); }),
    TON_OP(detach_, [](const Tensor& t) { t.detach_(); }),
    TON_OP(requires_grad_, [](const Tensor& t, bool rg) { t.requires_grad_(rg); }),
    TON_OP(alias, [](const Tensor& t) { return t; }),

    // devices and runtime
    TON_OP(cuda_is_available, []() { return torch::cuda::is_available(); }),
    TON_OP(cuda_device_count, []() { return static_cast<int64_t>(torch::cuda::device_count()); }),
    TON_OP(cuda_synchronize, [](int64_t device) {
      if (torch::cuda::is_available()) torch::cuda::synchronize(device);
    }),
    TON_OP(torch_version, []() { return std::string(TORCH_VERSION); }),
    TON_OP(built_with_cuda, []() { return kBuiltWithCuda; }),
    TON_OP(set_default_dtype, [](at::ScalarType t) { at::set_default_dtype(c10::scalarTypeToTypeMeta(t)); }),
    TON_OP(get_default_dtype, []() { return static_cast<int64_t>(c10::typeMetaToScalarType(at::get_default_dtype())); }),
    TON_OP(get_num_threads, []() { return static_cast<int64_t>(at::get_num_threads()); }),
    TON_OP(set_num_threads, [](int64_t n) {
      at::set_num_threads(static_cast<int>(n));
      SetBlasThreads(static_cast<int>(n));
    }),
    TON_OP(_blas_num_threads, []() { return BlasThreads(); }),
};

}  // namespace
}  // namespace ton
