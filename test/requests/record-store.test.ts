import {
  recordBatchVerification,
  verifiedBatches,
} from '../../src/requests/batch-verification-store.js';
import { reopenBatch } from '../../src/requests/record-reopening.js';
import { RecordStore } from '../../src/requests/record-store.js';
import type {
  BatchOutcome,
  RequestRecord,
} from '../../src/requests/request-record.js';
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

  it('records each batch check once and drops every check when a batch is reopened', async () => {
    h = await startHarness({ workers: false });
    const store = new RecordStore(h.redis, { prefix: h.prefix });
    const users = Array.from({ length: 150 }, (_, i) => `checked${i}`);
    await h.client.requestErasure({ requestId: 'checks', userIds: users });
    const batch = (index: number, size: number): BatchOutcome => ({
      index,
      target: 'users',
      size,
      offset: index * 100,
      attempts: 1,
      status: 'completed',
    });
    await store.initBatches('checks', [
      { ...batch(0, 100), status: 'pending' },
      { ...batch(1, 50), status: 'pending' },
    ]);
    await h.redis.hset(store.keys('checks').meta, 'batchTotal', 2);

    const first = await store.endBatch('checks', batch(0, 100), {
      listed: ['checked3'],
    });
    // Ended already: neither the outcome nor the check counts twice.
    const again = await store.endBatch('checks', batch(0, 100), {
      listed: ['checked3'],
    });
    await recordBatchVerification(store, 'checks', 0, ['checked3']);
    await store.endBatch('checks', { ...batch(1, 50), status: 'failed' });
    const checkedAfterEnd = await verifiedBatches(store, 'checks');

    expect(first).toEqual({ counted: true, allEnded: false });
    expect(again).toEqual({ counted: false, allEnded: false });
    expect([0, 1, 2].map(checkedAfterEnd)).toEqual([true, false, false]);

    await recordBatchVerification(store, 'checks', 1, [
      'checked140',
      'checked141',
    ]);
    const record = await store.get('checks');
    expect(record?.verification).toBeUndefined();
    expect(
      await h.redis.lrange(store.keys('checks').stillListed, 0, -1),
    ).toEqual(['checked3', 'checked140', 'checked141']);
    expect(
      await h.redis.hget(store.keys('checks').meta, 'stillListedCount'),
    ).toBe('3');

    const reopened = await reopenBatch(
      store,
      'checks',
      { ...batch(1, 50), status: 'pending' },
      'unused',
    );
    const checkedAfterReopen = await verifiedBatches(store, 'checks');

    expect(reopened).toBe('batch');
    expect([0, 1].map(checkedAfterReopen)).toEqual([false, false]);
    expect(await h.redis.exists(store.keys('checks').stillListed)).toBe(0);
    expect(
      await h.redis.hget(store.keys('checks').meta, 'stillListedCount'),
    ).toBeNull();
  });
});
