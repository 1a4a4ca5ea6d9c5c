import { GdprError } from '../errors/gdpr-error.js';

/**
 * The command line itself is wrong: a missing id list, an unreadable id
 * file, an unknown request id. Exits 2. Messages may name files and flags,
 * never the contents of a file.
 */
export class UsageError extends GdprError {
  readonly code = 'invalid_usage';
  readonly retryable = false;
}

/**
 * Something the command needs cannot be reached or started (Redis, Stream,
 * a local redis-server for the demo). Exits 3.
 */
export class UnreachableError extends GdprError {
  readonly code = 'unreachable';
  readonly retryable = true;
}

/**
 * A start-up safety check failed (Redis may evict jobs, credentials are
 * missing): the service must not run until the operator fixes it. Exits 2.
 */
export class StartupRefusedError extends GdprError {
  readonly code = 'startup_refused';
  readonly retryable = false;
}
