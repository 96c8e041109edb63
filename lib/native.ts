// The only module that touches the addon. Everything else imports `N` from here.
import * as fs from 'fs';
import * as path from 'path';

/** An opaque tensor handle owned by the addon (an external: csrc/core/external.h). */
export type Handle = { readonly __tensorHandle: unique symbol };

// The addon's functions are typed loosely here; lib/torch gives them their real types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Native = Record<string, (...args: any[]) => any>;

// The package root: where package.json is (lib/ runs from lib/, dist/ or build/js/lib/).
function findRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'CMakeLists.txt'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..');
}
const root = findRoot();

function describeOrigin(): string {
  for (const dir of [path.join(root, 'build'), path.join(root, 'prebuilds')]) {
    const f = path.join(dir, 'torch-origin.json');
    if (fs.existsSync(f)) return ` It was built against ${fs.readFileSync(f, 'utf8').trim()}.`;
  }
  return '';
}

function load(): Native {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('node-gyp-build')(root) as Native;
  } catch (err) {
    const msg = (err as Error).message;
    let hint: string;
    if (/No native build was found/.test(msg)) {
      hint =
        'The native addon is not built. Run `npm rebuild torchopt-node` (or `npm run build:native` in a clone); ' +
        'it needs libtorch: `apt-get install libtorch-dev libopenblas0-pthread`, or set LIBTORCH / TORCH_CMAKE_PREFIX.';
    } else if (/lib(torch|c10)[^ ]*\.so/.test(msg)) {
      hint =
        'libtorch could not be loaded. Install it (`apt-get install libtorch-dev`) or put the libtorch the addon ' +
        'was built against on LD_LIBRARY_PATH, or rebuild against yours (`npm rebuild torchopt-node` with ' +
        'LIBTORCH or TORCH_CMAKE_PREFIX set).' +
        describeOrigin();
    } else if (/in use by another thread/.test(msg)) {
      hint = 'Use torch from one thread: pass data (not tensors) between threads.';
    } else {
      hint = 'Rebuild it with `npm rebuild torchopt-node`.' + describeOrigin();
    }
    throw new Error(`torchopt-node: failed to load the native addon: ${msg}\n${hint}`);
  }
}

// Native functions return errors instead of throwing them (see csrc/core/binding.cpp:
// a throw from the addon can abort Node when a GC runs tensor finalizers during it).
// Each function gets a wrapper that throws the error when the sentinel comes back.
// Wrappers are compiled one per function so each call site stays monomorphic, and pass
// the exact argument count on (the addon tells missing arguments from undefined ones).
function guard(raw: Native): Native {
  const sentinel = raw.error_sentinel as unknown;
  const take = raw.take_error;
  const out: Native = {};
  for (const [name, f] of Object.entries(raw)) {
    if (name === 'take_error' || name === 'error_sentinel') continue;
    if (typeof f !== 'function') {
      out[name] = f;
      continue;
    }
    const id = /^[A-Za-z_$][\w$]*$/.test(name) ? `native_${name}` : 'native';
    out[name] = new Function(
      'f',
      'E',
      't',
      `return function ${id}(a, b, c, d) {
        let r;
        switch (arguments.length) {
          case 0: r = f(); break;
          case 1: r = f(a); break;
          case 2: r = f(a, b); break;
          case 3: r = f(a, b, c); break;
          case 4: r = f(a, b, c, d); break;
          default: r = f.apply(undefined, arguments);
        }
        if (r === E) throw t();
        return r;
      };`,
    )(f, sentinel, take);
  }
  // 500-odd keyed stores leave `out` in dictionary mode: each `N.op` load a hash lookup
  // (6 ns). Made a prototype, V8 turns it back into a fast object (1.7 ns).
  Object.create(out);
  return out;
}

export const N: Native = guard(load());
