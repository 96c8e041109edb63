// Autograd graph nodes as JS handles (grad_fn, next_functions).
#pragma once

#include <torch/csrc/autograd/function.h>

#include "core/binding.h"

namespace ton {

napi_value WrapNode(napi_env env, std::shared_ptr<torch::autograd::Node> node);
std::shared_ptr<torch::autograd::Node> GetNode(napi_env env, napi_value v, int index);
// Python's node names: "AddBackward0", not "torch::autograd::generated::AddBackward0".
std::string ShortName(const torch::autograd::Node& n);

}  // namespace ton
