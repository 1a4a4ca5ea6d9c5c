import type { RateLimitInfo } from './stream-types.js';

/** Without any usable header, a 429 is retried after this long. */
export const FALLBACK_RETRY_MS = 1_000;

/** Headers promising a reset further out than this are not believed. */
export const MAX_RETRY_WAIT_MS = 60 * 60 * 1_000;

/**
 * Reads `X-RateLimit-Limit/Remaining/Reset` (Reset in Unix seconds).
 * Undefined unless all three are present and numeric. Proxies sometimes
 * join duplicated headers as `"60, 60"`; the first value wins.
 */
export function parseRateLimit(headers: Headers): RateLimitInfo | undefined {
  const limit = firstNumber(headers.get('x-ratelimit-limit'));
  const remaining = firstNumber(headers.get('x-ratelimit-remaining'));
  const reset = firstNumber(headers.get('x-ratelimit-reset'));
  if (limit === undefined || remaining === undefined || reset === undefined) {
    return undefined;
  }
  return { limit, remaining, resetAt: reset * 1_000 };
}

/**
 * When a rate-limited caller may try again, in epoch ms.
 * A 429 whose `X-RateLimit-Remaining` is still above zero was not refused
 * by the window the headers describe (Stream also limits bursts per
 * second, and proxies answer 429 of their own), so that window's reset
 * says nothing about when to retry: `Retry-After` decides, else a short
 * pause. Otherwise uses the later of `X-RateLimit-Reset` and `Retry-After`
 * (seconds or HTTP date), so neither promise is broken. A time in the past
 * (clock skew, window already over) or no header at all gives
 * `now + FALLBACK_RETRY_MS`; anything beyond `MAX_RETRY_WAIT_MS` is
 * clamped, since Stream's windows are one minute.
 */
export function retryAtFrom(headers: Headers, now = Date.now()): number {
  const candidates: number[] = [];
  const reset = firstNumber(headers.get('x-ratelimit-reset'));
  if (reset !== undefined && !isWindowLeft(headers)) {
    candidates.push(reset * 1_000);
  }
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) candidates.push(retryAfter);

  const latest = Math.max(...candidates, 0);
  if (latest <= now) return now + FALLBACK_RETRY_MS;
  return Math.min(latest, now + MAX_RETRY_WAIT_MS);
}

/** The headers announce calls left in the current window. */
function isWindowLeft(headers: Headers): boolean {
  const remaining = firstNumber(headers.get('x-ratelimit-remaining'));
  return remaining !== undefined && remaining > 0;
}

function parseRetryAfter(
  value: string | null,
  now: number,
): number | undefined {
  if (value === null) return undefined;
  const first = value.split(',')[0]?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(first)) return now + Number(first) * 1_000;
  // An HTTP date contains a comma ("Wed, 21 Oct 2015 07:28:00 GMT").
  const date = Date.parse(value.trim());
  return Number.isNaN(date) ? undefined : date;
}

function firstNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  const first = value.split(',')[0]?.trim() ?? '';
  if (!/^-?\d+(\.\d+)?$/.test(first)) return undefined;
  return Number(first);
}
