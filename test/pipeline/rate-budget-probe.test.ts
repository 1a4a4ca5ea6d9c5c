import { Redis } from 'ioredis';

import { RateBudget } from '../../src/rate-budget/rate-budget.js';
import { deleteKeysUnder, uniquePrefix } from '../support/test-env.js';

describe('RateBudget probe and first answer', () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  const prefix = uniquePrefix('budget-probe');
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
