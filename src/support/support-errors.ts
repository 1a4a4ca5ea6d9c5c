import { GdprError } from '../errors/gdpr-error.js';

/** Why a local redis-server did not come up. */
export type RedisServerFailure = 'missing' | 'exited' | 'timeout';

/**
 * A local `redis-server` (the demo's, a test's) could not be started:
 * it could not be run, e.g. not on PATH (`missing`), it exited at start,
 * or it never answered PING (`timeout`).
 */
export class RedisServerStartError extends GdprError {
  readonly code = 'redis_server_start_failed';
  readonly retryable = false;

  constructor(
    readonly failure: RedisServerFailure,
    options?: { cause?: unknown },
  ) {
    super(`local redis-server did not start (${failure})`, options);
  }
}

/** The OS gave no port on 127.0.0.1 that fits (all tries were taken). */
export class NoFreePortError extends GdprError {
  readonly code = 'no_free_port';
  readonly retryable = true;
}
