import type { Sandbox } from '../../src/sandbox/index.js';
import { call, queryUsersRaw, startTestSandbox } from './helpers.js';

const BOB = { filter_conditions: { id: 'bob' } };

describe('sandbox rate limits', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startTestSandbox({
      seed: 'demo',
      // An hour-long window, so no test straddles a window boundary.
      rateLimit: {
        windowMs: 3_600_000,
        limit: 3,
        perEndpoint: { getTask: 1 },
      },
    });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('sends X-RateLimit headers with Reset in Unix seconds at the window end', async () => {
    sandbox.setRateLimit({ windowMs: 60_000, limit: 3 });
    const response = await queryUsersRaw(sandbox, BOB);
    const nowS = Date.now() / 1000;

    expect(response.headers.get('x-ratelimit-limit')).toBe('3');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('2');
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    expect(Number.isInteger(reset)).toBe(true);
    expect(reset % 60).toBe(0);
    expect(reset).toBeGreaterThan(nowS);
    expect(reset).toBeLessThanOrEqual(nowS + 61);
  });

  it('answers 429 code 9 beyond the limit, counting each endpoint apart', async () => {
    const first = await call(sandbox, 'GET', '/tasks/x');
    const second = await call(sandbox, 'GET', '/tasks/x');
    const other = await queryUsersRaw(sandbox, BOB);

    expect(first.status).toBe(404);
    expect(second.status).toBe(429);
    expect(second.json).toMatchObject({ code: 9, StatusCode: 429 });
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(second.headers.get('retry-after')).toBeNull();
    expect(other.status).toBe(200);
  });

  it('applies a new limit set live and lifts it when set to undefined', async () => {
    sandbox.setRateLimit({ windowMs: 3_600_000, limit: 1 });
    await queryUsersRaw(sandbox, BOB);
    const limited = await queryUsersRaw(sandbox, BOB);
    sandbox.setRateLimit(undefined);
    const lifted = await queryUsersRaw(sandbox, BOB);

    expect(limited.status).toBe(429);
    expect(lifted.status).toBe(200);
    expect(Number(lifted.headers.get('x-ratelimit-limit'))).toBeGreaterThan(
      100_000,
    );
  });

  it('does not rate-limit or label export downloads unless asked', async () => {
    const response = await fetch(new URL('/exports/users/none', sandbox.url));

    expect(response.status).toBe(403);
    expect(response.headers.get('x-ratelimit-limit')).toBeNull();
  });
});
