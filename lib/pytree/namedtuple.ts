/**
 * Named records: the analogue of Python's `collections.namedtuple`, which every TorchOpt optimizer
 * state is (`ScaleByAdamState(mu, nu, count)`).
 *
 * `namedtuple(typename, fields)` returns a class. Instances are frozen objects whose own enumerable
 * properties are the fields in declared order; they also behave like tuples (`length`, `[0]`,
 * iteration). A class marks itself with a static symbol, so subclasses
 * (`class S extends namedtuple('S', ['a'])`) are still namedtuples, as in Python. The pytree layer
 * flattens the fields in declared order and rebuilds the exact class (`Reflect.construct`).
 *
 * Typing: `namedtuple('P', ['a', 'b'])` gives fields typed `any`; to type them, pass the record
 * type: `namedtuple<{mu: T; count: C}>('S', ['mu', 'count'])` (the field list is checked against it).
 */

import { jsRepr } from './repr';

/** Static marker on namedtuple classes: the frozen field list. */
export const NAMEDTUPLE_FIELDS: unique symbol = Symbol.for('torchopt-node.pytree.namedtuple.fields') as any;

/** Type-only brand carrying the record type (no such property exists at run time). */
export declare const NAMEDTUPLE_RECORD: unique symbol;

export interface NamedTupleMethods<V extends object> {
  readonly [NAMEDTUPLE_RECORD]: V;
  readonly _fields: readonly (keyof V & string)[];
  /** A copy with some fields replaced (Python's `_replace(**kwargs)`). */
  _replace(changes: Partial<V>): this;
  /** The fields as a plain object, in declared order. */
  _asdict(): V;
  readonly length: number;
  [Symbol.iterator](): Iterator<V[keyof V]>;
  toString(): string;
}

export type NamedTuple<V extends object = Record<string, any>> = Readonly<V> & NamedTupleMethods<V>;

export interface NamedTupleClass<V extends object> {
  new (...args: V[keyof V][]): NamedTuple<V>;
  readonly prototype: NamedTuple<V>;
  readonly _fields: readonly (keyof V & string)[];
  readonly _field_defaults: Partial<V>;
  /** Build from an iterable of field values (Python's `_make`). */
  _make<C extends abstract new (...args: any[]) => any>(this: C, values: Iterable<unknown>): InstanceType<C>;
}

export interface NamedTupleOptions {
  /** Defaults for the rightmost fields, as in Python (`defaults=`). */
  defaults?: readonly unknown[];
}

const FIELD_RE = /^[A-Za-z$][\w$]*$/;
const RESERVED = new Set(['constructor', 'length', 'toString', 'valueOf']);
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

export function namedtuple<const F extends readonly string[]>(
  typename: string,
  fields: F,
  options?: NamedTupleOptions,
): NamedTupleClass<{ [K in F[number]]: any }>;
export function namedtuple<V extends object>(
  typename: string,
  fields: readonly (keyof V & string)[],
  options?: NamedTupleOptions,
): NamedTupleClass<V>;
export function namedtuple(typename: string, fieldList: readonly string[], options: NamedTupleOptions = {}): any {
  if (typeof typename !== 'string' || typename.length === 0) {
    throw new TypeError(`namedtuple: typename must be a non-empty string, got ${jsRepr(typename)}.`);
  }
  const fields = Object.freeze(Array.from(fieldList, String));
  const seen = new Set<string>();
  for (const f of fields) {
    if (!FIELD_RE.test(f)) throw new TypeError(`namedtuple ${typename}: field names must be identifiers, got ${jsRepr(f)}.`);
    if (RESERVED.has(f)) throw new TypeError(`namedtuple ${typename}: field name ${jsRepr(f)} is reserved.`);
    if (seen.has(f)) throw new TypeError(`namedtuple ${typename}: duplicate field name ${jsRepr(f)}.`);
    seen.add(f);
  }
  const defaults = Object.freeze(Array.from(options.defaults ?? []));
  const nf = fields.length;
  const nd = defaults.length;
  if (nd > nf) throw new TypeError(`namedtuple ${typename}: got more default values than fields.`);
  const fieldDefaults: Record<string, unknown> = {};
  for (let i = 0; i < nd; i++) fieldDefaults[fields[nf - nd + i]] = defaults[i];
  Object.freeze(fieldDefaults);

  const cls = class {
    constructor(...args: unknown[]) {
      const n = args.length;
      if (n > nf) {
        throw new TypeError(`${typename}() takes ${nf} positional argument${nf === 1 ? '' : 's'} but ${n} were given`);
      }
      const self = this as any;
      for (let i = 0; i < nf; i++) {
        if (i < n) self[fields[i]] = args[i];
        else if (i >= nf - nd) self[fields[i]] = defaults[i - (nf - nd)];
        else {
          const missing = fields.slice(i, nf - nd);
          throw new TypeError(`${typename}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${missing.map((m) => `'${m}'`).join(', ')}`);
        }
      }
      Object.freeze(this);
    }
    static _make(values: Iterable<unknown>): any {
      return Reflect.construct(this, Array.from(values));
    }
    _replace(changes: Record<string, unknown>): any {
      const self = this as any;
      for (const k of Object.keys(changes)) {
        if (!seen.has(k)) throw new TypeError(`${typename}._replace: got unexpected field name ${jsRepr(k)}`);
      }
      const args = new Array(nf);
      for (let i = 0; i < nf; i++) {
        const f = fields[i];
        args[i] = Object.prototype.hasOwnProperty.call(changes, f) ? changes[f] : self[f];
      }
      return Reflect.construct(self.constructor, args);
    }
    _asdict(): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const f of fields) out[f] = (this as any)[f];
      return out;
    }
    get length(): number {
      return nf;
    }
    *[Symbol.iterator](): Iterator<unknown> {
      for (const f of fields) yield (this as any)[f];
    }
    toString(): string {
      return `${(this.constructor as any).name}(${fields.map((f) => `${f}=${jsRepr((this as any)[f])}`).join(', ')})`;
    }
    [inspectCustom](depth: number, opts: any, inspect?: (x: unknown, o: unknown) => string): string {
      if (typeof inspect !== 'function' || depth < 0) return this.toString();
      const sub = { ...opts, depth: opts.depth == null ? null : opts.depth - 1 };
      const body = fields.map((f) => `${f}=${inspect((this as any)[f], sub)}`).join(', ');
      return `${(this.constructor as any).name}(${body})`;
    }
  };
  Object.defineProperty(cls, 'name', { value: typename });
  Object.defineProperty(cls, '_fields', { value: fields, enumerable: true });
  Object.defineProperty(cls, '_field_defaults', { value: fieldDefaults, enumerable: true });
  Object.defineProperty(cls, NAMEDTUPLE_FIELDS, { value: fields });
  Object.defineProperty(cls.prototype, '_fields', { value: fields });
  // Tuple-style positional access: record[0] is the first field.
  for (let i = 0; i < nf; i++) {
    const f = fields[i];
    Object.defineProperty(cls.prototype, i, {
      get(this: any) {
        return this[f];
      },
    });
  }
  return cls;
}

export function is_namedtuple_class(cls: unknown): boolean {
  return typeof cls === 'function' && Array.isArray((cls as any)[NAMEDTUPLE_FIELDS]);
}

export function is_namedtuple_instance(x: unknown): x is NamedTuple {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto !== null && is_namedtuple_class(proto.constructor);
}

/** optree's `is_namedtuple`: true for a namedtuple class or instance. */
export function is_namedtuple(x: unknown): boolean {
  return is_namedtuple_class(x) || is_namedtuple_instance(x);
}

/** The field names of a namedtuple class or instance. */
export function namedtuple_fields(x: unknown): readonly string[] {
  const cls = typeof x === 'function' ? x : typeof x === 'object' && x !== null ? Object.getPrototypeOf(x)?.constructor : undefined;
  const fields = cls ? (cls as any)[NAMEDTUPLE_FIELDS] : undefined;
  if (!Array.isArray(fields)) throw new TypeError(`Expected a namedtuple class or instance, got ${jsRepr(x)}.`);
  return fields;
}
