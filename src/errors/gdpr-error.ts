/**
 * Base of every error this package throws on purpose.
 *
 * `code` is stable and machine-readable (it is what the HTTP API and the CLI
 * report); `message` is for humans and never contains personal data or
 * secrets, because BullMQ stores it in Redis as a job's `failedReason`.
 * `retryable` tells the queue layer whether another attempt can succeed.
 */
export abstract class GdprError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Returns true for errors that another attempt may overcome. */
export function isRetryable(error: unknown): boolean {
  return error instanceof GdprError ? error.retryable : true;
}
