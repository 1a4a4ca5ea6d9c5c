import { RecordStore } from '../../src/requests/record-store.js';
import type { RequestRecord } from '../../src/requests/request-record.js';
import type { Harness } from '../pipeline/pipeline-harness.js';
import { startHarness } from '../pipeline/pipeline-harness.js';

describe('RecordStore', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  it('counts requests by status and lists open ones by deadline', async () => {
    h = await startHarness({ workers: false });
    const store = new RecordStore(h.redis, { prefix: h.prefix });
    await h.client.requestErasure({
      requestId: 'later',
      userIds: ['s1'],
      receivedAt: new Date(Date.now() - 1000),
    });
    await h.client.requestErasure({
      requestId: 'sooner',
      userIds: ['s2'],
      receivedAt: new Date(Date.now() - 10 * 86_400_000),
    });

    expect(await store.countByStatus()).toEqual({
      queued: 2,
      running: 0,
      waiting_on_stream: 0,
      completed: 0,
      failed: 0,
      partially_failed: 0,
    });
    const open = await store.openRequests(10);
    expect(open.map((o) => o.id)).toEqual(['sooner', 'later']);
    expect(open[0]?.createdAt).toEqual(expect.any(String));

    h.sandbox.seed({ users: [{ id: 's1' }, { id: 's2' }] });
    await h.startWorkers();
    const seen: RequestRecord['status'][] = [];
    await h.client.waitForRequest('sooner', {
      timeoutMs: 20_000,
      onProgress: (record) => seen.push(record.status),
    });
    await h.client.waitForRequest('later', { timeoutMs: 20_000 });

    expect(seen.at(-1)).toBe('completed');
    expect((await store.countByStatus()).completed).toBe(2);
    expect(await store.openRequests()).toEqual([]);
    expect(await store.get('missing')).toBeUndefined();
  });

  it('returns a record without its subjects when asked to', async () => {
    h = await startHarness({ workers: false });
    await h.client.requestExport({
      requestId: 'trimmed',
      userIds: ['t1', 't2', 't3'],
    });

    const record = await h.client.getRequest('trimmed', { subjectLimit: 1 });
    expect(record?.subjects.userIds).toEqual(['t1']);
    expect(record?.subjectsTruncated).toBe(true);
    expect(record?.counts.users).toBe(3);
    const bare = await h.client.getRequest('trimmed', { subjectLimit: 0 });
    expect(bare?.subjects.userIds).toEqual([]);
    expect(bare?.subjectsTruncated).toBe(true);
  });
});
