// Distributed autograd on top of local autograd (torchopt.distributed.autograd).
//
// Inside `context(fn)`, a remote call whose arguments hold tensors that require grad
// is recorded on the caller as one node of the local graph: a custom autograd Function
// (RemoteCall) whose inputs are the tensors sent that require grad and whose outputs
// are the tensors received that require grad. The worker keeps the graph of the call
// (keyed by context id and call id) until the context ends. RemoteCall's backward sends
// the output gradients to the worker, which runs autograd.grad on its graph and
// answers with the gradients of the tensors it received. So any local computation
// around the calls (slicing, a reducer, a loss) is differentiated by the local engine,
// and the result equals single-process autograd through the same computation.
//
// todist.autograd.backward / grad overlap the remote backward passes with each other
// and with the local one, in three steps (backward is linear in the gradients):
//   1. the gradients of the roots with respect to every recorded remote output (a
//      backward through the local part between them) are sent at once as BACKWARDs;
//   2. the local backward runs with every RemoteCall node answering null, while the
//      workers compute;
//   3. the workers' answers (gradients of the tensors they received) are propagated
//      from those tensors to the leaves, RemoteCall nodes again answering null (a
//      path through two calls is already in the first call's answer).
// A plain `loss.backward()` works too, with one blocking remote backward per node.
import { AsyncLocalStorage } from 'async_hooks';
import * as torch from '../torch';
import { N } from '../native';
import { Tensor, wrap } from '../torch/tensor';
import { Function as AutogradFunction, FunctionCtx } from '../torch/autograd/function';
import { DistributedError } from './errors';
import * as rpc from './rpc';
import { checkKeys } from '../torchopt/kwargs';

type CallRecord = {
  rank: number;
  callId: number;
  ctx: DistAutogradContext;
  what: string;
  received: Tensor[];
  outs: Tensor[];
  ins: Tensor[];
  inDevices: torch.device[];
};

/** A Map keyed by tensors that also finds a key by tensor identity (is_same). */
export class TensorMap<V> extends Map<Tensor, V> {
  private find(t: Tensor): Tensor | undefined {
    if (super.has(t)) return t;
    for (const k of super.keys()) if (k.is_same(t)) return k;
    return undefined;
  }
  override get(t: Tensor): V | undefined {
    const k = this.find(t);
    return k === undefined ? undefined : super.get(k);
  }
  override has(t: Tensor): boolean {
    return this.find(t) !== undefined;
  }
  override set(t: Tensor, v: V): this {
    return super.set(this.find(t) ?? t, v);
  }
}

/** A distributed autograd context (Python's DistAutogradContext). */
export class DistAutogradContext {
  /** @internal */ readonly calls = new Map<number, CallRecord>();
  /** @internal */ readonly workers = new Set<number>();
  /** @internal */ readonly prefetched = new Map<number, number>();
  /** @internal */ readonly grads = new TensorMap<Tensor>();
  /** @internal */ released = false;
  /** @internal While todist.autograd.backward/grad run their local passes. */ deferred = false;
  constructor(readonly id: number) {}
  _context_id(): number {
    return this.id;
  }
}

const current = new AsyncLocalStorage<DistAutogradContext>();
const contexts = new Map<number, DistAutogradContext>();
let nextId = 1;

export function is_available(): boolean {
  return true;
}

/** @internal The context active here (null outside of context()). */
export function current_context(): DistAutogradContext | null {
  const c = current.getStore();
  return c === undefined || c.released ? null : c;
}

/**
 * Python's `with todist.autograd.context() as context_id:`. Runs fn(context_id) in a
 * new context (fn may be async); when it ends, the workers drop the graphs they kept.
 */
export function context<T>(fn: (context_id: number) => T): T {
  const ctx = new DistAutogradContext(nextId++);
  contexts.set(ctx.id, ctx);
  let result: T;
  try {
    result = current.run(ctx, () => fn(ctx.id));
  } catch (e) {
    release(ctx);
    throw e;
  }
  if (rpc.isThenable(result)) {
    return Promise.resolve(result).finally(() => release(ctx)) as T;
  }
  release(ctx);
  return result;
}

function release(ctx: DistAutogradContext): void {
  if (ctx.released) return;
  ctx.released = true;
  contexts.delete(ctx.id);
  if (!rpc.is_initialized() || ctx.workers.size === 0) return;
  try {
    drainPrefetched(ctx);
    for (const w of ctx.workers) rpc.request(w, rpc.Kind.RELEASE, { c: ctx.id });
  } catch {
    /* a broken world: the workers are gone or will fail on their own */
  }
}

function getContext(context_id: number): DistAutogradContext {
  const ctx = contexts.get(context_id);
  if (ctx === undefined) throw new DistributedError(`todist: no distributed autograd context with id ${context_id} (it ended, or was never made)`);
  return ctx;
}

// ---------------------------------------------------------------------------
// The node of a remote call
// ---------------------------------------------------------------------------
class RemoteCall extends AutogradFunction {
  static override forward(ctx: FunctionCtx, rec: CallRecord, ..._inputs: Tensor[]): Tensor[] {
    ctx.rec = rec;
    ctx.set_materialize_grads(false);
    return rec.received;
  }
  static override backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    const rec = ctx.rec as CallRecord;
    if (rec.ctx.deferred) return [null, ...rec.ins.map(() => null)];
    return [null, ...remoteBackward(rec, grads)];
  }
}

function remoteBackward(rec: CallRecord, grads: (Tensor | null)[]): (Tensor | null)[] {
  const present = grads.map((g) => g !== null && g !== undefined);
  if (!present.some((x) => x)) return rec.inDevices.map(() => null);
  const what = `the backward of ${rec.what}`;
  let id = rec.ctx.prefetched.get(rec.callId);
  if (id !== undefined) rec.ctx.prefetched.delete(rec.callId);
  else id = rpc.request(rec.rank, rpc.Kind.BACKWARD, { c: rec.ctx.id, k: rec.callId, g: present }, grads.filter((g): g is Tensor => g !== null && g !== undefined));
  return answeredGrads(rec, rpc.wait_reply(rec.rank, id, what));
}

// A worker's answer to a BACKWARD: the gradient of each tensor sent (null where it
// has none), on that tensor's device.
function answeredGrads(rec: CallRecord, m: rpc.Message): (Tensor | null)[] {
  const flags = m.meta.g as boolean[];
  let k = 0;
  return flags.map((f, i) => {
    if (!f) return null;
    const g = m.tensors[k++];
    const dev = rec.inDevices[i];
    return dev.type === 'cpu' ? g : g.to(dev);
  });
}

/**
 * @internal Connects the tensors received from a call to the tensors sent (rgIns)
 * through one RemoteCall node; returns the received tensors with the linked ones.
 */
export function link_remote(ctx: DistAutogradContext, rank: number, callId: number, what: string, rgIns: Tensor[], received: Tensor[], rg: boolean[]): Tensor[] {
  const idx: number[] = [];
  rg.forEach((f, i) => f && idx.push(i));
  if (idx.length === 0 || rgIns.length === 0) return received;
  const rec: CallRecord = { rank, callId, ctx, what, received: idx.map((i) => received[i]), outs: [], ins: rgIns, inDevices: rgIns.map((t) => t.device) };
  const linked = RemoteCall.apply(rec, ...rgIns) as Tensor[];
  rec.outs = linked;
  rec.received = [];
  ctx.calls.set(callId, rec);
  ctx.workers.add(rank);
  const out = received.slice();
  idx.forEach((i, k) => (out[i] = linked[k]));
  return out;
}

/** @internal Marks a worker as holding state of the context (to release it). */
export function touch_worker(ctx: DistAutogradContext, rank: number): void {
  ctx.workers.add(rank);
}

// Sends every remote backward that `roots` need, before the local backward runs.
function prefetch(ctx: DistAutogradContext, roots: Tensor[]): void {
  const recs = [...ctx.calls.values()].filter((r) => !ctx.prefetched.has(r.callId) && r.outs.length > 0);
  if (recs.length === 0) return;
  const outs = recs.flatMap((r) => r.outs);
  const gs = torch.autograd.grad(roots, outs, { allow_unused: true, retain_graph: true });
  let k = 0;
  for (const r of recs) {
    const g = gs.slice(k, (k += r.outs.length));
    const present = g.map((x) => x !== null);
    if (!present.some((x) => x)) continue;
    const id = rpc.request(r.rank, rpc.Kind.BACKWARD, { c: ctx.id, k: r.callId, g: present }, g.filter((x): x is Tensor => x !== null), rpc.SETTLE_MS);
    ctx.prefetched.set(r.callId, id);
  }
}

function drainPrefetched(ctx: DistAutogradContext): void {
  for (const [callId, id] of [...ctx.prefetched]) {
    ctx.prefetched.delete(callId);
    const rec = ctx.calls.get(callId);
    if (rec === undefined) continue;
    try {
      rpc.wait_reply(rec.rank, id, `the backward of ${rec.what}`);
    } catch {
      /* only emptying the pipe */
    }
  }
}

// Steps 2 and 3 of a distributed backward: the gradients of `targets`.
function distributedGrad(ctx: DistAutogradContext, rs: Tensor[], targets: Tensor[], retain_graph: boolean): (Tensor | null)[] {
  prefetch(ctx, rs);
  if (ctx.prefetched.size === 0) return torch.autograd.grad(rs, targets, { retain_graph, allow_unused: true });
  let local: (Tensor | null)[];
  const ins: Tensor[] = [];
  const gins: Tensor[] = [];
  ctx.deferred = true;
  try {
    local = torch.autograd.grad(rs, targets, { retain_graph: true, allow_unused: true });
    // The workers' answers, summed per tensor sent (the same tensors go to every worker).
    const acc = new Map<Tensor, Tensor>();
    for (const [callId, id] of [...ctx.prefetched]) {
      ctx.prefetched.delete(callId);
      const rec = ctx.calls.get(callId) as CallRecord;
      answeredGrads(rec, rpc.wait_reply(rec.rank, id, `the backward of ${rec.what}`)).forEach((g, i) => {
        if (g === null) return;
        const t = rec.ins[i];
        const prev = acc.get(t);
        acc.set(t, prev === undefined ? g : prev.add(g));
      });
    }
    for (const [t, g] of acc) {
      ins.push(t);
      gins.push(g);
    }
    if (ins.length === 0) return local;
    const remote = torch.autograd.grad(ins, targets, { grad_outputs: gins, retain_graph, allow_unused: true });
    return local.map((g, i) => (g === null ? remote[i] : remote[i] === null ? g : g.add(remote[i] as Tensor)));
  } finally {
    ctx.deferred = false;
    drainPrefetched(ctx);
  }
}

function roots(tensors: Tensor | readonly Tensor[], what: string): Tensor[] {
  const ts = tensors instanceof Tensor ? [tensors] : [...tensors];
  for (const t of ts) {
    if (!(t instanceof Tensor)) throw new TypeError(`todist.autograd.${what}: expected tensors`);
    if (t.numel() !== 1) throw new RangeError(`todist.autograd.${what}: the roots must be scalars (got a tensor of shape [${t.shape.join(', ')}])`);
  }
  return ts;
}

// The leaves (tensors with AccumulateGrad nodes) that the roots depend on.
function leavesOf(rs: Tensor[]): Tensor[] {
  return (N.dist_graph_leaves(rs.map((t) => t._h)) as unknown[]).map((h) => wrap(h as never));
}

/**
 * Python's todist.autograd.backward(context_id, tensors, retain_graph=False, inputs=None):
 * backpropagates from scalar roots through local and remote parts, records the
 * gradients in the context (get_gradients) and accumulates them into the leaves' .grad.
 */
export function backward(context_id: number, tensors: Tensor | readonly Tensor[], opts: { retain_graph?: boolean; inputs?: Tensor | readonly Tensor[] | null } = {}): void {
  checkKeys('backward', opts, ['retain_graph', 'inputs']);
  const ctx = getContext(context_id);
  const rs = roots(tensors, 'backward');
  const leaves = opts.inputs === undefined || opts.inputs === null ? leavesOf(rs) : opts.inputs instanceof Tensor ? [opts.inputs] : [...opts.inputs];
  if (leaves.length === 0) return;
  const grads = distributedGrad(ctx, rs, leaves, opts.retain_graph ?? false);
  torch.no_grad(() => {
    leaves.forEach((p, i) => {
      const g = grads[i];
      if (g === null) return;
      const prev = ctx.grads.get(p);
      ctx.grads.set(p, prev === undefined ? g : prev.add(g));
      p.grad = p.grad === null ? g.clone() : p.grad.add(g);
    });
  });
}

/**
 * Python's todist.autograd.grad(context_id, outputs, inputs, retain_graph=False,
 * allow_unused=False): the gradients of scalar outputs with respect to inputs, through
 * local and remote parts (no higher order through remote calls).
 */
export function grad(
  context_id: number,
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  opts: { retain_graph?: boolean; allow_unused?: boolean } = {},
): (Tensor | null)[] {
  checkKeys('grad', opts, ['retain_graph', 'allow_unused']);
  const ctx = getContext(context_id);
  const rs = roots(outputs, 'grad');
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  const grads = distributedGrad(ctx, rs, ins, opts.retain_graph ?? false);
  grads.forEach((g, i) => {
    if (g === null && !opts.allow_unused) {
      throw new RangeError(`todist.autograd.grad: input ${i} was not used in the graph (pass allow_unused: true to get null)`);
    }
    if (g !== null) {
      const prev = ctx.grads.get(ins[i]);
      ctx.grads.set(ins[i], prev === undefined ? g : prev.add(g));
    }
  });
  return grads;
}

/** The gradients recorded in a context: a Map from leaf tensor to gradient. */
export function get_gradients(context_id: number): TensorMap<Tensor> {
  return getContext(context_id).grads;
}
