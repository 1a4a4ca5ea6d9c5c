import {
  FALLBACK_RETRY_MS,
  MAX_RETRY_WAIT_MS,
  parseRateLimit,
  retryAtFrom,
} from '../../src/stream/rate-limit-headers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const nowSeconds = NOW / 1000;

describe('parseRateLimit', () => {
  it('reads limit, remaining and a reset in Unix seconds as epoch ms', () => {
    const headers = new Headers({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '59',
      'X-RateLimit-Reset': String(nowSeconds + 30),
    });
    expect(parseRateLimit(headers)).toEqual({
      limit: 60,
      remaining: 59,
      resetAt: NOW + 30_000,
    });
  });

  it('takes the first of comma-joined duplicate values', () => {
    const headers = new Headers({
      'X-RateLimit-Limit': '60, 60',
      'X-RateLimit-Remaining': '0, 0',
      'X-RateLimit-Reset': `${nowSeconds}, ${nowSeconds}`,
    });
    expect(parseRateLimit(headers)).toEqual({
      limit: 60,
      remaining: 0,
      resetAt: NOW,
    });
  });

  it('is undefined when a header is missing or not a number', () => {
    expect(parseRateLimit(new Headers())).toBeUndefined();
    const headers = new Headers({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': 'lots',
      'X-RateLimit-Reset': String(nowSeconds),
    });
    expect(parseRateLimit(headers)).toBeUndefined();
  });
});

describe('retryAtFrom', () => {
  it('uses X-RateLimit-Reset when it is in the future', () => {
    const headers = new Headers({
      'X-RateLimit-Reset': String(nowSeconds + 20),
    });
    expect(retryAtFrom(headers, NOW)).toBe(NOW + 20_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAtFrom(new Headers({ 'Retry-After': '5' }), NOW)).toBe(
      NOW + 5_000,
    );
    const date = new Date(NOW + 7_000).toUTCString();
    expect(retryAtFrom(new Headers({ 'Retry-After': date }), NOW)).toBe(
      NOW + 7_000,
    );
  });

  it('takes the later of the two headers', () => {
    const headers = new Headers({
      'X-RateLimit-Reset': String(nowSeconds + 3),
      'Retry-After': '10',
    });
    expect(retryAtFrom(headers, NOW)).toBe(NOW + 10_000);
  });

  it('ignores the reset of a window with calls left: that window did not refuse', () => {
    const burst = new Headers({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '41',
      'X-RateLimit-Reset': String(nowSeconds + 50),
    });
    expect(retryAtFrom(burst, NOW)).toBe(NOW + FALLBACK_RETRY_MS);
    burst.set('Retry-After', '2');
    expect(retryAtFrom(burst, NOW)).toBe(NOW + 2_000);
  });

  it('waits for the reset of a window with no calls left', () => {
    const spent = new Headers({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(nowSeconds + 50),
      'Retry-After': '1',
    });
    expect(retryAtFrom(spent, NOW)).toBe(NOW + 50_000);
  });

  it('falls back to a short pause when headers are absent or in the past', () => {
    expect(retryAtFrom(new Headers(), NOW)).toBe(NOW + FALLBACK_RETRY_MS);
    const past = new Headers({ 'X-RateLimit-Reset': String(nowSeconds - 5) });
    expect(retryAtFrom(past, NOW)).toBe(NOW + FALLBACK_RETRY_MS);
  });

  it('clamps an absurdly distant reset', () => {
    const far = new Headers({ 'Retry-After': String(10 * 24 * 3600) });
    expect(retryAtFrom(far, NOW)).toBe(NOW + MAX_RETRY_WAIT_MS);
  });
});
