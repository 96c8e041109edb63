// The message layer of todist and the worker loop.
//
// Rank 0 drives: it sends requests (CALL, BACKWARD, RELEASE, BARRIER, SHUTDOWN) to the
// other ranks on tag 0, and each request with an id gets its reply on a tag of its
// own (1 + id mod 1e9), so replies may arrive in any order and be awaited on any
// thread. Every other rank serves requests in order, in a loop (serve(), barrier()),
// and replies to rank 0. Sends never block (the addon queues them), so no pair of
// ranks can wait on each other's sends; receives block with a timeout, or run off the
// JS thread and resolve a Promise.
//
// Faults: a remote function that throws is answered with an ERR reply (RemoteError on
// rank 0, the worker goes on); a rank that dies closes its connections, and the
// receive waiting for it fails at once (DistributedError naming the rank); a rank that
// does not answer makes the receive time out (DistributedTimeoutError). After a lost
// connection or a timeout the world is broken: later operations fail at once with the
// first error (c10d's Gloo cannot recover a timed-out context either).
import { N } from '../native';
import * as torch from '../torch';
import { Tensor, wrap } from '../torch/tensor';
import { DistributedError, DistributedTimeoutError, RemoteError } from './errors';
import { lookup_function } from './registry';
import { Encoder, decode } from './serialize';
import { get_world_info } from './world';
import { checkKeys } from '../torchopt/kwargs';

export const enum Kind {
  CALL = 1,
  OK = 2,
  ERR = 3,
  BACKWARD = 4,
  RELEASE = 5,
  BARRIER = 6,
  SHUTDOWN = 7,
}
const REQ_TAG = 0;
const replyTag = (id: number) => 1 + (id % 1_000_000_000);

export type Message = { kind: number; id: number; meta: Record<string, unknown>; tensors: Tensor[]; src: number };
type RawMessage = { kind: number; id: number; meta: string; tensors: unknown[] };

export type InitOptions = {
  /** 'gloo' (c10d's ProcessGroupGloo; the default where the addon has it) or 'store' (messages through the TCPStore). */
  backend?: string;
  master_addr?: string;
  master_port?: number;
  rank?: number;
  world_size?: number;
  /** Milliseconds for the rendezvous (default 60 s). */
  init_timeout?: number;
  /** Default milliseconds for a call, a backward and a barrier (default 30 min, or TORCHOPT_NODE_DIST_TIMEOUT). */
  timeout?: number;
};

type State = {
  rank: number;
  size: number;
  timeout: number;
  backend: string;
  broken: Error | null;
  seq: number;
};
let state: State | null = null;

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RangeError(`todist: ${name} must be a number, got '${v}'`);
  return n;
}

/** The default timeout in milliseconds: TORCHOPT_NODE_DIST_TIMEOUT (seconds) or 30 minutes. */
export function default_timeout(): number {
  const s = envNumber('TORCHOPT_NODE_DIST_TIMEOUT');
  return s !== undefined ? s * 1000 : 30 * 60 * 1000;
}

/** Whether this addon can run todist across processes (it was built with c10d). */
export function is_available(): boolean {
  return typeof N.dist_init === 'function' && N.dist_backends() !== '';
}

/**
 * Joins the world: rendezvous at MASTER_ADDR:MASTER_PORT through a c10d TCPStore (rank 0
 * hosts it), then connects the process group. Options override the environment. A
 * world of one process needs no process group (every call runs locally).
 */
export function init_process_group(opts: InitOptions = {}): void {
  if (state !== null) throw new DistributedError('todist: the process group is already initialized');
  const info = get_world_info();
  const rank = opts.rank ?? info.world_rank;
  const size = opts.world_size ?? info.world_size;
  const timeout = opts.timeout ?? default_timeout();
  if (size > 1) {
    if (!is_available()) throw new DistributedError('todist: this build of the addon has no c10d (its libtorch lacks torch/csrc/distributed headers)');
    const addr = opts.master_addr ?? process.env.MASTER_ADDR ?? '127.0.0.1';
    const port = opts.master_port ?? envNumber('MASTER_PORT') ?? 29500;
    const initTimeout = opts.init_timeout ?? (envNumber('TORCHOPT_NODE_DIST_INIT_TIMEOUT') ?? 60) * 1000;
    const backend = opts.backend ?? process.env.TORCHOPT_NODE_DIST_BACKEND ?? '';
    try {
      N.dist_init(addr, port, rank, size, initTimeout, backend);
    } catch (e) {
      const msg = (e as Error).message;
      if (/timed? ?out|timeout/i.test(msg)) throw new DistributedTimeoutError(msg, rank);
      throw new DistributedError(msg, rank);
    }
  }
  state = { rank, size, timeout, backend: size > 1 ? N.dist_backend() : 'local', broken: null, seq: 0 };
  // With the launcher, die with it (even when it is killed by SIGKILL).
  const launcher = Number(process.env.TORCHOPT_NODE_LAUNCHER_PID ?? 0);
  if (launcher > 0) N.dist_set_pdeathsig(launcher);
}

export function is_initialized(): boolean {
  return state !== null;
}

/** The backend in use: 'gloo', 'store', or 'local' for a world of one process. */
export function get_backend(): string {
  return need().backend;
}

/** Leaves the world (waits briefly for queued sends). */
export function destroy_process_group(): void {
  if (state === null) return;
  if (state.size > 1) N.dist_destroy(5000);
  state = null;
  graphs.clear();
}

function need(): State {
  if (state === null) throw new DistributedError('todist: the process group is not initialized (use todist.auto_init_rpc or todist.init_process_group)');
  return state;
}

function checkBroken(s: State): void {
  if (s.broken !== null) {
    throw new DistributedError(`todist: the world is broken by an earlier failure: ${s.broken.message}`, (s.broken as DistributedError).rank ?? null);
  }
}

function breakWorld(s: State, err: Error): Error {
  if (s.broken === null) s.broken = err;
  return err;
}

/** A receive that failed by waiting too long (not by a lost connection). */
function isTimeout(msg: string): boolean {
  return /timed? ?out|timeout/i.test(msg) && !/closed|reset|EOF|refused|broken/i.test(msg);
}

function mapRecvError(s: State, e: unknown, src: number, what: string, timeout: number): Error {
  const msg = (e as Error).message ?? String(e);
  if (isTimeout(msg)) {
    return breakWorld(s, new DistributedTimeoutError(`todist: rank ${src} did not answer ${what} within ${timeout} ms`, src));
  }
  return breakWorld(s, new DistributedError(`todist: rank ${src} failed while ${what}: the connection was lost (did the process die?): ${msg}`, src));
}

function toMessage(raw: RawMessage, src: number): Message {
  return { kind: raw.kind, id: raw.id, meta: raw.meta === '' ? {} : JSON.parse(raw.meta), tensors: raw.tensors.map((h) => wrap(h as never)), src };
}

/**
 * How long a request may wait to leave before its sender goes on computing (see
 * GlooTransport::Send): requests followed by local work (a call with partitions on rank
 * 0, the remote backward passes before the local one) pass it.
 */
export const SETTLE_MS = Number(process.env.TORCHOPT_NODE_DIST_SETTLE_MS ?? 50);

/** @internal Sends a message (never blocks for more than `settle` ms). */
export function send(dst: number, tag: number, kind: Kind, id: number, meta: unknown, tensors: readonly Tensor[] = [], settle = 0): void {
  const s = need();
  checkBroken(s);
  try {
    N.dist_send(dst, tag, kind, id, meta === undefined ? '' : JSON.stringify(meta), tensors.map((t) => t._h), settle);
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw e;
    throw breakWorld(s, new DistributedError(`todist: sending to rank ${dst} failed: ${(e as Error).message}`, dst));
  }
}

/** @internal Sends a request to `dst`; returns its id (its reply comes on a tag of its own). */
export function request(dst: number, kind: Kind, meta: unknown, tensors: readonly Tensor[] = [], settle = 0): number {
  const s = need();
  const id = ++s.seq;
  send(dst, REQ_TAG, kind, id, meta, tensors, settle);
  return id;
}

function checkReply(m: Message, id: number, src: number, what: string): Message {
  if (m.id !== id) throw new DistributedError(`todist: protocol error: rank ${src} answered request ${m.id} while ${id} was expected`, src);
  if (m.kind === Kind.ERR) throw new RemoteError(src, what, (m.meta.e ?? {}) as { name?: string; message?: string; stack?: string });
  return m;
}

/** @internal Waits (blocking) for the reply to request `id` from `src`. */
export function wait_reply(src: number, id: number, what: string, timeout?: number): Message {
  const s = need();
  checkBroken(s);
  const t = timeout ?? s.timeout;
  let raw: RawMessage;
  try {
    raw = N.dist_recv(src, replyTag(id), t);
  } catch (e) {
    throw mapRecvError(s, e, src, what, t);
  }
  return checkReply(toMessage(raw, src), id, src, what);
}

/** @internal Waits for the reply to request `id` off the JS thread. */
export async function wait_reply_async(src: number, id: number, what: string, timeout?: number): Promise<Message> {
  const s = need();
  checkBroken(s);
  const t = timeout ?? s.timeout;
  let raw: RawMessage;
  try {
    raw = await N.dist_recv_async(src, replyTag(id), t);
  } catch (e) {
    throw mapRecvError(s, e, src, what, t);
  }
  return checkReply(toMessage(raw, src), id, src, what);
}

// ---------------------------------------------------------------------------
// The serving side
// ---------------------------------------------------------------------------

/** Graphs kept for the backward of calls made in a distributed autograd context. */
type Graph = { ins: Tensor[]; outs: Tensor[] };
const graphs = new Map<string, Graph>();
const graphKey = (ctx: number, call: number) => `${ctx}:${call}`;

/** @internal Number of graphs this rank keeps for distributed backward (tests). */
export function _kept_graphs(): number {
  return graphs.size;
}

function errorMeta(e: unknown): { e: { name: string; message: string; stack: string } } {
  const err = e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e) ? (e as Error) : new Error(String(e));
  return { e: { name: err.name ?? 'Error', message: err.message ?? String(e), stack: err.stack ?? '' } };
}

/** @internal */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

function replyCall(m: Message, result: unknown, rgIns: Tensor[]): void {
  const ctx = m.meta.c as number | null;
  const enc = new Encoder();
  const v = enc.encode(result);
  const outs = enc.tensors;
  const track = ctx !== null && rgIns.length > 0;
  const rg = outs.map((t) => track && t.requires_grad);
  if (rg.some((x) => x)) graphs.set(graphKey(ctx as number, m.id), { ins: rgIns, outs: outs.filter((_, i) => rg[i]) });
  send(m.src, replyTag(m.id), Kind.OK, m.id, { v, rg }, outs);
}

function startCall(m: Message): { result: unknown; rgIns: Tensor[] } {
  const fn = lookup_function(m.meta.f as string);
  const rg = (m.meta.rg as boolean[] | undefined) ?? [];
  const track = m.meta.c !== null && m.meta.c !== undefined;
  const rgIns: Tensor[] = [];
  m.tensors.forEach((t, i) => {
    if (rg[i]) {
      t.requires_grad_(true);
      if (track) rgIns.push(t);
    }
  });
  const args = decode(m.meta.a, m.tensors) as unknown[];
  return { result: torch.enable_grad(() => fn(...args)), rgIns };
}

function handleBackward(m: Message): void {
  const key = graphKey(m.meta.c as number, m.meta.k as number);
  const g = graphs.get(key);
  if (g === undefined) throw new DistributedError(`todist: rank ${need().rank} keeps no graph for call ${m.meta.k as number} of context ${m.meta.c as number} (was the context released?)`);
  const present = m.meta.g as boolean[];
  const outs: Tensor[] = [];
  const gos: Tensor[] = [];
  let k = 0;
  present.forEach((p, i) => {
    if (p) {
      outs.push(g.outs[i]);
      gos.push(m.tensors[k++]);
    }
  });
  const grads = outs.length === 0 ? g.ins.map(() => null) : torch.autograd.grad(outs, g.ins, { grad_outputs: gos, retain_graph: true, allow_unused: true });
  const sent = grads.filter((x): x is Tensor => x !== null);
  send(m.src, replyTag(m.id), Kind.OK, m.id, { g: grads.map((x) => x !== null) }, sent);
}

function releaseContext(ctx: number): void {
  const prefix = `${ctx}:`;
  for (const k of [...graphs.keys()]) if (k.startsWith(prefix)) graphs.delete(k);
}

/**
 * Handles one request. Returns the kind handled, or a Promise of it when the called
 * function returned a Promise and `allowAsync`.
 */
function handle(m: Message, allowAsync: boolean): Kind | Promise<Kind> {
  const fail = (e: unknown) => {
    try {
      send(m.src, replyTag(m.id), Kind.ERR, m.id, errorMeta(e));
    } catch {
      /* the world is broken: the receive will say so */
    }
  };
  switch (m.kind) {
    case Kind.CALL: {
      let started: { result: unknown; rgIns: Tensor[] };
      try {
        started = startCall(m);
      } catch (e) {
        fail(e);
        return Kind.CALL;
      }
      if (isThenable(started.result)) {
        if (!allowAsync) {
          fail(new TypeError(`todist: '${m.meta.f as string}' returned a Promise while this rank waits in barrier(); async functions are served by the worker loop only`));
          return Kind.CALL;
        }
        return Promise.resolve(started.result).then(
          (r) => {
            try {
              replyCall(m, r, started.rgIns);
            } catch (e) {
              fail(e);
            }
            return Kind.CALL;
          },
          (e) => {
            fail(e);
            return Kind.CALL;
          },
        );
      }
      try {
        replyCall(m, started.result, started.rgIns);
      } catch (e) {
        fail(e);
      }
      return Kind.CALL;
    }
    case Kind.BACKWARD:
      try {
        handleBackward(m);
      } catch (e) {
        fail(e);
      }
      return Kind.BACKWARD;
    case Kind.RELEASE:
      releaseContext(m.meta.c as number);
      return Kind.RELEASE;
    case Kind.BARRIER:
    case Kind.SHUTDOWN:
      send(m.src, replyTag(m.id), Kind.OK, m.id, {});
      return m.kind;
    default:
      throw new DistributedError(`todist: rank ${need().rank} received an unknown request kind ${m.kind}`);
  }
}

function nextRequest(s: State, timeout: number, what: string): Message {
  checkBroken(s);
  let raw: RawMessage;
  try {
    raw = N.dist_recv(0, REQ_TAG, timeout);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (isTimeout(msg)) {
      throw breakWorld(s, new DistributedTimeoutError(`todist: rank ${s.rank} waited ${timeout} ms for rank 0 ${what}`, 0));
    }
    throw breakWorld(s, new DistributedError(`todist: rank ${s.rank} lost the connection to rank 0 ${what} (did it die?): ${msg}`, 0));
  }
  return toMessage(raw, 0);
}

/**
 * The worker loop: serves rank 0's requests until it sends SHUTDOWN. Functions that
 * return Promises are awaited. (Rank 0 never serves: it drives.)
 */
export async function serve(): Promise<void> {
  const s = need();
  if (s.size === 1 || s.rank === 0) return;
  for (;;) {
    const m = nextRequest(s, 0, 'while serving');
    let k = handle(m, true);
    if (k instanceof Promise) k = await k;
    if (k === Kind.SHUTDOWN) return;
    // Let the event loop run between requests: V8 finishes garbage collection work in
    // foreground tasks (a loop that never yields crashed V8's cppgc marking).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

// Rank 0: sends `kind` to every other rank, then waits for all their answers.
function askAll(s: State, kind: Kind, what: string, timeout: number): void {
  const ids: number[] = [];
  for (let r = 1; r < s.size; r++) ids.push(request(r, kind, {}));
  for (let r = 1; r < s.size; r++) wait_reply(r, ids[r - 1], what, timeout);
}

/**
 * Blocks until every rank has reached a barrier. Rank 0 sends BARRIER to each rank and
 * waits for the answers; the other ranks serve requests until rank 0's BARRIER
 * arrives, so a barrier works while rank 0 is making calls to them.
 */
export function barrier(opts: { timeout?: number } = {}): void {
  checkKeys('barrier', opts, ['timeout']);
  const s = need();
  if (s.size === 1) return;
  const timeout = opts.timeout ?? s.timeout;
  if (s.rank === 0) {
    askAll(s, Kind.BARRIER, 'a barrier', timeout);
    return;
  }
  const deadline = Date.now() + timeout;
  for (;;) {
    const left = Math.max(1, deadline - Date.now());
    const m = nextRequest(s, left, 'in a barrier');
    const k = handle(m, false) as Kind;
    if (k === Kind.BARRIER) return;
    if (k === Kind.SHUTDOWN) throw new DistributedError(`todist: rank 0 shut the world down while rank ${s.rank} waited in a barrier`, 0);
  }
}

/**
 * Ends the world: rank 0 tells every rank to stop serving and waits for their answers;
 * then every rank leaves the process group.
 */
export function shutdown(opts: { timeout?: number } = {}): void {
  checkKeys('shutdown', opts, ['timeout']);
  if (state === null) return;
  const s = state;
  if (s.size > 1 && s.rank === 0 && s.broken === null) {
    const timeout = opts.timeout ?? Math.min(s.timeout, 60000);
    try {
      askAll(s, Kind.SHUTDOWN, 'the shutdown', timeout);
    } finally {
      destroy_process_group();
    }
    return;
  }
  destroy_process_group();
}

/**
 * @internal The encoded form of a call's arguments. Tensors keep their requires_grad
 * on the receiver; only in a distributed autograd context (with grad mode on) are the
 * results linked to them for backward.
 */
export function encode_call(fnName: string, args: unknown[], ctx: number | null): { meta: Record<string, unknown>; tensors: Tensor[]; rgIns: Tensor[] } {
  const enc = new Encoder();
  const a = enc.encode(args);
  const rg = enc.tensors.map((t) => t.requires_grad);
  const link = ctx !== null && torch.is_grad_enabled();
  const rgIns = link ? enc.tensors.filter((_, i) => rg[i]) : [];
  return { meta: { f: fnName, c: link ? ctx : null, a, rg }, tensors: enc.tensors, rgIns };
}
