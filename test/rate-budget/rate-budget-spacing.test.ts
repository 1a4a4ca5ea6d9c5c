import { Redis } from 'ioredis';

import { RateBudget } from '../../src/rate-budget/rate-budget.js';
import { deleteKeysUnder, uniquePrefix } from '../support/test-env.js';

/**
 * Stream limits bursts to twice a window's average rate per second, so
 * the budget spaces calls by 0.55 × window / limit once it knows both.
 */
describe('RateBudget spacing', () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  const prefix = uniquePrefix('budget-spacing');
  let now = 1_000_000;
  const budget = new RateBudget(redis, {
    prefix,
    defaultPerMinute: 60,
    now: () => now,
  });

  afterAll(async () => {
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
  });

  async function learn(
    endpoint: 'deleteUsers' | 'getTask',
    untilReset: number,
  ) {
    expect((await budget.acquire(endpoint)).ok).toBe(true);
    await budget.observe(endpoint, {
      limit: 60,
      remaining: 59,
      resetAt: now + untilReset,
    });
  }

  it('keeps 550 ms between calls under 60 a minute, and waiting callers come back spread', async () => {
    await learn('deleteUsers', 60_000);
    const retries: number[] = [];
    for (let i = 0; i < 20; i++) {
      const refused = await budget.acquire('deleteUsers');
      expect(refused.ok).toBe(false);
      if (!refused.ok) retries.push(refused.retryAt - now);
    }

    expect(Math.min(...retries)).toBeGreaterThanOrEqual(550);
    expect(Math.max(...retries)).toBeLessThan(1100);
    expect(new Set(retries).size).toBeGreaterThan(1);
    now += 550;
    expect(await budget.acquire('deleteUsers')).toEqual({ ok: true });
    expect((await budget.acquire('deleteUsers')).ok).toBe(false);
  });

  it('spaces by the configured window: 60 calls per 6 s are 55 ms apart', async () => {
    const short = new RateBudget(redis, {
      prefix: `${prefix}:short`,
      defaultPerMinute: 60,
      windowMs: 6_000,
      now: () => now,
    });
    expect((await short.acquire('getTask')).ok).toBe(true);
    await short.observe('getTask', {
      limit: 60,
      remaining: 59,
      resetAt: now + 6_000,
    });
    now += 54;
    expect((await short.acquire('getTask')).ok).toBe(false);
    now += 1;
    expect((await short.acquire('getTask')).ok).toBe(true);
  });

  it('pauses without closing the window when a 429 left calls in it', async () => {
    expect((await budget.acquire('queryUsers')).ok).toBe(true);
    await budget.observe('queryUsers', {
      limit: 1000,
      remaining: 900,
      resetAt: now + 60_000,
    });
    await budget.pause('queryUsers', now + 1000, { windowSpent: false });
    expect(await budget.acquire('queryUsers')).toEqual({
      ok: false,
      retryAt: now + 1000,
    });
    now += 1000;
    expect(await budget.acquire('queryUsers')).toEqual({ ok: true });
    expect(await redis.hget(budget.key('queryUsers'), 'remaining')).toBe('899');
  });
});
