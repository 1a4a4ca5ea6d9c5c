import { Redis } from 'ioredis';

import {
  RateBudget,
  type RateBudgetOptions,
} from '../../src/rate-budget/rate-budget.js';
import { deleteKeysUnder, uniquePrefix } from '../support/test-env.js';

const redis = new Redis('redis://127.0.0.1:6379');
const prefixes: string[] = [];
/** The budgets' clock, moved by hand. */
let now = 1_000_000;

/** A budget of its own (own keys), guessing 60 a minute, on `now`. */
function budgetFor(
  tag: string,
  options: Partial<RateBudgetOptions> = {},
): RateBudget {
  const prefix = uniquePrefix(tag);
  prefixes.push(prefix);
  return new RateBudget(redis, {
    prefix,
    defaultPerMinute: 60,
    now: () => now,
    ...options,
  });
}

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysUnder(redis, prefix);
  redis.disconnect();
});

describe('RateBudget probe and first answer', () => {
  const budget = budgetFor('budget-probe');

  it('lets one probing call out until Stream answers, then adopts its remaining outright', async () => {
    expect(await budget.acquire('deleteUsers', { probe: true })).toEqual({
      ok: true,
    });
    const refused = await budget.acquire('deleteUsers', { probe: true });
    const retryAt = refused.ok ? 0 : refused.retryAt;
    expect(retryAt).toBeGreaterThanOrEqual(now + 50);
    expect(retryAt).toBeLessThanOrEqual(now + 200);

    await budget.observe('deleteUsers', {
      limit: 1000,
      remaining: 999,
      resetAt: now + 30_000,
    });
    expect(await redis.hget(budget.key('deleteUsers'), 'remaining')).toBe(
      '999',
    );

    // Learned: calls go out without waiting for answers (spaced by
    // 0.55 × 60 s / 1000 = 33 ms), and Stream's remaining only lowers
    // ours, which already counts calls in flight.
    now += 33;
    expect((await budget.acquire('deleteUsers', { probe: true })).ok).toBe(
      true,
    );
    now += 33;
    expect((await budget.acquire('deleteUsers', { probe: true })).ok).toBe(
      true,
    );
    await budget.observe('deleteUsers', {
      limit: 1000,
      remaining: 998,
      resetAt: now + 30_000,
    });
    expect(await redis.hget(budget.key('deleteUsers'), 'remaining')).toBe(
      '997',
    );
  });

  it('hands the probe on when a call gets no answer, and stops probing when Stream sends no headers', async () => {
    expect((await budget.acquire('getTask', { probe: true })).ok).toBe(true);
    expect((await budget.acquire('getTask', { probe: true })).ok).toBe(false);
    await budget.release('getTask');
    expect((await budget.acquire('getTask', { probe: true })).ok).toBe(true);

    // No headers: our guess of 60 a minute stands, spaced 550 ms apart.
    await budget.observe('getTask', undefined);
    now += 550;
    expect((await budget.acquire('getTask', { probe: true })).ok).toBe(true);
    now += 550;
    expect((await budget.acquire('getTask', { probe: true })).ok).toBe(true);
  });

  it('gives the probe to another caller once a lease runs out unanswered', async () => {
    expect((await budget.acquire('deleteChannels', { probe: true })).ok).toBe(
      true,
    );
    expect((await budget.acquire('deleteChannels', { probe: true })).ok).toBe(
      false,
    );
    now += 5001;
    expect((await budget.acquire('deleteChannels', { probe: true })).ok).toBe(
      true,
    );
  });

  it('lets eight queries out at once and counts the seven still out against the first answer', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await budget.acquire('queryUsers', { probe: true })).ok).toBe(
        true,
      );
    }
    expect((await budget.acquire('queryUsers', { probe: true })).ok).toBe(
      false,
    );

    await budget.observe('queryUsers', {
      limit: 1000,
      remaining: 999,
      resetAt: now + 30_000,
    });
    expect(await redis.hget(budget.key('queryUsers'), 'remaining')).toBe('992');
  });
});

/**
 * Stream limits bursts to twice a window's average rate per second, so
 * the budget spaces calls by 0.55 × window / limit once it knows both.
 */
describe('RateBudget spacing', () => {
  const budget = budgetFor('budget-spacing');

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
    const short = budgetFor('budget-short', { windowMs: 6_000 });
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
