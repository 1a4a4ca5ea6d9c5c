import type { SandboxCall } from '../../src/sandbox/index.js';
import type { ChildHandle } from '../support/child-process.js';
import { pollUntil } from '../support/poll.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';
import { killAll, spawnWorker } from './worker-processes.js';

describe('rate limits', () => {
  let h: Harness;
  const children: ChildHandle[] = [];

  afterEach(async () => {
    await killAll(children);
    await h?.close();
  });

  it('pauses an endpoint for every worker until the reset after a 429, using no attempt', async () => {
    const windowMs = 2000;
    h = await startHarness({
      sandbox: { rateLimit: { windowMs, limit: 1000 } },
    });
    await h.startWorkers();
    const first = ids('pausedfirst', 100);
    const second = ids('pausedsecond', 100);
    h.sandbox.seed({ users: [...first, ...second].map((id) => ({ id })) });
    h.sandbox.faults.script({ kind: 'http429Json', endpoint: 'deleteUsers' });

    const a = await h.client.requestErasure({ userIds: first });
    const limited = await pollUntil('the 429', () =>
      h.sandbox.calls.find((c) => c.status === 429),
    );
    const b = await h.client.requestErasure({ userIds: second });
    const records = await Promise.all(
      [a, b].map((r) =>
        h.client.waitForRequest(r.requestId, { timeoutMs: 20_000 }),
      ),
    );

    expect(records.map((r) => r.status)).toEqual(['completed', 'completed']);
    const resetAt = (Math.floor(limited.at / windowMs) + 1) * windowMs;
    const later = h.sandbox.calls.filter(
      (c) => c.endpoint === 'deleteUsers' && c !== limited,
    );
    expect(later).toHaveLength(2);
    for (const call of later) expect(call.at).toBeGreaterThanOrEqual(resetAt);
    expect(records.map((r) => r.batches[0]?.attempts)).toEqual([1, 1]);
  });

  it('keeps two worker processes together within Stream limits', async () => {
    const limit = 3;
    const windowMs = 1000;
    h = await startHarness({
      workers: false,
      sandbox: { rateLimit: { windowMs, limit } },
      env: { RATE_LIMIT_DEFAULT_PER_MINUTE: String(limit) },
    });
    spawnWorker(h.env, children);
    spawnWorker(h.env, children);
    const users = ids('limiteduser', 600);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 40_000,
    });

    expect(record.status).toBe('completed');
    const answered = h.sandbox.calls.filter(
      (c) => c.endpoint !== 'downloadExport',
    );
    expect(answered.filter((c) => c.status === 429)).toEqual([]);
    expect(maxPerWindow(answered, windowMs)).toBeLessThanOrEqual(limit);
    expect(answered.filter((c) => c.endpoint === 'deleteUsers')).toHaveLength(
      6,
    );
  }, 60_000);

  it("spaces calls under a per-minute quota so Stream's per-second burst limit never answers 429", async () => {
    // 300 a minute: Stream (and the sandbox) allow 10 a second.
    const limit = 300;
    h = await startHarness({
      sandbox: { rateLimit: { windowMs: 60_000, limit } },
      env: { RATE_LIMIT_WINDOW_MS: '60000' },
    });
    await h.startWorkers();
    const users = ids('burstuser', 2_000);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 40_000,
    });

    expect(record.status).toBe('completed');
    const answered = h.sandbox.calls.filter(
      (c) => c.endpoint !== 'downloadExport',
    );
    expect(answered.filter((c) => c.status === 429)).toEqual([]);
    expect(maxPerWindow(answered, 1000)).toBeLessThanOrEqual((limit * 2) / 60);
    expect(answered.filter((c) => c.endpoint === 'deleteUsers')).toHaveLength(
      20,
    );
  }, 60_000);
});

/** Most calls any endpoint got in one window. */
function maxPerWindow(calls: readonly SandboxCall[], windowMs: number): number {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const key = `${call.endpoint}@${Math.floor(call.at / windowMs)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  return Math.max(0, ...counts.values());
}
