import { Queue } from 'bullmq';

import { RequestConflictError } from '../../src/errors/request-conflict-error.js';
import { ALL_QUEUES } from '../../src/queues/queue-names.js';
import type { Harness } from '../pipeline/pipeline-harness.js';
import { ids, startHarness } from '../pipeline/pipeline-harness.js';

describe('request ids are the identity of a request', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  const streamWrites = () =>
    h.sandbox.calls.filter((c) =>
      ['deleteUsers', 'deleteChannels', 'exportUsers'].includes(c.endpoint),
    ).length;

  it('returns the existing request for the same id and content, also after its jobs were removed', async () => {
    h = await startHarness();
    const users = ids('idemuser', 120);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });
    const input = {
      requestId: 'idem-1',
      userIds: users,
      mode: 'hard' as const,
    };

    const first = await h.client.requestErasure(input);
    await h.client.waitForRequest('idem-1', { timeoutMs: 20_000 });
    const writes = streamWrites();
    expect(writes).toBe(2);

    const again = await h.client.requestErasure({
      ...input,
      userIds: [...users].reverse(),
    });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.record.status).toBe('completed');

    for (const name of ALL_QUEUES) {
      const queue = new Queue(name, { connection: h.redis, prefix: h.prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }

    const afterCleanup = await h.client.requestErasure(input);
    expect(afterCleanup.created).toBe(false);
    expect(afterCleanup.record.status).toBe('completed');
    expect(streamWrites()).toBe(writes);
  });

  it('refuses the same id with different content as a conflict', async () => {
    h = await startHarness({ workers: false });
    await h.client.requestErasure({ requestId: 'idem-2', userIds: ['a1'] });

    await expect(
      h.client.requestErasure({ requestId: 'idem-2', userIds: ['a2'] }),
    ).rejects.toBeInstanceOf(RequestConflictError);
    await expect(
      h.client.requestErasure({
        requestId: 'idem-2',
        userIds: ['a1'],
        mode: 'pruning',
      }),
    ).rejects.toMatchObject({ code: 'request_conflict' });
    await expect(
      h.client.requestExport({ requestId: 'idem-2', userIds: ['a1'] }),
    ).rejects.toMatchObject({ code: 'request_conflict' });
  });

  it('treats an explicit, different receivedAt as different content but an omitted one as the same', async () => {
    h = await startHarness({ workers: false });
    const receivedAt = '2026-11-01T09:00:00.000Z';
    await h.client.requestErasure({
      requestId: 'idem-4',
      userIds: ['c1'],
      receivedAt,
    });

    const again = await h.client.requestErasure({
      requestId: 'idem-4',
      userIds: ['c1'],
    });
    expect(again.created).toBe(false);
    expect(again.record.receivedAt).toBe(receivedAt);
    await expect(
      h.client.requestErasure({
        requestId: 'idem-4',
        userIds: ['c1'],
        receivedAt: '2026-11-02T09:00:00.000Z',
      }),
    ).rejects.toMatchObject({ code: 'request_conflict' });
  });

  it('rejects waiting for a request that does not exist', async () => {
    h = await startHarness({ workers: false });
    await expect(
      h.client.waitForRequest('never-created', { timeoutMs: 2000 }),
    ).rejects.toMatchObject({ code: 'request_not_found' });
  });

  it('re-adds the plan job of a request left queued without one', async () => {
    h = await startHarness({ workers: false });
    const input = { requestId: 'idem-3', userIds: ['b1', 'b2'] };
    await h.client.requestErasure(input);
    const plans = new Queue('requests', {
      connection: h.redis,
      prefix: h.prefix,
    });
    // As if the producer crashed between writing the record and the job.
    await plans.obliterate({ force: true });
    expect(await plans.getJobCounts()).toMatchObject({ prioritized: 0 });

    const again = await h.client.requestErasure(input);
    expect(again.created).toBe(false);
    const counts = await plans.getJobCounts();
    expect((counts.prioritized ?? 0) + (counts.waiting ?? 0)).toBe(1);
    await plans.close();

    await h.startWorkers();
    h.sandbox.seed({ users: [{ id: 'b1' }, { id: 'b2' }] });
    const record = await h.client.waitForRequest('idem-3', {
      timeoutMs: 20_000,
    });
    expect(record.status).toBe('completed');
  });
});
