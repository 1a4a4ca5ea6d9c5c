import type { Sandbox } from '../../src/sandbox/index.js';
import { RateLimiter } from '../../src/sandbox/rate-limiter.js';
import { queryUsersRaw, startTestSandbox } from './helpers.js';

const MINUTE = 60_000;
/** The start of an aligned minute, so every call below falls inside it. */
const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('sandbox burst limit (twice the average rate per second)', () => {
  it('allows 2 calls a second under 60 a minute, then 2 more the next second', () => {
    const limiter = new RateLimiter({ windowMs: MINUTE, limit: 60 });
    const first = [0, 10, 20].map((ms) => limiter.take('deleteUsers', T0 + ms));
    const next = [1000, 1500].map((ms) => limiter.take('deleteUsers', T0 + ms));

    expect(first.map((d) => d.allowed)).toEqual([true, true, false]);
    // The refused call leaves the window's count alone.
    expect(first[2]).toMatchObject({ limit: 60, remaining: 58 });
    expect(next.map((d) => d.allowed)).toEqual([true, true]);
  });

  it('counts each endpoint apart and has no effect on windows of 2 s or less', () => {
    const minute = new RateLimiter({ windowMs: MINUTE, limit: 60 });
    minute.take('deleteUsers', T0);
    minute.take('deleteUsers', T0);
    expect(minute.take('getTask', T0).allowed).toBe(true);

    const short = new RateLimiter({ windowMs: 2000, limit: 10 });
    const calls = Array.from({ length: 11 }, () => short.take('getTask', T0));
    expect(calls.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('can be turned off for tests that spend a tiny window at once', () => {
    const limiter = new RateLimiter({
      windowMs: MINUTE,
      limit: 3,
      burst: false,
    });
    const calls = [0, 1, 2, 3].map((ms) => limiter.take('queryUsers', T0 + ms));
    expect(calls.map((d) => d.allowed)).toEqual([true, true, true, false]);
  });

  describe('over HTTP', () => {
    let sandbox: Sandbox;

    beforeAll(async () => {
      sandbox = await startTestSandbox({
        seed: 'demo',
        rateLimit: { windowMs: 3_600_000, limit: 3_600 },
      });
    });

    afterAll(() => sandbox.close());

    it('answers 429 code 9 with calls still left in the window and no Retry-After', async () => {
      // 3,600 an hour allows 2 a second; five calls at once span at most
      // two seconds, so at least one is refused.
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          queryUsersRaw(sandbox, { filter_conditions: { id: 'bob' } }),
        ),
      );
      const refused = answers.filter((r) => r.status === 429);

      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const response of refused) {
        expect(response.json).toMatchObject({ code: 9, StatusCode: 429 });
        expect(
          Number(response.headers.get('x-ratelimit-remaining')),
        ).toBeGreaterThan(3_500);
        expect(response.headers.get('retry-after')).toBeNull();
      }
    });
  });
});
