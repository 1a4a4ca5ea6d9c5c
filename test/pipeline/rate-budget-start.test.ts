import type { SandboxCall } from '../../src/sandbox/index.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';

/** Calls other than file downloads, which Stream does not limit. */
function apiCalls(calls: readonly SandboxCall[]): SandboxCall[] {
  return calls.filter((call) => call.endpoint !== 'downloadExport');
}

describe('rate budget before and after Stream first answers', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('adopts the limit Stream announces instead of the 60 a minute it guessed', async () => {
    h = await startHarness({
      sandbox: { rateLimit: { windowMs: 60_000, limit: 1_000_000 } },
      env: { RATE_LIMIT_DEFAULT_PER_MINUTE: '60' },
    });
    // 150 batches of 100.
    const users = ids('learnedlimit', 15_000);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });

    const { requestId } = await h.client.requestErasure({ userIds: users });
    // Within the guessed budget alone, 150 Delete Users calls would take
    // at least three minutes.
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 45_000,
    });

    expect(record.status).toBe('completed');
    const deletes = h.sandbox.calls.filter(
      (call) => call.endpoint === 'deleteUsers',
    );
    expect(deletes.filter((call) => call.status < 300)).toHaveLength(150);
    expect(apiCalls(h.sandbox.calls).filter((c) => c.status === 429)).toEqual(
      [],
    );
  }, 60_000);

  it('sends one Delete Users call until Stream has answered, so a cold start of two workers gets no 429', async () => {
    // Above the eight queries verification sends at once, as Stream's 1,000/min.
    const limit = 10;
    h = await startHarness({
      workers: false,
      sandbox: { rateLimit: { windowMs: 1000, limit } },
    });
    // Both sets of workers wait on an empty queue, then start together.
    await Promise.all([h.startWorkers(), h.startWorkers()]);
    const users = ids('coldstart', 2000);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 30_000,
    });

    expect(record.status).toBe('completed');
    const calls = apiCalls(h.sandbox.calls);
    expect(calls.filter((call) => call.status === 429)).toEqual([]);
    const deletes = calls.filter((call) => call.endpoint === 'deleteUsers');
    expect(deletes).toHaveLength(20);
  }, 45_000);
});
