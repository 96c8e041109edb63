// todist's native side: PyTorch's c10d reached from the addon.
//
// One world per process (like torch.distributed's default group): a c10d::TCPStore for
// the rendezvous and a transport for messages between ranks:
//   - "gloo": c10d::ProcessGroupGloo point-to-point send/recv (TON_WITH_GLOO: the
//     libtorch has ProcessGroupGloo.hpp and gloo's headers were found);
//   - "store": messages as keys of the TCPStore (any libtorch with c10d, e.g. pip torch,
//     which ships no gloo headers). Slower (every message goes through rank 0's store).
// A message is (kind, id, meta string, tensors). The tensors are packed with the meta
// into one byte buffer: a fixed 512-byte header carries small payloads inline (one
// send), larger ones follow as a second send of the exact size. What the kinds and the
// meta mean is lib/distributed's business (protocol.ts); this file only moves bytes.
//
// Sends are asynchronous (the Work is kept until complete), so a rank never blocks on a
// peer that is not receiving; receives block with a timeout (recv) or run on the libuv
// thread pool and resolve a Promise (recv_async). Tensors travel through CPU memory:
// CUDA tensors are copied to the host by the sender and arrive on the CPU.
#include "core/binding.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/accumulate_grad.h>
#include <torch/csrc/autograd/variable.h>

#include <unordered_set>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

#if defined(TON_WITH_C10D) || defined(TON_WITH_GLOO)
#define TON_DIST 1
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#ifdef TON_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif

namespace ton {
namespace {

using ms = std::chrono::milliseconds;
// "No timeout" for the c10d calls that take one: a year.
const ms kForever(24LL * 3600 * 1000 * 365);

constexpr int64_t kMagic = 0x31444e4f54LL;  // "TOND1"
constexpr size_t kHeaderWords = 64;
constexpr size_t kHeaderBytes = kHeaderWords * sizeof(int64_t);
constexpr size_t kInlineOffset = 8 * sizeof(int64_t);
constexpr size_t kInlineBytes = kHeaderBytes - kInlineOffset;

struct Message {
  int64_t kind = 0;
  int64_t id = 0;
  std::string meta;
  std::vector<at::Tensor> tensors;
};

// ---------------------------------------------------------------------------
// Packing: [u32 metaLen][meta][u32 n][per tensor: i8 dtype, u8 ndim, 6 pad, i64 shape...]
// [pad to 16][data of each tensor, each padded to 16].
// ---------------------------------------------------------------------------
size_t Align16(size_t n) { return (n + 15) & ~size_t(15); }

std::vector<at::Tensor> HostTensors(const std::vector<at::Tensor>& ts) {
  std::vector<at::Tensor> out;
  out.reserve(ts.size());
  c10::NoGradGuard no_grad;
  for (const at::Tensor& t : ts) {
    at::Tensor h = t.detach();
    if (h.is_sparse()) ThrowType("todist: sparse tensors cannot be sent");
    if (!h.device().is_cpu()) h = h.to(at::kCPU);
    out.push_back(h.contiguous());
  }
  return out;
}

size_t PackedSize(const std::string& meta, const std::vector<at::Tensor>& host) {
  size_t n = 4 + meta.size() + 4;
  for (const at::Tensor& t : host) n += 8 + 8 * static_cast<size_t>(t.dim());
  n = Align16(n);
  for (const at::Tensor& t : host) n += Align16(t.numel() * t.element_size());
  return n;
}

void Pack(uint8_t* out, const std::string& meta, const std::vector<at::Tensor>& host) {
  uint8_t* p = out;
  auto put32 = [&](uint32_t v) { std::memcpy(p, &v, 4); p += 4; };
  put32(static_cast<uint32_t>(meta.size()));
  std::memcpy(p, meta.data(), meta.size());
  p += meta.size();
  put32(static_cast<uint32_t>(host.size()));
  for (const at::Tensor& t : host) {
    int8_t dt = static_cast<int8_t>(t.scalar_type());
    uint8_t nd = static_cast<uint8_t>(t.dim());
    uint8_t rec[8] = {static_cast<uint8_t>(dt), nd, 0, 0, 0, 0, 0, 0};
    std::memcpy(p, rec, 8);
    p += 8;
    for (int64_t s : t.sizes()) {
      std::memcpy(p, &s, 8);
      p += 8;
    }
  }
  p = out + Align16(static_cast<size_t>(p - out));
  for (const at::Tensor& t : host) {
    size_t nb = t.numel() * t.element_size();
    if (nb) std::memcpy(p, t.data_ptr(), nb);
    p += Align16(nb);
  }
}

void Unpack(const uint8_t* in, size_t len, Message& m) {
  const uint8_t* p = in;
  const uint8_t* end = in + len;
  auto need = [&](size_t n) {
    if (static_cast<size_t>(end - p) < n) throw std::runtime_error("todist: a malformed message was received");
  };
  auto get32 = [&]() { need(4); uint32_t v; std::memcpy(&v, p, 4); p += 4; return v; };
  uint32_t ml = get32();
  need(ml);
  m.meta.assign(reinterpret_cast<const char*>(p), ml);
  p += ml;
  uint32_t n = get32();
  std::vector<std::pair<at::ScalarType, std::vector<int64_t>>> specs;
  specs.reserve(n);
  for (uint32_t k = 0; k < n; ++k) {
    need(8);
    auto dt = static_cast<at::ScalarType>(static_cast<int8_t>(p[0]));
    uint8_t nd = p[1];
    p += 8;
    need(8 * static_cast<size_t>(nd));
    std::vector<int64_t> shape(nd);
    for (uint8_t d = 0; d < nd; ++d) {
      std::memcpy(&shape[d], p, 8);
      p += 8;
    }
    specs.emplace_back(dt, std::move(shape));
  }
  p = in + Align16(static_cast<size_t>(p - in));
  m.tensors.clear();
  m.tensors.reserve(n);
  for (auto& s : specs) {
    at::Tensor t = at::empty(s.second, at::TensorOptions().dtype(s.first));
    size_t nb = t.numel() * t.element_size();
    need(nb);
    if (nb) std::memcpy(t.data_ptr(), p, nb);
    p += std::min(Align16(nb), static_cast<size_t>(end - p));
    m.tensors.push_back(std::move(t));
  }
}

// The header of every message, as a 512-byte CPU tensor.
at::Tensor MakeHeader(int64_t kind, int64_t id, size_t payload, bool inline_) {
  at::Tensor h = at::zeros({static_cast<int64_t>(kHeaderWords)}, at::kLong);
  int64_t* w = h.data_ptr<int64_t>();
  w[0] = kMagic;
  w[1] = kind;
  w[2] = id;
  w[3] = static_cast<int64_t>(payload);
  w[4] = inline_ ? 1 : 0;
  return h;
}

#ifdef TON_DIST
// ---------------------------------------------------------------------------
// Transports
// ---------------------------------------------------------------------------
class Transport {
 public:
  virtual ~Transport() = default;
  // Queues a message (header tensor, optional payload tensor) to `dst`; then waits up
  // to `settle` for it to leave (see GlooTransport::Send).
  virtual void Send(int dst, int tag, at::Tensor header, at::Tensor payload, ms settle) = 0;
  // Receives the header of the next message from src on tag, then its payload
  // (nbytes known from the header). Throws on timeout or a broken connection.
  virtual at::Tensor RecvHeader(int src, int tag, ms timeout) = 0;
  virtual at::Tensor RecvPayload(int src, int tag, size_t nbytes, ms timeout) = 0;
  // Waits for queued sends (best effort, bounded by timeout).
  virtual void Flush(ms timeout) = 0;
  virtual const char* Name() const = 0;
};

#ifdef TON_WITH_GLOO
class GlooTransport : public Transport {
 public:
  GlooTransport(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size, const std::string& master, ms timeout)
      : st_(std::make_shared<SendQueue>()) {
    auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
    opts->devices.push_back(MakeDevice(master));
    opts->threads = 1;
    pg_ = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, opts);
    st_->pg = pg_;
    std::shared_ptr<SendQueue> st = st_;
    reaper_ = std::thread([st] { st->Run(); });
  }
  ~GlooTransport() override {
    bool idle = st_->WaitIdle(ms(2000));
    {
      std::lock_guard<std::mutex> lock(st_->mu);
      st_->stop = true;
    }
    st_->cv.notify_all();
    // A send to a peer that never receives keeps the reaper waiting: leave it (with
    // the process group it holds) rather than block the exit.
    if (idle) reaper_.join();
    else reaper_.detach();
  }

  // Gloo moves a message on its own thread after a handshake with the receiver; a
  // send is complete only once someone waits for its Work. A reaper thread waits for
  // every send in order (so their tensors live until sent, and failures surface on the
  // receives). When the sender goes on computing right away (rank 0 after sending
  // requests, before its own partition), Gloo's thread competes for the cores with the
  // computations on both sides and the message can arrive many milliseconds late. So a
  // sender may wait until its message has left or `settle` has passed; a peer that is
  // not receiving costs at most `settle`, and nothing can deadlock.
  void Send(int dst, int tag, at::Tensor header, at::Tensor payload, ms settle) override {
    int64_t last;
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::vector<at::Tensor> h{header};
      last = st_->Push(pg_->send(h, dst, tag), header);
      if (payload.defined()) {
        std::vector<at::Tensor> p{payload};
        last = st_->Push(pg_->send(p, dst, tag), payload);
      }
    }
    if (settle.count() > 0) st_->WaitDone(last, settle);
  }
  at::Tensor RecvHeader(int src, int tag, ms timeout) override {
    at::Tensor h = at::empty({static_cast<int64_t>(kHeaderWords)}, at::kLong);
    Recv(h, src, tag, timeout);
    return h;
  }
  at::Tensor RecvPayload(int src, int tag, size_t nbytes, ms timeout) override {
    at::Tensor p = at::empty({static_cast<int64_t>(nbytes)}, at::kByte);
    Recv(p, src, tag, timeout);
    return p;
  }
  void Flush(ms timeout) override { st_->WaitIdle(timeout); }
  const char* Name() const override { return "gloo"; }

 private:
  struct SendQueue {
    std::mutex mu;
    std::condition_variable cv;       // new work or stop
    std::condition_variable done_cv;  // a send completed
    std::deque<std::pair<c10::intrusive_ptr<c10d::Work>, at::Tensor>> queue;
    int64_t pushed = 0;
    int64_t done = 0;
    bool stop = false;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> pg;

    int64_t Push(c10::intrusive_ptr<c10d::Work> w, at::Tensor keep) {
      int64_t n;
      {
        std::lock_guard<std::mutex> lock(mu);
        queue.emplace_back(std::move(w), std::move(keep));
        n = ++pushed;
      }
      cv.notify_one();
      return n;
    }
    void WaitDone(int64_t n, ms timeout) {
      std::unique_lock<std::mutex> lock(mu);
      done_cv.wait_for(lock, timeout, [&] { return done >= n; });
    }
    bool WaitIdle(ms timeout) {
      std::unique_lock<std::mutex> lock(mu);
      return done_cv.wait_for(lock, timeout, [&] { return done >= pushed; });
    }
    void Run() {
      for (;;) {
        std::pair<c10::intrusive_ptr<c10d::Work>, at::Tensor> item;
        {
          std::unique_lock<std::mutex> lock(mu);
          cv.wait(lock, [&] { return stop || !queue.empty(); });
          if (queue.empty()) return;
          item = std::move(queue.front());
          queue.pop_front();
        }
        try {
          item.first->wait(kForever);
        } catch (...) {
          // The peer is gone: the receive waiting for its answer reports it.
        }
        item.first.reset();
        item.second.reset();
        {
          std::lock_guard<std::mutex> lock(mu);
          ++done;
        }
        done_cv.notify_all();
      }
    }
  };

  static std::shared_ptr<::gloo::transport::Device> MakeDevice(const std::string& master) {
    if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME")) {
      return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
    }
    if (master == "localhost" || master.rfind("127.", 0) == 0 || master == "::1") {
      return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    }
    return c10d::ProcessGroupGloo::createDefaultDevice();
  }

  void Recv(at::Tensor& t, int src, int tag, ms timeout) {
    std::vector<at::Tensor> v{t};
    c10::intrusive_ptr<c10d::Work> w;
    {
      std::lock_guard<std::mutex> lock(mu_);
      w = pg_->recv(v, src, tag);
    }
    w->wait(timeout);
  }

  c10::intrusive_ptr<c10d::ProcessGroupGloo> pg_;
  std::mutex mu_;
  std::shared_ptr<SendQueue> st_;
  std::thread reaper_;
};
#endif  // TON_WITH_GLOO

// Messages as store keys "ton/m/<src>/<dst>/<tag>/<seq>". TCPStore clients serialise
// their operations, and a receive blocks its client, so each thread that receives has
// its own client (connected lazily).
class StoreTransport : public Transport {
 public:
  StoreTransport(c10::intrusive_ptr<c10d::TCPStore> store, std::string host, int port, int rank, ms timeout)
      : main_(std::move(store)), host_(std::move(host)), port_(port), rank_(rank), timeout_(timeout) {}

  void Send(int dst, int tag, at::Tensor header, at::Tensor payload, ms) override {
    std::vector<uint8_t> bytes(kHeaderBytes + (payload.defined() ? payload.numel() : 0));
    std::memcpy(bytes.data(), header.data_ptr(), kHeaderBytes);
    if (payload.defined() && payload.numel()) std::memcpy(bytes.data() + kHeaderBytes, payload.data_ptr(), payload.numel());
    std::string key;
    {
      std::lock_guard<std::mutex> lock(mu_);
      key = Key(rank_, dst, tag, send_seq_[{dst, tag}]++);
    }
    std::lock_guard<std::mutex> lock(send_mu_);
    main_->set(key, bytes);
  }
  at::Tensor RecvHeader(int src, int tag, ms timeout) override {
    std::string key;
    {
      std::lock_guard<std::mutex> lock(mu_);
      key = Key(src, rank_, tag, recv_seq_[{src, tag}]++);
    }
    c10d::Store& s = Client();
    s.wait({key}, timeout);
    std::vector<uint8_t> bytes = s.get(key);
    s.deleteKey(key);
    if (bytes.size() < kHeaderBytes) throw std::runtime_error("todist: a malformed message was received");
    at::Tensor h = at::empty({static_cast<int64_t>(kHeaderWords)}, at::kLong);
    std::memcpy(h.data_ptr(), bytes.data(), kHeaderBytes);
    std::lock_guard<std::mutex> lock(mu_);
    rest_[{src, tag}] = std::vector<uint8_t>(bytes.begin() + kHeaderBytes, bytes.end());
    return h;
  }
  at::Tensor RecvPayload(int src, int tag, size_t nbytes, ms) override {
    std::vector<uint8_t> rest;
    {
      std::lock_guard<std::mutex> lock(mu_);
      rest.swap(rest_[{src, tag}]);
    }
    if (rest.size() != nbytes) throw std::runtime_error("todist: a malformed message was received");
    at::Tensor p = at::empty({static_cast<int64_t>(nbytes)}, at::kByte);
    if (nbytes) std::memcpy(p.data_ptr(), rest.data(), nbytes);
    return p;
  }
  void Flush(ms) override {}
  const char* Name() const override { return "store"; }

 private:
  static std::string Key(int src, int dst, int tag, int64_t seq) {
    return "ton/m/" + std::to_string(src) + "/" + std::to_string(dst) + "/" + std::to_string(tag) + "/" + std::to_string(seq);
  }
  c10d::Store& Client() {
    std::lock_guard<std::mutex> lock(mu_);
    auto id = std::this_thread::get_id();
    auto it = clients_.find(id);
    if (it != clients_.end()) return *it->second;
    c10d::TCPStoreOptions o;
    o.port = static_cast<std::uint16_t>(port_);
    o.isServer = false;
    o.waitWorkers = false;
    o.timeout = timeout_;
    auto c = c10::make_intrusive<c10d::TCPStore>(host_, o);
    c10d::Store& ref = *c;
    clients_.emplace(id, std::move(c));
    return ref;
  }

  c10::intrusive_ptr<c10d::TCPStore> main_;
  std::string host_;
  int port_;
  int rank_;
  ms timeout_;
  std::mutex mu_, send_mu_;
  std::map<std::pair<int, int>, int64_t> send_seq_, recv_seq_;
  std::map<std::pair<int, int>, std::vector<uint8_t>> rest_;
  std::map<std::thread::id, c10::intrusive_ptr<c10d::TCPStore>> clients_;
};

// ---------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------
struct World {
  int rank = -1;
  int size = 0;
  c10::intrusive_ptr<c10d::TCPStore> store;
  std::shared_ptr<Transport> transport;
};
std::mutex g_world_mu;
std::shared_ptr<World> g_world;

std::shared_ptr<World> GetWorld() {
  std::lock_guard<std::mutex> lock(g_world_mu);
  if (!g_world) throw JsError{JsError::kError, "todist: the process group is not initialized (call todist.init_process_group or auto_init_rpc first)"};
  return g_world;
}

ms Timeout(double millis) {
  if (!(millis > 0)) return kForever;
  return ms(static_cast<int64_t>(millis));
}

std::string BackendAvailable() {
#ifdef TON_WITH_GLOO
  return "gloo";
#else
  return "store";
#endif
}

void Init(const std::string& addr, int64_t port, int64_t rank, int64_t size, double timeout_ms, const std::string& backend) {
  {
    std::lock_guard<std::mutex> lock(g_world_mu);
    if (g_world) ThrowType("todist: the process group is already initialized");
  }
  if (size < 1 || rank < 0 || rank >= size) ThrowRange("todist: invalid rank " + std::to_string(rank) + " for world size " + std::to_string(size));
  std::string be = backend.empty() ? BackendAvailable() : backend;
#ifndef TON_WITH_GLOO
  if (be == "gloo") ThrowType("todist: this build of the addon has no Gloo (its libtorch ships no gloo headers); use backend 'store'");
#endif
  if (be != "gloo" && be != "store") ThrowType("todist: unknown backend '" + be + "' (gloo or store)");
  auto w = std::make_shared<World>();
  w->rank = static_cast<int>(rank);
  w->size = static_cast<int>(size);
  ms timeout = Timeout(timeout_ms);
  c10d::TCPStoreOptions o;
  o.port = static_cast<std::uint16_t>(port);
  o.isServer = rank == 0;
  o.waitWorkers = false;
  o.timeout = timeout;
  const std::string where = addr + ":" + std::to_string(port);
  try {
    w->store = c10::make_intrusive<c10d::TCPStore>(addr, o);
  } catch (const std::exception& e) {
    throw std::runtime_error("todist: rank " + std::to_string(rank) + " of " + std::to_string(size) + " could not reach the rendezvous store at " +
                             where + " within " + std::to_string(timeout.count()) + " ms (timed out): " + e.what());
  }
  // Every rank counts itself in; the last one opens the door.
  try {
    if (w->store->add("ton/joined", 1) == size) w->store->set("ton/ready", std::vector<uint8_t>{1});
    w->store->wait({"ton/ready"}, timeout);
  } catch (const std::exception& e) {
    int64_t joined = -1;
    try {
      joined = w->store->add("ton/joined", 0);
    } catch (...) {
    }
    throw std::runtime_error("todist: rendezvous at " + where + " timed out after " + std::to_string(timeout.count()) + " ms: " +
                             (joined >= 0 ? std::to_string(joined) : std::string("not all")) + " of " + std::to_string(size) +
                             " ranks joined (rank " + std::to_string(rank) + " waited)");
  }
  // Gloo's context timeout bounds its rendezvous (connecting the mesh). Every receive
  // passes its own timeout (an idle worker waits "forever").
  try {
#ifdef TON_WITH_GLOO
    if (be == "gloo") {
      // Gloo connects its full mesh in the constructor, bounded by the store's timeout.
      w->store->setTimeout(timeout);
      w->transport = std::make_shared<GlooTransport>(w->store, w->rank, w->size, addr, timeout);
    }
#endif
    if (be == "store") w->transport = std::make_shared<StoreTransport>(w->store, addr, static_cast<int>(port), w->rank, kForever);
  } catch (const std::exception& e) {
    throw std::runtime_error("todist: connecting the " + be + " process group failed for rank " + std::to_string(rank) + " of " +
                             std::to_string(size) + " within " + std::to_string(timeout.count()) + " ms: " + e.what());
  }
  w->store->setTimeout(kForever);
  std::lock_guard<std::mutex> lock(g_world_mu);
  g_world = std::move(w);
}

void Destroy(double flush_ms) {
  std::shared_ptr<World> w;
  {
    std::lock_guard<std::mutex> lock(g_world_mu);
    w.swap(g_world);
  }
  if (!w) return;
  if (w->transport) w->transport->Flush(Timeout(flush_ms));
}

void SendMessage(int dst, int tag, int64_t kind, int64_t id, const std::string& meta, const std::vector<at::Tensor>& tensors, ms settle) {
  auto w = GetWorld();
  if (dst < 0 || dst >= w->size || dst == w->rank) ThrowRange("todist: cannot send to rank " + std::to_string(dst));
  std::vector<at::Tensor> host = HostTensors(tensors);
  size_t n = PackedSize(meta, host);
  if (n <= kInlineBytes) {
    at::Tensor h = MakeHeader(kind, id, n, true);
    Pack(reinterpret_cast<uint8_t*>(h.data_ptr()) + kInlineOffset, meta, host);
    w->transport->Send(dst, tag, h, at::Tensor(), settle);
  } else {
    at::Tensor h = MakeHeader(kind, id, n, false);
    at::Tensor p = at::empty({static_cast<int64_t>(n)}, at::kByte);
    Pack(p.data_ptr<uint8_t>(), meta, host);
    w->transport->Send(dst, tag, h, p, settle);
  }
}

// Runs on any thread.
Message RecvMessage(const std::shared_ptr<World>& w, int src, int tag, ms timeout) {
  auto start = std::chrono::steady_clock::now();
  at::Tensor h = w->transport->RecvHeader(src, tag, timeout);
  const int64_t* hw = h.data_ptr<int64_t>();
  if (hw[0] != kMagic) throw std::runtime_error("todist: a message with a bad header was received from rank " + std::to_string(src));
  Message m;
  m.kind = hw[1];
  m.id = hw[2];
  size_t n = static_cast<size_t>(hw[3]);
  if (hw[4]) {
    Unpack(reinterpret_cast<const uint8_t*>(hw) + kInlineOffset, n, m);
  } else {
    auto left = timeout - std::chrono::duration_cast<ms>(std::chrono::steady_clock::now() - start);
    if (left.count() < 1000) left = ms(1000);
    at::Tensor p = w->transport->RecvPayload(src, tag, n, left);
    Unpack(p.data_ptr<uint8_t>(), n, m);
  }
  return m;
}

napi_value MessageToJS(napi_env env, Message&& m) {
  napi_value obj;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "kind", ToJS(env, m.kind));
  napi_set_named_property(env, obj, "id", ToJS(env, m.id));
  napi_set_named_property(env, obj, "meta", ToJS(env, m.meta));
  napi_set_named_property(env, obj, "tensors", ToJS(env, std::move(m.tensors)));
  return obj;
}

// recv_async: the receive runs on the libuv pool; the Promise settles on the JS thread.
struct RecvJob {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  std::shared_ptr<World> world;
  int src = 0, tag = 0;
  ms timeout{0};
  Message msg;
  std::string error;
};

void RecvExecute(napi_env, void* data) {
  auto* job = static_cast<RecvJob*>(data);
  try {
    job->msg = RecvMessage(job->world, job->src, job->tag, job->timeout);
  } catch (const c10::Error& e) {
    job->error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    job->error = e.what();
  } catch (...) {
    job->error = "todist: unknown error in a receive";
  }
}

void RecvComplete(napi_env env, napi_status, void* data) {
  std::unique_ptr<RecvJob> job(static_cast<RecvJob*>(data));
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  if (job->error.empty()) {
    napi_resolve_deferred(env, job->deferred, MessageToJS(env, std::move(job->msg)));
  } else {
    napi_value msg, err;
    napi_create_string_utf8(env, job->error.data(), job->error.size(), &msg);
    napi_create_error(env, nullptr, msg, &err);
    napi_reject_deferred(env, job->deferred, err);
  }
  napi_delete_async_work(env, job->work);
  napi_close_handle_scope(env, scope);
}

napi_value RecvAsync(napi_env env, napi_callback_info info) {
  return Guard<3>(env, info, "dist_recv_async", [&](napi_value* argv) -> napi_value {
    auto job = std::make_unique<RecvJob>();
    job->world = GetWorld();
    job->src = static_cast<int>(GetInt(env, argv[0], 0));
    job->tag = static_cast<int>(GetInt(env, argv[1], 1));
    job->timeout = Timeout(GetDouble(env, argv[2], 2));
    napi_value promise, name;
    Check(env, napi_create_promise(env, &job->deferred, &promise));
    napi_create_string_utf8(env, "todist.recv", NAPI_AUTO_LENGTH, &name);
    Check(env, napi_create_async_work(env, nullptr, name, RecvExecute, RecvComplete, job.get(), &job->work));
    Check(env, napi_queue_async_work(env, job->work));
    job.release();
    return promise;
  });
}
#endif  // TON_DIST

// With the launcher (torchopt-node-run), a rank dies with its launcher even when the
// launcher is killed by SIGKILL: no orphan ranks.
bool SetParentDeathSignal(int64_t expected_parent) {
#ifdef __linux__
  if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) return false;
  // The parent may have died before the call: then we were re-parented.
  if (expected_parent > 0 && getppid() != static_cast<pid_t>(expected_parent)) raise(SIGTERM);
  return true;
#else
  (void)expected_parent;
  return false;
#endif
}

#ifdef TON_DIST
std::string StoreGetString(const std::string& key, double timeout_ms) {
  auto w = GetWorld();
  if (timeout_ms > 0) w->store->wait({key}, Timeout(timeout_ms));
  auto v = w->store->get(key);
  return std::string(v.begin(), v.end());
}
#endif

// The leaves (tensors of AccumulateGrad nodes) that the roots' graphs reach, each once:
// what todist.autograd.backward accumulates into. (Walking the graph from JS costs a
// Node-API call per node; MAML graphs have thousands.)
std::vector<at::Tensor> GraphLeaves(const std::vector<at::Tensor>& roots) {
  std::vector<at::Tensor> out;
  std::unordered_set<torch::autograd::Node*> seen;
  std::unordered_set<c10::TensorImpl*> leaves;
  std::vector<torch::autograd::Node*> stack;
  for (const at::Tensor& r : roots) {
    const auto& fn = r.grad_fn();
    if (fn) {
      stack.push_back(fn.get());
    } else if (r.requires_grad() && leaves.insert(r.unsafeGetTensorImpl()).second) {
      out.push_back(r);
    }
  }
  while (!stack.empty()) {
    torch::autograd::Node* n = stack.back();
    stack.pop_back();
    if (!seen.insert(n).second) continue;
    if (auto* acc = dynamic_cast<torch::autograd::AccumulateGrad*>(n)) {
      const at::Tensor& v = acc->variable;
      if (v.defined() && leaves.insert(v.unsafeGetTensorImpl()).second) out.push_back(v);
      continue;
    }
    for (const auto& e : n->next_edges()) {
      if (e.function && !seen.count(e.function.get())) stack.push_back(e.function.get());
    }
  }
  return out;
}

Register reg{
    TON_OP(dist_graph_leaves, [](const std::vector<at::Tensor>& roots) { return GraphLeaves(roots); }),
#ifdef TON_DIST
    TON_OP(dist_backends, []() -> std::string { return BackendAvailable(); }),
    TON_OP(dist_init, [](const std::string& addr, int64_t port, int64_t rank, int64_t size, double timeout_ms, const std::string& backend) {
      Init(addr, port, rank, size, timeout_ms, backend);
    }),
    TON_OP(dist_backend, []() -> std::string {
      std::lock_guard<std::mutex> lock(g_world_mu);
      return g_world ? g_world->transport->Name() : "";
    }),
    TON_OP(dist_destroy, [](double flush_ms) { Destroy(flush_ms); }),
    TON_OP(dist_send, [](int64_t dst, int64_t tag, int64_t kind, int64_t id, const std::string& meta, const std::vector<at::Tensor>& tensors, double settle_ms) {
      SendMessage(static_cast<int>(dst), static_cast<int>(tag), kind, id, meta, tensors, ms(static_cast<int64_t>(settle_ms > 0 ? settle_ms : 0)));
    }),
    TON_FN(dist_recv, [](napi_env env, napi_callback_info info) -> napi_value {
      return Guard<3>(env, info, "dist_recv", [&](napi_value* argv) -> napi_value {
        int src = static_cast<int>(GetInt(env, argv[0], 0));
        int tag = static_cast<int>(GetInt(env, argv[1], 1));
        ms timeout = Timeout(GetDouble(env, argv[2], 2));
        return MessageToJS(env, RecvMessage(GetWorld(), src, tag, timeout));
      });
    }),
    TON_FN(dist_recv_async, RecvAsync),
    TON_OP(dist_store_set, [](const std::string& key, const std::string& value) {
      GetWorld()->store->set(key, std::vector<uint8_t>(value.begin(), value.end()));
    }),
    TON_OP(dist_store_get, [](const std::string& key, double timeout_ms) -> std::string { return StoreGetString(key, timeout_ms); }),
    TON_OP(dist_store_add, [](const std::string& key, int64_t delta) -> int64_t { return GetWorld()->store->add(key, delta); }),
#else
    TON_OP(dist_backends, []() -> std::string { return ""; }),
#endif
    TON_OP(dist_set_pdeathsig, [](int64_t parent) -> bool { return SetParentDeathSignal(parent); }),
};

}  // namespace
}  // namespace ton
