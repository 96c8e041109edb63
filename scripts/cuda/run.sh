#!/usr/bin/env bash
# The CUDA check, run on a GPU machine from the project root after `source .device/setup.sh`
# (it exports TORCH_CMAKE_PREFIX, NODE_API_HEADERS_DIR, ...), with the compiled JS carried
# in build/js (`npx tsc -p tsconfig.device.json` here). It configures and builds the addon
# with plain cmake against the CUDA libtorch, then runs, each with a time limit and going
# on after a failure: the CUDA checks (check.js), the Python peer of their speed check, the
# CUDA jest suite and the in-process CPU suites through mini-jest.js (no npm there), an
# example, and todist with one and two ranks. Logs go to $OUT (or ./out); the last line
# says how many stages failed. STAGES (default: all of "check peer suites example dist")
# and SUITES (suite names under __tests__) narrow a rerun.
set -uo pipefail
out="${OUT:-out}"
build="${TON_BUILD_DIR:-build/cuda}"
mkdir -p "$out"
t0=$SECONDS
failed=0
stage() { echo; echo "== $1 ($((SECONDS - t0)) s)"; }
fail() { failed=$((failed + 1)); echo "!! $1"; }

stage configure
if ! cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DNODE_API_HEADERS_DIR="$NODE_API_HEADERS_DIR" \
  -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$PWD/build/Release" >"$out/configure.log" 2>&1; then
  tail -40 "$out/configure.log"; echo "configure failed"; exit 1
fi
grep -E "torchopt-node|CUDA" "$out/configure.log" | head -12

stage build
# -k 0: every compile error in one go (device time is short).
if ! cmake --build "$build" -j "$(nproc)" -- -k 0 >"$out/build.log" 2>&1; then
  grep -E "error|FAILED" "$out/build.log" | head -120; echo "build failed"; exit 1
fi
tail -2 "$out/build.log"

want() { [[ " ${STAGES:-check peer suites example dist} " == *" $1 "* ]]; }

if want check; then
  stage "CUDA checks"
  timeout 240 node build/js/scripts/cuda/check.js 2>&1 | tee "$out/check.log" || fail "CUDA checks"
fi

if want peer; then
  stage "Python peer (torch.optim.Adam on CUDA)"
  timeout 120 python3 scripts/cuda/peer_adam.py 2>&1 | tee "$out/peer.log" || fail "Python peer"
fi

if want suites; then
  stage "jest suites through mini-jest (the CUDA suites, then the CPU suites on this libtorch)"
  cp -r __tests__/fixtures build/js/__tests__/
  : >"$out/jest.log"
  for s in ${SUITES:-cuda/fused.cuda cuda/memory.cuda memory core autograd torch-ops torch-nn torch-func
    torch-optim torch-data torch-distributions fuzz accelerated_op torchopt-functional torchopt-optim
    torchopt-nn torchopt-implicit torchopt-zero-order torchopt-visual pytree pytree-errors pytree-registry}; do
    log="$out/suite.log"
    # Diagnostics on the GPU machine: the fuzz calls as they are made, and where the exact
    # Adam pass's calibration differs from this libtorch.
    TORCHOPT_NODE_FUZZ_TRACE=1 TORCHOPT_NODE_DEBUG_EXACT=1 timeout 120 \
      node --expose-gc build/js/scripts/cuda/mini-jest.js "build/js/__tests__/$s.test.js" >"$log" 2>"$out/suite.err"
    rc=$?
    cat "$log" "$out/suite.err" >>"$out/jest.log"
    echo "$s: $(tail -1 "$log")"
    if [ $rc -ne 0 ]; then
      fail "suite $s (exit $rc)"
      grep -E "^  FAIL" "$log" | cut -c1-1500 | head -8
      grep -v "^[0-9]* " "$out/suite.err" | tail -15
      grep "^[0-9]* " "$out/suite.err" | tail -3
    fi
  done
  rm -f "$out/suite.log" "$out/suite.err"
fi

if want example; then
  stage "example: mgrl-gamma (200 iterations)"
  timeout 120 node build/js/examples/mgrl-gamma.js 200 2>&1 | tee "$out/mgrl.log" | tail -4 || fail "mgrl-gamma"
fi

if want dist; then
  stage "todist: distributed-maml with 1 and 2 ranks (store transport, CUDA tensors)"
  for n in 1 2; do
    timeout 120 node bin/torchopt-node-run.js --nproc_per_node "$n" build/js/examples/distributed-maml.js \
      --epochs 1 --batches 2 >"$out/dist-$n.log" 2>&1 || fail "todist with $n ranks"
    echo "$n rank(s):"; tail -4 "$out/dist-$n.log"
  done
fi

stage "done"
echo "$failed stage(s) failed"
exit $((failed > 0))
