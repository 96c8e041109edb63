// The addon's memory settings: glibc's thresholds and the CPU allocator for tensor data
// (see cpu_allocator.cpp for why).
#pragma once

namespace ton {

// Applies both at load, unless TORCHOPT_NODE_MALLOC=system (libtorch's and glibc's
// defaults then stay).
void TuneMemory();

}  // namespace ton
