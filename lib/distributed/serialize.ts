// Values sent between ranks: a JSON skeleton (the message's meta) plus a list of
// tensors (moved as bytes by the addon). A tensor becomes {$t: i}; arrays, plain
// objects, Maps, named tuples, registered classes, modules, numbers (NaN, ±Infinity,
// -0), bigints, undefined and errors are kept. Functions and unregistered class
// instances cannot be sent.
import * as torch from '../torch';
import { Tensor } from '../torch';
import { lookup_type, module_tag, namedtuple_field_names, type_name, build_module } from './registry';

export type Encoded = unknown;

export class Encoder {
  readonly tensors: Tensor[] = [];
  private readonly seen = new Map<Tensor, number>();

  tensor(t: Tensor): number {
    const k = this.seen.get(t);
    if (k !== undefined) return k;
    this.tensors.push(t);
    this.seen.set(t, this.tensors.length - 1);
    return this.tensors.length - 1;
  }

  encode(x: unknown, depth = 0): Encoded {
    if (depth > 200) throw new RangeError('todist: the value to send is nested too deeply (a cycle?)');
    if (x === null || typeof x === 'boolean' || typeof x === 'string') return x;
    if (typeof x === 'number') {
      if (Number.isFinite(x) && !Object.is(x, -0)) return x;
      return { $f: Object.is(x, -0) ? '-0' : String(x) };
    }
    if (x === undefined) return { $u: 0 };
    if (typeof x === 'bigint') return { $b: x.toString() };
    if (x instanceof Tensor) return { $t: this.tensor(x) };
    if (Array.isArray(x)) return x.map((e) => this.encode(e, depth + 1));
    if (typeof x === 'function' && !(x instanceof torch.nn.Module)) {
      throw new TypeError(`todist: a function (${(x as { name?: string }).name || 'anonymous'}) cannot be sent to another rank; register it and send its name`);
    }
    if (x instanceof torch.nn.Module) return this.module(x, depth);
    if (x instanceof Map) return { $m: [...x].map(([k, v]) => [this.encode(k, depth + 1), this.encode(v, depth + 1)]) };
    if (x instanceof Error) return { $e: { name: x.name, message: x.message, stack: x.stack ?? '' } };
    if (typeof x === 'object') {
      const fields = namedtuple_field_names(x);
      const tn = type_name(x);
      if (fields !== null) {
        const rec = x as Record<string, unknown>;
        return { $nt: tn ?? (Object.getPrototypeOf(x).constructor?.name as string), v: fields.map((f) => this.encode(rec[f], depth + 1)), f: fields };
      }
      const proto = Object.getPrototypeOf(x);
      if (proto === Object.prototype || proto === null) return { $o: this.object(x as Record<string, unknown>, depth) };
      if (tn !== null) return { $c: tn, v: this.object(x as Record<string, unknown>, depth) };
      throw new TypeError(
        `todist: an instance of ${proto?.constructor?.name ?? 'an unknown class'} cannot be sent to another rank; register its class with todist.register_type or send plain data`,
      );
    }
    throw new TypeError(`todist: a value of type ${typeof x} cannot be sent to another rank`);
  }

  private object(o: Record<string, unknown>, depth: number): Record<string, Encoded> {
    const out: Record<string, Encoded> = {};
    for (const k of Object.keys(o)) out[k] = this.encode(o[k], depth + 1);
    return out;
  }

  private module(m: torch.nn.Module, depth: number): Encoded {
    const tag = module_tag(m);
    if (tag === null) {
      throw new TypeError(
        `todist: an nn.Module (${Object.getPrototypeOf(m)?.constructor?.name}) can be sent only when it was built by a registered builder: ` +
          `wrap its builder with todist.register_module('name', builder), or register a class whose constructor takes no argument with todist.register_module(Class)`,
      );
    }
    const params: [string, Encoded][][] = [];
    const buffers: [string, Encoded][][] = [];
    const training: boolean[] = [];
    for (const sub of m.modules()) {
      training.push(sub.training);
      if (sub._parameters.size > 0) params.push([...sub._parameters].map(([k, v]) => [k, v === null ? null : this.encode(v, depth + 1)]));
      if (sub._buffers.size > 0) buffers.push([...sub._buffers].map(([k, v]) => [k, v === null ? null : this.encode(v, depth + 1)]));
    }
    return { $mod: tag.name, a: this.encode(tag.args, depth + 1), p: params, b: buffers, tr: training };
  }
}

/** A receiver's cache of rebuilt modules: one per (builder, arguments). */
const moduleCache = new Map<string, torch.nn.Module>();

/**
 * Rebuilds a value from its skeleton and tensors. Modules come from a cache of one
 * instance per (builder, arguments), reloaded with the tensors received, unless
 * `fresh` (a new instance each time).
 */
export function decode(x: Encoded, tensors: readonly Tensor[], fresh = false): unknown {
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map((e) => decode(e, tensors, fresh));
  const o = x as Record<string, unknown>;
  if ('$t' in o) return tensors[o.$t as number];
  if ('$o' in o) return decodeObject(o.$o as Record<string, Encoded>, tensors, fresh);
  if ('$f' in o) return o.$f === '-0' ? -0 : Number(o.$f);
  if ('$u' in o) return undefined;
  if ('$b' in o) return BigInt(o.$b as string);
  if ('$m' in o) return new Map((o.$m as [Encoded, Encoded][]).map(([k, v]) => [decode(k, tensors, fresh), decode(v, tensors, fresh)]));
  if ('$e' in o) {
    const e = o.$e as { name: string; message: string; stack: string };
    const err = new Error(e.message);
    err.name = e.name;
    err.stack = e.stack;
    return err;
  }
  if ('$nt' in o) {
    const vals = (o.v as Encoded[]).map((e) => decode(e, tensors, fresh));
    const cls = lookup_type(o.$nt as string);
    if (cls !== null) return new cls(...vals);
    const fields = o.f as string[];
    const plain: Record<string, unknown> = {};
    fields.forEach((f, i) => (plain[f] = vals[i]));
    return plain;
  }
  if ('$c' in o) {
    const cls = lookup_type(o.$c as string);
    if (cls === null) throw new Error(`todist: no class is registered as '${o.$c as string}' on this rank`);
    return Object.assign(Object.create(cls.prototype), decodeObject(o.v as Record<string, Encoded>, tensors));
  }
  if ('$mod' in o) return decodeModule(o, tensors, fresh);
  throw new Error('todist: a malformed value was received');
}

function decodeObject(o: Record<string, Encoded>, tensors: readonly Tensor[], fresh = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = decode(o[k], tensors, fresh);
  return out;
}

function decodeModule(o: Record<string, unknown>, tensors: readonly Tensor[], fresh: boolean): torch.nn.Module {
  const name = o.$mod as string;
  const args = decode(o.a, tensors) as unknown[];
  const key = `${name}\u0000${JSON.stringify(o.a)}`;
  let m = fresh ? undefined : moduleCache.get(key);
  if (m === undefined) {
    m = build_module({ name, args });
    if (!fresh) moduleCache.set(key, m);
  }
  const params = o.p as [string, Encoded][][];
  const buffers = o.b as [string, Encoded][][];
  const training = o.tr as boolean[];
  let pi = 0;
  let bi = 0;
  m.modules().forEach((sub, i) => {
    if (i < training.length) sub.training = training[i];
    if (sub._parameters.size > 0 && pi < params.length) {
      for (const [k, v] of params[pi++]) sub._parameters.set(k, decode(v, tensors) as Tensor | null);
    }
    if (sub._buffers.size > 0 && bi < buffers.length) {
      for (const [k, v] of buffers[bi++]) sub._buffers.set(k, decode(v, tensors) as Tensor | null);
    }
  });
  if (pi !== params.length || bi !== buffers.length) {
    throw new Error(`todist: the module built by '${name}' on this rank does not have the structure of the module sent`);
  }
  return m;
}

/**
 * The arguments of a call that runs on this rank, as the function would receive them
 * from another rank: modules rebuilt (sharing the tensors, so gradients flow), plain
 * containers copied, tensors and everything else as they are. Values that cannot be
 * sent (an unregistered module or class) are passed unchanged.
 */
export function localize(args: unknown[], fresh: boolean): unknown[] {
  const enc = new Encoder();
  let e: Encoded;
  try {
    e = enc.encode(args);
  } catch {
    return args;
  }
  return decode(e, enc.tensors, fresh) as unknown[];
}
