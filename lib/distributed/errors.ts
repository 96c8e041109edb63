// Errors of todist. Check them by `err.name` (jest realms make instanceof unreliable).

/** A distributed operation failed (a lost connection, a broken world, a misuse). */
export class DistributedError extends Error {
  override name = 'DistributedError';
  /** The rank the failure concerns, when there is one. */
  rank: number | null;
  constructor(message: string, rank: number | null = null) {
    super(message);
    this.rank = rank;
  }
}

/** A rank did not answer, or a rendezvous or barrier did not complete, within its timeout. */
export class DistributedTimeoutError extends DistributedError {
  override name = 'DistributedTimeoutError';
}

/** A function called on another rank threw: this error carries the remote error. */
export class RemoteError extends DistributedError {
  override name = 'RemoteError';
  /** The remote error's name, message and stack. */
  remote_name: string;
  remote_message: string;
  remote_stack: string;
  constructor(rank: number, what: string, remote: { name?: string; message?: string; stack?: string }) {
    const rn = remote.name ?? 'Error';
    const rm = remote.message ?? '';
    super(`rank ${rank} raised ${rn}: ${rm} (in ${what})`, rank);
    this.remote_name = rn;
    this.remote_message = rm;
    this.remote_stack = remote.stack ?? '';
  }
}
