import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';

// Longer than eight queries take to start, far shorter than eight in a row.
const LATENCY_MS = 300;

describe('erasure verification', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  it('runs the Query Users calls of a window concurrently and still verifies every user', async () => {
    const users = ids('verifyuser', 800);
    h = await startHarness({ sandbox: { latencyMs: LATENCY_MS } });
    h.sandbox.seed({ users: users.map((id) => ({ id })) });

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 30_000,
    });

    expect(record.status).toBe('completed');
    expect(record.verification).toMatchObject({
      passed: true,
      stillListed: [],
    });
    const queries = h.sandbox.calls.filter(
      (c) => c.endpoint === 'queryUsers' && c.status === 200,
    );
    expect(queries).toHaveLength(8);
    const arrivals = queries.map((c) => c.at);
    // Serial queries would arrive at least 7 × LATENCY_MS apart in all.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(
      LATENCY_MS,
    );
  });
});
