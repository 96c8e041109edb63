// The addon's memory settings: libtorch's CPU tensor data through malloc, aligned by
// hand, instead of c10's posix_memalign; and glibc's trim and mmap thresholds.
//
// Why: glibc (2.36) serves posix_memalign from its bins, never from the per-thread
// cache, and splits each chunk, freeing the slack back to the bins. After the GC frees
// tens of thousands of tensors in one burst those bins are long, and every later
// allocation of a small tensor paid for it: `a.add(b); t.dispose()` measured 1.05 us on
// a fresh heap and 1.35 us after a loop that left its results to the GC (mimalloc: 0.97
// either way). A plain malloc of 64 more bytes is served LIFO from the thread cache.
//
// The block's base pointer sits just before the aligned data, so the deleter needs no
// lookup, and the DataPtr's context is the data pointer itself (what libtorch calls a
// "simple" DataPtr: raw_allocate and copy-on-write clones work as with c10's allocator).
#include "core/cpu_allocator.h"

#include <malloc.h>
#include <sys/sysinfo.h>

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/util/Exception.h>
#include <torch/version.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

// libtorch 2.3 made allocate() non-const and copy_data() pure virtual.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
#define TON_ALLOCATE_CONST
#define TON_NEEDS_COPY_DATA 1
#else
#define TON_ALLOCATE_CONST const
#define TON_NEEDS_COPY_DATA 0
#endif

namespace ton {
namespace {

constexpr uintptr_t kAlign = 64;  // c10's gAlignment: vectorised kernels assume it

// RAM plus swap. Where the kernel overcommits without limit (vm.overcommit_memory=1, as
// on many container hosts) malloc grants any size and the first write to the pages
// gets the process killed; a request larger than the machine is refused here instead,
// with c10's message for a failed allocation.
size_t MachineBytes() {
  struct sysinfo si {};
  if (sysinfo(&si) != 0) return SIZE_MAX;
  return (static_cast<size_t>(si.totalram) + static_cast<size_t>(si.totalswap)) * si.mem_unit;
}

void Refuse(size_t n) {
  TORCH_CHECK(false, "DefaultCPUAllocator: can't allocate memory: you tried to allocate ", n, " bytes. Error code 12 (Cannot allocate memory)");
}

void Delete(void* data) {
  if (data != nullptr) std::free(static_cast<void**>(data)[-1]);
}

struct MallocCPUAllocator final : c10::Allocator {
  c10::DataPtr allocate(size_t n) TON_ALLOCATE_CONST override {
    const c10::Device cpu(c10::DeviceType::CPU);
    if (n == 0) return {nullptr, nullptr, &Delete, cpu};
    static const size_t limit = MachineBytes();
    if (n > limit) Refuse(n);
    void* base = std::malloc(n + kAlign + sizeof(void*));
    if (base == nullptr) Refuse(n);
    auto at = (reinterpret_cast<uintptr_t>(base) + sizeof(void*) + kAlign - 1) & ~(kAlign - 1);
    void* data = reinterpret_cast<void*>(at);
    static_cast<void**>(data)[-1] = base;
    return {data, data, &Delete, cpu};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &Delete; }
#if TON_NEEDS_COPY_DATA
  void copy_data(void* dest, const void* src, std::size_t count) const override { std::memcpy(dest, src, count); }
#endif
};

MallocCPUAllocator g_allocator;

}  // namespace

void TuneMemory() {
  const char* env = std::getenv("TORCHOPT_NODE_MALLOC");
  if (env != nullptr && std::strcmp(env, "system") == 0) return;
#ifdef __GLIBC__
  // glibc returns free memory at the top of the heap to the system as soon as 128 KiB
  // are free, and its mmap threshold starts at 128 KiB. Tensors freed by the GC go in
  // bursts of megabytes, so the next step faulted every page back in (an Adam step over
  // 100 x [100,100] measured 2.7-7.7 ms, 2.5-2.9 ms with these settings). Keep up to
  // 256 MiB of free heap and serve blocks up to 32 MiB (glibc's dynamic ceiling) from it.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
  // Priority above the default's (0), so a later registration by libtorch keeps ours.
  c10::SetCPUAllocator(&g_allocator, /*priority=*/1);
}

}  // namespace ton
