#!/usr/bin/env bash
# The CUDA check, run on a GPU machine from the project root after `source .device/setup.sh`
# (it exports TORCH_CMAKE_PREFIX, NODE_API_HEADERS_DIR, ...):
# configures and builds the addon with plain cmake against the CUDA libtorch, then runs
# the CUDA checks (compiled JS carried in build/js) and writes logs to $OUT (or ./out).
set -euo pipefail
out="${OUT:-out}"
mkdir -p "$out"
cmake -S . -B build/cuda -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DNODE_API_HEADERS_DIR="$NODE_API_HEADERS_DIR" \
  -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$PWD/build/Release" 2>&1 | tee "$out/configure.log" | tail -5
cmake --build build/cuda -j "$(nproc)" 2>&1 | tee "$out/build.log" | tail -3
node build/js/scripts/cuda/check.js 2>&1 | tee "$out/check.log"
