// What can be named across processes. JS functions and classes cannot be shipped, so
// every rank runs the same script and registers the same names at load time:
//   - functions called remotely (parallelize / register_function);
//   - module builders: a module travels as (builder name, builder args, its tensors)
//     and is rebuilt by the builder on the receiving rank (register_module);
//   - value classes (named tuples and plain classes) rebuilt by name (register_type).
import * as torch from '../torch';
import { is_namedtuple_instance, namedtuple_fields } from '../pytree';

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

const functions = new Map<string, AnyFn>();
const functionNames = new WeakMap<AnyFn, string>();

/** Registers `fn` under `name` (the same name on every rank). Returns fn. */
export function register_function<F extends AnyFn>(name: string, fn: F): F {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('todist.register_function: the name must be a non-empty string');
  if (typeof fn !== 'function') throw new TypeError(`todist.register_function('${name}'): expected a function`);
  const old = functions.get(name);
  if (old !== undefined && old !== fn) throw new Error(`todist: a different function is already registered as '${name}'`);
  functions.set(name, fn);
  functionNames.set(fn, name);
  return fn;
}

/** @internal */
export function lookup_function(name: string): AnyFn {
  const fn = functions.get(name);
  if (fn === undefined) throw new Error(`todist: no function is registered as '${name}' on this rank (register it at module level so that every rank defines it)`);
  return fn;
}

/** @internal The registered name of a function (or a name given as a string). */
export function function_name(func: AnyFn | string): string {
  if (typeof func === 'string') {
    lookup_function(func);
    return func;
  }
  const name = functionNames.get(func) ?? (func as { __todist_name__?: string }).__todist_name__;
  if (name !== undefined) return name;
  throw new Error(
    `todist: function '${func.name || '<anonymous>'}' is not registered; define it with todist.parallelize(...)(fn) or ` +
      `todist.register_function('name', fn) at module level so that every rank has it under the same name`,
  );
}

// ---------------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------------
type Builder = (...args: any[]) => torch.nn.Module; // eslint-disable-line @typescript-eslint/no-explicit-any
type ModuleTag = { name: string; args: unknown[] };

const builders = new Map<string, Builder>();
const classBuilders = new Map<unknown, string>();
const moduleTags = new WeakMap<object, ModuleTag>();

/**
 * Registers a model builder under `name` and returns a builder that tags the modules it
 * builds, so that they can be sent to other ranks (as their tensors plus the builder's
 * name and arguments; the receiver builds its own copy once and loads the tensors).
 * A module class whose constructor takes no argument may be given instead of a builder.
 *
 *     const build_model = todist.register_module('build_model', () => nn.Sequential(...));
 *     todist.register_module(Net);           // name 'Net', builder () => new Net()
 */
export function register_module<B extends Builder>(name: string, builder: B): B;
export function register_module<C extends new () => torch.nn.Module>(cls: C): C;
export function register_module(nameOrClass: string | (new () => torch.nn.Module), builder?: Builder): unknown {
  if (typeof nameOrClass === 'function') {
    const cls = nameOrClass;
    const name = cls.name;
    if (!name) throw new TypeError('todist.register_module: the class has no name');
    if (builders.has(name) && classBuilders.get(cls) !== name) throw new Error(`todist: a module builder named '${name}' already exists`);
    builders.set(name, () => new cls());
    classBuilders.set(cls, name);
    return cls;
  }
  const name = nameOrClass;
  if (typeof name !== 'string' || !name) throw new TypeError('todist.register_module: the name must be a non-empty string');
  if (typeof builder !== 'function') throw new TypeError(`todist.register_module('${name}'): expected a builder function`);
  if (builders.has(name)) throw new Error(`todist: a module builder named '${name}' already exists`);
  builders.set(name, builder);
  const tagged = function (...args: unknown[]) {
    const m = builder(...args);
    if (!(m instanceof torch.nn.Module)) throw new TypeError(`todist: the builder '${name}' did not return an nn.Module`);
    moduleTags.set(m, { name, args });
    return m;
  };
  Object.defineProperty(tagged, 'name', { value: builder.name || name });
  return tagged;
}

/** @internal How a module can be rebuilt elsewhere, or null. */
export function module_tag(m: torch.nn.Module): ModuleTag | null {
  const t = moduleTags.get(m);
  if (t !== undefined) return t;
  const byClass = classBuilders.get(Object.getPrototypeOf(m)?.constructor);
  return byClass === undefined ? null : { name: byClass, args: [] };
}

/** @internal Builds a module (without touching the default RNG's state). */
export function build_module(tag: ModuleTag): torch.nn.Module {
  const b = builders.get(tag.name);
  if (b === undefined) throw new Error(`todist: no module builder is registered as '${tag.name}' on this rank`);
  const rng = torch.get_rng_state();
  try {
    const m = b(...tag.args);
    moduleTags.set(m, tag);
    return m;
  } finally {
    torch.set_rng_state(rng);
  }
}

// ---------------------------------------------------------------------------
// Value classes
// ---------------------------------------------------------------------------
type Ctor = new (...args: any[]) => object; // eslint-disable-line @typescript-eslint/no-explicit-any
const types = new Map<string, Ctor>();
const typeNames = new Map<Ctor, string>();

/**
 * Registers a class whose instances may be sent: a named tuple (rebuilt from its fields)
 * or a class whose instances are rebuilt with Object.create + their own fields.
 */
export function register_type<C extends Ctor>(cls: C, name: string = cls.name): C {
  if (!name) throw new TypeError('todist.register_type: the class has no name');
  const old = types.get(name);
  if (old !== undefined && old !== cls) throw new Error(`todist: a different class is already registered as '${name}'`);
  types.set(name, cls);
  typeNames.set(cls, name);
  return cls;
}

/** @internal */
export function type_name(x: object): string | null {
  return typeNames.get(Object.getPrototypeOf(x)?.constructor) ?? null;
}
/** @internal */
export function lookup_type(name: string): Ctor | null {
  return types.get(name) ?? null;
}
/** @internal */
export function namedtuple_field_names(x: unknown): readonly string[] | null {
  return is_namedtuple_instance(x) ? namedtuple_fields(x) : null;
}
