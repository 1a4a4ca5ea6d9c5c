import type { SandboxCall } from '../../src/sandbox/index.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';

// Longer than eight queries take to start, far shorter than eight in a row.
const LATENCY_MS = 300;

/** The user ids a Query Users call asked about. */
function askedUsers(call: SandboxCall): string[] {
  const payload = JSON.parse(call.query?.payload ?? '{}') as {
    filter_conditions?: { id?: { $in?: string[] } };
  };
  return payload.filter_conditions?.id?.$in ?? [];
}

function answeredQueries(h: Harness): SandboxCall[] {
  return h.sandbox.calls.filter(
    (c) => c.endpoint === 'queryUsers' && c.status === 200,
  );
}

describe('erasure verification', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  it('checks each batch as its task completes, before the batch is recorded ended', async () => {
    const users = ids('endcheck', 500);
    // One lane, so the five batches end one after another.
    h = await startHarness({ env: { WORKER_CONCURRENCY: '1' } });
    h.sandbox.seed({ users: users.map((id) => ({ id })) });

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 30_000,
    });

    expect(record.status).toBe('completed');
    expect(record.verification).toMatchObject({ passed: true });
    const queries = answeredQueries(h);
    // One query per batch: none was repeated by the final verification.
    expect(queries).toHaveLength(record.batches.length);
    for (const batch of record.batches) {
      const offset = batch.offset ?? 0;
      // The record holds the ids in the order the batches were cut from.
      const batchIds = record.subjects.userIds.slice(
        offset,
        offset + batch.size,
      );
      const query = queries.find(
        (c) => askedUsers(c).join() === batchIds.join(),
      );
      expect(query).toBeDefined();
      expect(query!.at).toBeLessThanOrEqual(Date.parse(batch.finishedAt!));
    }
  });

  it('verifies the batches whose own check failed at the end, eight queries at once', async () => {
    const users = ids('verifyuser', 800);
    h = await startHarness({ sandbox: { latencyMs: LATENCY_MS } });
    h.sandbox.seed({ users: users.map((id) => ({ id })) });
    // Every batch's own check gets an answer it cannot read.
    h.sandbox.faults.script({
      kind: 'wrongShape',
      endpoint: 'queryUsers',
      times: 8,
    });

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 30_000,
    });

    expect(record.status).toBe('completed');
    expect(record.verification).toMatchObject({
      passed: true,
      stillListed: [],
    });
    const queries = answeredQueries(h).filter((c) => c.fault === undefined);
    expect(queries).toHaveLength(8);
    expect(new Set(queries.flatMap(askedUsers))).toEqual(new Set(users));
    const arrivals = queries.map((c) => c.at);
    // Serial queries would arrive at least 7 × LATENCY_MS apart in all.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(
      LATENCY_MS,
    );
  });
});
