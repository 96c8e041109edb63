// torch.futures: Future, collect_all, wait_all, on top of JS promises.
//
// A Future completes once (set_result / set_exception); then(cb) chains a new Future that
// completes with cb(thisFuture). Futures are thenables, so `await fut` works; wait()
// returns the value synchronously when the Future is already done (Python's wait()
// blocks, which a JS thread cannot do) and throws otherwise.

type State<T> = { done: false } | { done: true; value: T } | { done: true; error: unknown };

export class Future<T = unknown> implements PromiseLike<T> {
  /** @internal */ private state: State<T> = { done: false };
  /** @internal */ private callbacks: (() => void)[] = [];

  done(): boolean {
    return this.state.done;
  }
  set_result(result: T): void {
    if (this.state.done) throw new Error('Future can only be marked completed once.');
    this.state = { done: true, value: result };
    this.flush();
  }
  set_exception(error: unknown): void {
    if (this.state.done) throw new Error('Future can only be marked completed once.');
    this.state = { done: true, error };
    this.flush();
  }
  /** The value of a completed Future (throws its exception, or if not completed yet). */
  value(): T {
    if (!this.state.done) throw new Error('Future is not completed yet; await it instead');
    if ('error' in this.state) throw this.state.error;
    return this.state.value;
  }
  /** Python's wait(): the value, available synchronously only once the Future is done. */
  wait(): T {
    return this.value();
  }
  /** Runs callback(this) when done; returns a Future of its result. */
  then<R>(callback: (fut: Future<T>) => R | PromiseLike<R>): Future<R>;
  then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): PromiseLike<R1 | R2>;
  then(a?: unknown, b?: unknown): unknown {
    // `await fut` (and Promise.resolve(fut)) call then(resolve, reject).
    if (b !== undefined) {
      return this.asPromise().then(a as never, b as never);
    }
    const cb = a as ((fut: Future<T>) => unknown) | undefined;
    const out = new Future<unknown>();
    this.add_done_callback(() => {
      try {
        const r = cb ? cb(this) : this.value();
        if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
          (r as PromiseLike<unknown>).then((v) => out.set_result(v), (e) => out.set_exception(e));
        } else out.set_result(r);
      } catch (e) {
        out.set_exception(e);
      }
    });
    return out;
  }
  /** Runs callback(this) when done (no new Future). */
  add_done_callback(callback: (fut: Future<T>) => void): void {
    if (this.state.done) callback(this);
    else this.callbacks.push(() => callback(this));
  }
  /** A Promise of the value. */
  asPromise(): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.add_done_callback(() => {
        if ('error' in this.state) reject(this.state.error);
        else resolve((this.state as { value: T }).value);
      }),
    );
  }
  private flush(): void {
    const cbs = this.callbacks;
    this.callbacks = [];
    for (const cb of cbs) cb();
  }
}

/** A Future that completes with the list of futures once all of them are done. */
export function collect_all<T>(futures: readonly Future<T>[]): Future<Future<T>[]> {
  const out = new Future<Future<T>[]>();
  let left = futures.length;
  if (left === 0) out.set_result([]);
  for (const f of futures) {
    f.add_done_callback(() => {
      if (--left === 0) out.set_result([...futures]);
    });
  }
  return out;
}

/** The values of completed futures (throws the first exception; all must be done). */
export function wait_all<T>(futures: readonly Future<T>[]): T[] {
  return futures.map((f) => f.wait());
}
