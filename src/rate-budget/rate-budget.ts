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
  /**
   * Length of Stream's rate-limit window, to space calls under its burst
   * limit; one minute (as Stream documents) unless given.
   */
  readonly windowMs?: number;
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

/**
 * Least gap between two calls to an endpoint, as a share of the window
 * over its limit: Stream allows bursts of twice the window's average rate
 * per second (60/min: about 2/s), and 0.55 keeps 10% below that, so
 * calls spread over about half the window instead of leaving at once.
 */
const SPACING_SHARE = 0.55;

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
 * a 429. Callers ask before each call and report each answer; calls are
 * spaced so none of Stream's per-second burst limits is reached. Until the
 * first answer, probing callers go few at a time (see `AcquireOptions`).
 */
export class RateBudget {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #defaultLimit: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(redis: RedisClient, options: RateBudgetOptions) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#defaultLimit = options.defaultPerMinute;
    this.#windowMs = options.windowMs ?? MINUTE;
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
          SPACING_SHARE,
          Math.random(),
          this.#windowMs,
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

  /**
   * After a 429: nobody calls `endpoint` before `retryAt`. `windowSpent`
   * false (the 429's headers still showed calls left: a burst limit) keeps
   * the window as it is.
   */
  async pause(
    endpoint: StreamEndpoint,
    retryAt: number,
    options: { readonly windowSpent?: boolean } = {},
  ): Promise<void> {
    const spent = options.windowSpent ?? true;
    await pauseScript.run(
      this.#redis,
      [this.key(endpoint)],
      [retryAt, spent ? 1 : 0],
    );
  }
}
