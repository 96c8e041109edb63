// Autograd: backward/grad, grad mode, .grad/.data, graph introspection, tensor hooks.
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/accumulate_grad.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/csrc/autograd/variable.h>

#include "autograd/js_bridge.h"
#include "ops/common.h"

namespace ton {

using torch::autograd::Node;

namespace {

// Node handles (grad_fn, next_functions): externals over a shared_ptr<Node>.
using NodeBox = ExternalBox<std::shared_ptr<Node>, 0x6e0de11du>;

napi_value WrapNode(napi_env env, std::shared_ptr<Node> node) {
  if (!node) {
    napi_value out;
    napi_get_null(env, &out);
    return out;
  }
  return NodeBox::Wrap(env, std::move(node));
}

}  // namespace

template <>
struct Arg<std::shared_ptr<Node>> {
  static const std::shared_ptr<Node>& Get(napi_env env, napi_value v, int i) {
    return NodeBox::Get(env, v, i, "an autograd Node");
  }
};

namespace {

// Python's names: "AddBackward0", not "torch::autograd::generated::AddBackward0".
std::string ShortName(const Node& n) {
  std::string name = n.name();
  auto pos = name.rfind("::");
  return pos == std::string::npos ? name : name.substr(pos + 2);
}

// backward(tensors, grad_tensors|null, retain_graph|null, create_graph, inputs|null)
napi_value Backward(napi_env env, napi_callback_info info) {
  return Guard<5>(env, info, "backward", [&](napi_value* argv) -> napi_value {
    auto tensors = GetTensorList(env, argv[0], 0);
    std::vector<at::Tensor> grads;
    if (!IsNullish(env, argv[1])) grads = Unwrap(GetOptTensorList(env, argv[1], 1));
    ton::optional<bool> retain = Arg<ton::optional<bool>>::Get(env, argv[2], 2);
    bool create = GetBool(env, argv[3], 3);
    std::vector<at::Tensor> inputs;
    if (!IsNullish(env, argv[4])) inputs = GetTensorList(env, argv[4], 4);
    RunEngine(env, [&] { torch::autograd::backward(tensors, grads, retain, create, inputs); });
    return nullptr;
  });
}

// grad(outputs, inputs, grad_outputs|null, retain_graph|null, create_graph, allow_unused)
napi_value Grad(napi_env env, napi_callback_info info) {
  return Guard<6>(env, info, "grad", [&](napi_value* argv) -> napi_value {
    auto outputs = GetTensorList(env, argv[0], 0);
    auto inputs = GetTensorList(env, argv[1], 1);
    std::vector<at::Tensor> grad_outputs;
    if (!IsNullish(env, argv[2])) grad_outputs = Unwrap(GetOptTensorList(env, argv[2], 2));
    ton::optional<bool> retain = Arg<ton::optional<bool>>::Get(env, argv[3], 3);
    bool create = GetBool(env, argv[4], 4);
    bool allow_unused = GetBool(env, argv[5], 5);
    std::vector<at::Tensor> result;
    RunEngine(env, [&] { result = torch::autograd::grad(outputs, inputs, grad_outputs, retain, create, allow_unused); });
    return ToJS(env, std::move(result));
  });
}

// register_hook(tensor, fn): fn(grad) -> replacement grad | undefined. Returns the
// hook's index for remove_hook.
napi_value RegisterHook(napi_env env, napi_callback_info info) {
  return Guard<2>(env, info, "register_hook", [&](napi_value* argv) -> napi_value {
    const at::Tensor& t = GetTensor(env, argv[0], 0);
    napi_valuetype type;
    napi_typeof(env, argv[1], &type);
    if (type != napi_function) throw ArgError{1, "a function"};
    if (!t.requires_grad()) ThrowRange("cannot register a hook on a tensor that doesn't require gradient");
    napi_ref ref;
    Check(env, napi_create_reference(env, argv[1], 1, &ref));
    // The hook lives as long as the tensor's autograd metadata; the reference is
    // released (on the JS thread) when the lambda is destroyed.
    auto holder = std::shared_ptr<napi_ref>(new napi_ref(ref), [](napi_ref* r) {
      DeferDeleteRef(*r);
      AddLiveCallbacks(-1);
      delete r;
    });
    AddLiveCallbacks(1);
    unsigned idx = t.register_hook([holder](const at::Tensor& grad) -> at::Tensor {
      at::Tensor out;
      CallJs([&](napi_env e) {
        napi_value fn, arg = WrapTensor(e, grad);
        napi_get_reference_value(e, *holder, &fn);
        napi_value r = CallFunction(e, fn, 1, &arg);
        if (!IsNullish(e, r)) {
          TensorBox* b = BoxOf(e, r);
          if (b == nullptr || !b->t.defined()) throw std::runtime_error("a tensor hook must return a Tensor or undefined");
          out = b->t;
        }
      });
      return out;
    });
    return ToJS(env, static_cast<int64_t>(idx));
  });
}

Register reg{
    TON_FN(backward, Backward),
    TON_FN(grad, Grad),
    TON_FN(register_hook, RegisterHook),
    TON_OP(remove_hook, [](const at::Tensor& t, int64_t idx) { t.remove_hook(static_cast<unsigned>(idx)); }),
    TON_OP(is_grad_enabled, []() { return c10::GradMode::is_enabled(); }),
    TON_OP(set_grad_enabled, [](bool on) { c10::GradMode::set_enabled(on); }),
    TON_OP(is_inference_mode_enabled, []() { return c10::InferenceMode::is_enabled(); }),
    TON_OP(grad_get, [](const at::Tensor& t) { return t.grad(); }),
    TON_OP(grad_set, [](const at::Tensor& t, OptTensor g) {
      if (g && g->defined()) {
        TORCH_CHECK(g->sizes() == t.sizes(), "assigned grad has data of a different size");
        TORCH_CHECK(g->scalar_type() == t.scalar_type(), "assigned grad has data of a different type");
        TORCH_CHECK(g->device() == t.device(), "assigned grad has data located on a different device");
      }
      const_cast<at::Tensor&>(t).mutable_grad() = g ? *g : at::Tensor();
    }),
    // zero_grad for a list of parameters in one call: unset each grad, or zero it in place
    // after cutting it from any graph (as torch and TorchOpt do).
    TON_OP(clear_grads_, [](const std::vector<at::Tensor>& ps, bool set_to_none) {
      for (const at::Tensor& p : ps) {
        at::Tensor& g = const_cast<at::Tensor&>(p).mutable_grad();
        if (!g.defined()) continue;
        if (set_to_none) {
          g = at::Tensor();
        } else {
          if (g.grad_fn()) g.detach_();
          else g.requires_grad_(false);
          g.zero_();
        }
      }
    }),
    TON_OP(retain_grad, [](const at::Tensor& t) { t.retain_grad(); }),
    TON_OP(retains_grad, [](const at::Tensor& t) { return t.retains_grad(); }),
    TON_OP(data_get, [](const at::Tensor& t) { return t.variable_data(); }),
    TON_OP(data_set, [](const at::Tensor& t, const at::Tensor& src) { const_cast<at::Tensor&>(t).set_data(src); }),
    TON_OP(output_nr, [](const at::Tensor& t) { return static_cast<int64_t>(t.output_nr()); }),
    TON_OP(grad_fn_name, [](const at::Tensor& t) -> ton::optional<std::string> {
      const auto& fn = t.grad_fn();
      if (!fn) return ton::nullopt;
      return ShortName(*fn);
    }),

    // graph introspection
    TON_FN(grad_fn, [](napi_env env, napi_callback_info info) -> napi_value {
      return Guard<1>(env, info, "grad_fn", [&](napi_value* argv) -> napi_value {
        return WrapNode(env, GetTensor(env, argv[0], 0).grad_fn());
      });
    }),
    TON_OP(node_name, [](const std::shared_ptr<Node>& n) { return ShortName(*n); }),
    TON_OP(node_id, [](const std::shared_ptr<Node>& n) { return static_cast<double>(reinterpret_cast<uintptr_t>(n.get())); }),
    TON_OP(node_num_inputs, [](const std::shared_ptr<Node>& n) { return static_cast<int64_t>(n->num_inputs()); }),
    TON_FN(node_next_functions, [](napi_env env, napi_callback_info info) -> napi_value {
      return Guard<1>(env, info, "next_functions", [&](napi_value* argv) -> napi_value {
        const auto& edges = Arg<std::shared_ptr<Node>>::Get(env, argv[0], 0)->next_edges();
        napi_value arr;
        napi_create_array_with_length(env, edges.size(), &arr);
        for (size_t i = 0; i < edges.size(); ++i) {
          napi_value pair;
          napi_create_array_with_length(env, 2, &pair);
          napi_set_element(env, pair, 0, WrapNode(env, edges[i].function));
          napi_set_element(env, pair, 1, ToJS(env, static_cast<int64_t>(edges[i].input_nr)));
          napi_set_element(env, arr, static_cast<uint32_t>(i), pair);
        }
        return arr;
      });
    }),
    TON_OP(node_variable, [](const std::shared_ptr<Node>& n) -> at::Tensor {
      auto* acc = dynamic_cast<torch::autograd::AccumulateGrad*>(n.get());
      if (acc == nullptr) ThrowType("'" + ShortName(*n) + "' object has no attribute 'variable'");
      return acc->variable;
    }),
};

}  // namespace
}  // namespace ton
