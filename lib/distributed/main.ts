// auto_init_rpc: the entry point of a todist program (every rank runs the same script).
import { DistributedError } from './errors';
import * as rpc from './rpc';
import { WorkerNameFormat, _set_worker_name_format, get_world_rank } from './world';

export type AutoInitOptions = rpc.InitOptions & { worker_name_format?: WorkerNameFormat };

/**
 * Python's @todist.auto_init_rpc(worker_init_fn): wraps `main` so that calling it
 * joins the world, runs barrier → worker_init_fn() → barrier → main(...args); then rank 0
 * shuts the world down while the other ranks serve its calls until then. The name is
 * kept for ports: it initialises the c10d process group (no RPC agent exists here).
 * Returns a Promise of main's result (on every rank).
 */
export function auto_init_rpc(worker_init_fn?: (() => unknown) | null, opts: AutoInitOptions = {}) {
  return <A extends unknown[], R>(func: (...args: A) => R) => {
    const wrapped = async (...args: A): Promise<Awaited<R>> => {
      if (opts.worker_name_format) _set_worker_name_format(opts.worker_name_format);
      rpc.init_process_group(opts);
      let ok = false;
      try {
        rpc.barrier();
        if (worker_init_fn) await worker_init_fn();
        rpc.barrier();
        const result = await func(...args);
        if (get_world_rank() !== 0) await rpc.serve();
        ok = true;
        return result;
      } catch (e) {
        if (e instanceof Error && e.name.startsWith('Distributed') && get_world_rank() !== 0) {
          // Say which rank saw it: the launcher interleaves every rank's output.
          e.message = `[rank ${get_world_rank()}] ${e.message}`;
        }
        throw e;
      } finally {
        try {
          rpc.shutdown();
        } catch (e) {
          if (ok) throw e;
        }
      }
    };
    Object.defineProperty(wrapped, 'name', { value: func.name });
    return wrapped;
  };
}

/** @internal */
export { DistributedError };
