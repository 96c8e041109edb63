// The addon's CPU allocator for tensor data (see cpu_allocator.cpp for why).
#pragma once

namespace ton {

// Makes libtorch allocate CPU tensor data through it; TORCHOPT_NODE_MALLOC=system keeps
// c10's default (and glibc's malloc settings).
void InstallCpuAllocator();

}  // namespace ton
