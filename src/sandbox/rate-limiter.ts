import type { RateLimitSettings, SandboxEndpoint } from './sandbox-types.js';

/**
 * Headers sent when no limit is configured: a quota so large no test
 * reaches it, so clients always see the headers but are never throttled.
 */
const UNLIMITED = 1_000_000;
const UNLIMITED_WINDOW_MS = 60_000;

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds, rounded up, when the current window ends. */
  readonly resetS: number;
}

interface Window {
  start: number;
  count: number;
  /** Calls counted in the current second (Stream's burst limit). */
  second: number;
  secondCount: number;
}

const SECOND_MS = 1000;

/**
 * Fixed windows aligned on multiples of `windowMs` since the epoch, one
 * counter per endpoint, so `X-RateLimit-Reset` is the same for every call
 * in a window. Like Stream (60/min allows about 2/s), each second also
 * allows at most twice the window's average rate, `limit × 2 s / window`
 * (at least one call; no effect on windows of 2 s or less); a call over
 * it is refused with 429 and headers that still show the window's
 * remaining calls. Downloads of export files are not Stream API calls and
 * are only limited when `perEndpoint.downloadExport` is set.
 */
export class RateLimiter {
  #settings: RateLimitSettings | undefined;
  readonly #windows = new Map<SandboxEndpoint, Window>();

  constructor(settings: RateLimitSettings | undefined) {
    this.#settings = settings;
  }

  set(settings: RateLimitSettings | undefined): void {
    this.#settings = settings;
    this.#windows.clear();
  }

  /** Whether this endpoint sends rate-limit headers at all. */
  applies(endpoint: SandboxEndpoint): boolean {
    return (
      endpoint !== 'downloadExport' ||
      this.#settings?.perEndpoint?.downloadExport !== undefined
    );
  }

  /** Counts one call and says whether it may proceed. */
  take(endpoint: SandboxEndpoint, now = Date.now()): RateDecision {
    const window = this.#window(endpoint, now);
    const limit = this.#limit(endpoint);
    const second = Math.floor(now / SECOND_MS);
    if (window.second !== second) {
      window.second = second;
      window.secondCount = 0;
    }
    const allowed =
      this.#settings === undefined ||
      (window.count < limit && window.secondCount < this.#burst(limit));
    if (allowed) {
      window.count += 1;
      window.secondCount += 1;
    }
    return this.#decision(endpoint, window, allowed);
  }

  /** The window as it stands, without counting a call. */
  current(endpoint: SandboxEndpoint, now = Date.now()): RateDecision {
    return this.#decision(endpoint, this.#window(endpoint, now), true);
  }

  #window(endpoint: SandboxEndpoint, now: number): Window {
    const windowMs = this.#windowMs();
    const start = Math.floor(now / windowMs) * windowMs;
    let window = this.#windows.get(endpoint);
    if (window === undefined || window.start !== start) {
      window = { start, count: 0, second: 0, secondCount: 0 };
      this.#windows.set(endpoint, window);
    }

    return window;
  }

  #decision(
    endpoint: SandboxEndpoint,
    window: Window,
    allowed: boolean,
  ): RateDecision {
    const limit = this.#limit(endpoint);
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - window.count),
      resetS: Math.ceil((window.start + this.#windowMs()) / 1000),
    };
  }

  #windowMs(): number {
    return this.#settings?.windowMs ?? UNLIMITED_WINDOW_MS;
  }

  /** Calls allowed in one second: twice the window's average rate. */
  #burst(limit: number): number {
    if (this.#settings?.burst === false) return Number.POSITIVE_INFINITY;
    return Math.max(1, Math.floor((limit * 2 * SECOND_MS) / this.#windowMs()));
  }

  #limit(endpoint: SandboxEndpoint): number {
    const settings = this.#settings;
    if (settings === undefined) return UNLIMITED;
    return settings.perEndpoint?.[endpoint] ?? settings.limit;
  }
}

/** The three `X-RateLimit-*` headers for a decision. */
export function rateLimitHeaders(
  decision: RateDecision,
): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetS),
  };
}
