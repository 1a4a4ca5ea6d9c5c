import type { RedisClient } from '../requests/lua-script.js';
import type { RateLimitInfo, StreamEndpoint } from '../stream/stream-types.js';
import {
  acquireScript,
  observeScript,
  pauseScript,
  releaseScript,
} from './budget-scripts.js';

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
 * How long a probe call may stay unanswered before another caller probes
 * instead (its worker may have died); longer than a normal Stream answer.
 */
const PROBE_LEASE_MS = 5000;

/** Wait of a caller refused by the probe lease: 50 to 200 ms, spread. */
const PROBE_WAIT_MIN_MS = 50;
const PROBE_WAIT_SPREAD_MS = 150;

/**
 * Calls in flight per endpoint, across all workers, until Stream has
 * answered once. One for the batch and export endpoints (60/min, bursts
 * of about 2/s); the query endpoints allow 1,000/min and verification
 * sends eight queries of a window at once.
 */
const PROBE_CALLS: Partial<Record<StreamEndpoint, number>> = {
  queryUsers: 8,
  queryChannels: 8,
};

export interface AcquireOptions {
  /**
   * The caller reports the answer (`observe`, `release` or `pause`), so
   * it may take part in the probe: until Stream has answered once for
   * this endpoint, few such calls are in flight across all workers (one
   * for most endpoints, see `PROBE_CALLS`).
   */
  readonly probe?: boolean;
}

/**
 * One call budget per Stream endpoint, shared through Redis by every
 * worker process: a fixed window that follows Stream's `X-RateLimit-*`
 * headers once it has seen them, and a pause until the reset time after
 * a 429. Callers ask before each call and report each answer. Until the
 * first answer, probing callers go few at a time (see `AcquireOptions`).
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
  async acquire(
    endpoint: StreamEndpoint,
    options: AcquireOptions = {},
  ): Promise<Acquired> {
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
          options.probe === true ? (PROBE_CALLS[endpoint] ?? 1) : 0,
          PROBE_LEASE_MS,
          PROBE_WAIT_MIN_MS + Math.floor(Math.random() * PROBE_WAIT_SPREAD_MS),
        ],
      ),
    );
    return retryAt === 0 ? { ok: true } : { ok: false, retryAt };
  }

  /**
   * Reports an answer from Stream: adopts the numbers of its headers, or
   * (`undefined`: Stream sent none) keeps our guess and stops probing.
   */
  async observe(
    endpoint: StreamEndpoint,
    rateLimit: RateLimitInfo | undefined,
  ): Promise<void> {
    const args =
      rateLimit === undefined
        ? [this.#now(), '', '', '']
        : [
            this.#now(),
            rateLimit.limit,
            rateLimit.remaining,
            rateLimit.resetAt,
          ];
    await observeScript.run(this.#redis, [this.key(endpoint)], args);
  }

  /** A call got no answer: another caller may probe right away. */
  async release(endpoint: StreamEndpoint): Promise<void> {
    await releaseScript.run(this.#redis, [this.key(endpoint)], []);
  }

  /** After a 429: nobody calls `endpoint` before `retryAt`. */
  async pause(endpoint: StreamEndpoint, retryAt: number): Promise<void> {
    await pauseScript.run(this.#redis, [this.key(endpoint)], [retryAt]);
  }
}
