// Custom autograd Functions written in JS (torch.autograd.Function).
//
// lib/ runs the JS forward under no_grad, then calls function_wrap(), which makes a
// JsFunctionNode: a graph node whose edges lead to the tensor inputs and whose
// apply() calls the JS backward (through js_bridge, so it also works when libtorch
// runs it on a device thread). Saved tensors are kept natively as SavedVariables: an
// output saved for backward then holds its node weakly, as in PyTorch, so no
// reference cycle through JS keeps the graph alive.
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/saved_variable.h>
#include <torch/csrc/autograd/variable.h>

#include "autograd/js_bridge.h"
#include "core/binding.h"
#include "core/js_thread.h"

namespace ton {
namespace {

using torch::autograd::Node;
using torch::autograd::SavedVariable;
using torch::autograd::variable_list;

struct JsFunctionNode : public Node {
  JsFunctionNode(std::string name, napi_ref backward, bool materialize)
      : name_(std::move(name)), backward_(backward), materialize_(materialize) {
    AddLiveCallbacks(1);
  }
  ~JsFunctionNode() override {
    DeferDeleteRef(backward_);
    AddLiveCallbacks(-1);
  }
  std::string name() const override { return name_; }

  void release_variables() override {
    for (auto& s : saved_) s.reset_data();
    released_ = true;
  }

  variable_list apply(variable_list&& grads) override {
    TORCH_CHECK(!released_,
                "Trying to backward through the graph a second time (or directly access saved tensors after they have "
                "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
                "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward.");
    std::vector<at::Tensor> saved;
    saved.reserve(saved_.size());
    auto self = shared_from_this();
    for (const auto& s : saved_) saved.push_back(s.unpack(self));
    for (size_t i = 0; i < grads.size(); ++i) {
      if (!grads[i].defined() && materialize_ && differentiable_[i]) grads[i] = input_metadata(i).zeros_like();
    }
    variable_list result(num_outputs());
    CallJs([&](napi_env env) {
      napi_value fn, args[2];
      napi_get_reference_value(env, backward_, &fn);
      args[0] = ToJS(env, std::move(saved));
      args[1] = ToJS(env, std::move(grads));
      napi_value r = CallFunction(env, fn, 2, args);
      uint32_t n = 0;
      napi_get_array_length(env, r, &n);
      TORCH_CHECK(n == result.size(), "function ", name_, " returned an incorrect number of gradients (expected ",
                  result.size(), ", got ", n, ")");
      for (uint32_t i = 0; i < n; ++i) {
        napi_value e;
        napi_get_element(env, r, i, &e);
        if (IsNullish(env, e)) continue;
        TensorBox* b = BoxOf(env, e);
        TORCH_CHECK(b != nullptr && b->t.defined(), "function ", name_, " returned a gradient that is not a Tensor at index ", i);
        result[i] = b->t;
      }
    });
    return result;
  }

  std::string name_;
  napi_ref backward_;
  bool materialize_;
  bool released_ = false;
  std::vector<SavedVariable> saved_;
  std::vector<bool> differentiable_;  // per node input (= tensor output of forward)
};

// function_wrap(backward, name, inputs, outputs, non_differentiable, dirty, saved, materialize_grads)
//   inputs: the tensor arguments of forward, in order.
//   outputs: the tensor outputs of forward, in order.
//   non_differentiable: booleans per output (ctx.mark_non_differentiable).
//   dirty: booleans per output: the output is an input modified in place (ctx.mark_dirty).
//   saved: per saved tensor, a handle or the index of an output.
// Returns, per output, a replacement handle (an input returned as-is becomes a new
// alias) or null when the handle given now carries the history.
napi_value FunctionWrap(napi_env env, napi_callback_info info) {
  return Guard<8>(env, info, "Function.apply", [&](napi_value* argv) -> napi_value {
    napi_valuetype type;
    napi_typeof(env, argv[0], &type);
    if (type != napi_function) throw ArgError{0, "a function"};
    std::string name = GetString(env, argv[1], 1);
    auto inputs = GetTensorList(env, argv[2], 2);
    auto outputs = GetTensorList(env, argv[3], 3);
    uint32_t n_out = static_cast<uint32_t>(outputs.size());
    auto flag = [&](int arg, uint32_t i) {
      napi_value e;
      napi_get_element(env, argv[arg], i, &e);
      bool b = false;
      napi_get_value_bool(env, e, &b);
      return b;
    };
    bool materialize = GetBool(env, argv[7], 7);
    DrainDeferred(env);

    napi_ref ref;
    Check(env, napi_create_reference(env, argv[0], 1, &ref));
    auto node = std::shared_ptr<JsFunctionNode>(new JsFunctionNode(name, ref, materialize), torch::autograd::deleteNode);
    node->set_next_edges(torch::autograd::collect_next_edges(inputs));

    napi_value replaced;
    napi_create_array_with_length(env, n_out, &replaced);
    for (uint32_t i = 0; i < n_out; ++i) {
      at::Tensor& out = outputs[i];
      bool dirty = flag(5, i);
      bool is_input = false;
      for (const auto& in : inputs) is_input = is_input || in.is_same(out);
      bool differentiable = !flag(4, i) && torch::autograd::isDifferentiableType(out.scalar_type());
      napi_value r;
      napi_get_null(env, &r);
      if (is_input && !dirty) {
        // PyTorch returns a view of an input returned unchanged, so that it gets its
        // own history.
        c10::NoGradGuard no_grad;
        out = out.view_as(out);
        r = WrapTensor(env, out);
      }
      if (!differentiable) {
        node->add_input_metadata(Node::undefined_input());
        node->differentiable_.push_back(false);
        if (out.requires_grad() && !dirty) {
          // A non-differentiable output is a fresh tensor without history.
          out = out.detach();
          r = WrapTensor(env, out);
        }
      } else {
        uint32_t nr = node->add_input_metadata(out);
        node->differentiable_.push_back(true);
        if (dirty) {
          TORCH_CHECK(!(out.is_leaf() && out.requires_grad()),
                      "a leaf Variable that requires grad is being used in an in-place operation.");
          torch::autograd::impl::rebase_history(out, {node, nr});
        } else {
          torch::autograd::impl::set_gradient_edge(out, {node, nr});
        }
      }
      napi_set_element(env, replaced, i, r);
    }

    uint32_t n_saved = 0;
    napi_get_array_length(env, argv[6], &n_saved);
    for (uint32_t k = 0; k < n_saved; ++k) {
      napi_value e;
      napi_get_element(env, argv[6], k, &e);
      napi_valuetype et;
      napi_typeof(env, e, &et);
      if (et == napi_number) {
        int64_t idx = GetInt(env, e, 6);
        TORCH_CHECK(idx >= 0 && idx < n_out, "save_for_backward: bad output index");
        node->saved_.emplace_back(outputs[idx], /*is_output=*/true);
      } else if (et == napi_null || et == napi_undefined) {
        node->saved_.emplace_back(at::Tensor(), false);
      } else {
        node->saved_.emplace_back(GetTensor(env, e, 6), /*is_output=*/false);
      }
    }
    return replaced;
  });
}

Register reg{TON_FN(function_wrap, FunctionWrap)};

}  // namespace
}  // namespace ton
