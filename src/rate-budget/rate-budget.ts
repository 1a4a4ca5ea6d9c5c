import type { RedisClient } from '../requests/lua-script.js';
import type { RateLimitInfo, StreamEndpoint } from '../stream/stream-types.js';
import { acquireScript, observeScript, pauseScript } from './budget-scripts.js';

export type Acquired =
  { readonly ok: true } | { readonly ok: false; readonly retryAt: number };

export interface RateBudgetOptions {
  readonly prefix: string;
  /** Calls per minute assumed until Stream's headers say otherwise. */
  readonly defaultPerMinute: number;
  readonly now?: () => number;
}

const MINUTE = 60_000;

/** Pause after a window's reset before a new one opens (see acquireScript). */
const WINDOW_MARGIN_MS = 150;

/** Longest wait on a window we guessed (see acquireScript). */
const GUESS_RECHECK_MS = 1000;

/**
 * One call budget per Stream endpoint, shared through Redis by every
 * worker process: a fixed window that follows Stream's `X-RateLimit-*`
 * headers once it has seen them, and a pause until the reset time after
 * a 429. Callers ask before each call and report each answer.
 */
export class RateBudget {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #defaultLimit: number;
  readonly #now: () => number;

  constructor(redis: RedisClient, options: RateBudgetOptions) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#defaultLimit = options.defaultPerMinute;
    this.#now = options.now ?? Date.now;
  }

  key(endpoint: StreamEndpoint): string {
    return `${this.#prefix}:rate:${endpoint}`;
  }

  /** Takes one call, or says when the endpoint has room again. */
  async acquire(endpoint: StreamEndpoint): Promise<Acquired> {
    const retryAt = Number(
      await acquireScript.run(
        this.#redis,
        [this.key(endpoint)],
        [
          this.#now(),
          this.#defaultLimit,
          MINUTE,
          WINDOW_MARGIN_MS,
          GUESS_RECHECK_MS,
        ],
      ),
    );
    return retryAt === 0 ? { ok: true } : { ok: false, retryAt };
  }

  /** Adopts Stream's numbers from a response's headers. */
  async observe(
    endpoint: StreamEndpoint,
    rateLimit: RateLimitInfo | undefined,
  ): Promise<void> {
    if (rateLimit === undefined) return;
    await observeScript.run(
      this.#redis,
      [this.key(endpoint)],
      [this.#now(), rateLimit.limit, rateLimit.remaining, rateLimit.resetAt],
    );
  }

  /** After a 429: nobody calls `endpoint` before `retryAt`. */
  async pause(endpoint: StreamEndpoint, retryAt: number): Promise<void> {
    await pauseScript.run(this.#redis, [this.key(endpoint)], [retryAt]);
  }
}
