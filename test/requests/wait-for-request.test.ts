import { RequestNotFoundError } from '../../src/errors/request-not-found-error.js';
import type { RequestRecord } from '../../src/requests/request-record.js';
import type { Harness } from '../pipeline/pipeline-harness.js';
import { ids, startHarness } from '../pipeline/pipeline-harness.js';

describe('waitForRequest', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('resolves with the full record and reports progress with light records on the way', async () => {
    h = await startHarness({ sandbox: { latencyMs: 20 } });
    const users = ids('waited', 1200);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });
    const seen: RequestRecord[] = [];

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
      onProgress: (progress) => seen.push(progress),
    });

    expect(record.status).toBe('completed');
    // The full record: what `getRequest` returns with every list.
    expect(record.subjects.userIds).toHaveLength(1200);
    expect(record.subjectsTruncated).toBeUndefined();
    expect(record.batches).toHaveLength(12);
    expect(record.batches.every((b) => b.status === 'completed')).toBe(true);
    expect(seen.at(-1)).toBe(record);
    const onTheWay = seen.slice(0, -1);
    expect(onTheWay.length).toBeGreaterThan(0);
    for (const light of onTheWay) {
      expect(light.subjects.userIds).toEqual([]);
      expect(light.subjectsTruncated).toBe(true);
      expect(light.counts.users).toBe(1200);
    }
    // Each report is a change: no two in a row say the same.
    const keys = seen.map(
      (r) => `${r.status}|${r.updatedAt}|${r.progress?.done}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('rejects an id no request has', async () => {
    h = await startHarness({ workers: false });

    await expect(h.client.waitForRequest('nosuchrequest')).rejects.toThrow(
      RequestNotFoundError,
    );
  });
});
