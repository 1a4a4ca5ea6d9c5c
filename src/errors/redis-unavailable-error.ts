import { GdprError } from './gdpr-error.js';

/**
 * Redis could not be reached or did not answer in time. Nothing can be
 * enqueued or read without it; the caller may try again later.
 */
export class RedisUnavailableError extends GdprError {
  readonly code = 'redis_unavailable';
  readonly retryable = true;

  constructor(detail: string, options?: { cause?: unknown }) {
    super(`Redis is unavailable: ${detail}`, options);
  }
}
