import { access } from 'node:fs/promises';
import { join } from 'node:path';

import type { Job } from 'bullmq';

import { jobIds } from '../../src/queues/job-ids.js';
import type { RequestRecord } from '../../src/requests/request-record.js';
import { HarnessQueues } from '../support/harness-queues.js';
import { pollUntil } from '../support/poll.js';
import type { Harness } from './pipeline-harness.js';
import { ids, logMentions, startHarness } from './pipeline-harness.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('export retention across a retried batch', () => {
  let h: Harness | undefined;
  const queues = new HarnessQueues();

  afterEach(async () => {
    await queues.closeAll();
    await h?.close();
    h = undefined;
  });

  const jobInState = (
    harness: Harness,
    name: string,
    id: string,
    state: string,
  ) => queues.jobInState(harness, name, id, state);

  /**
   * An export of 30 users (batches of 25 and 5) whose one batch fails for
   * good: one attempt per job and one scripted 500 on Export Users.
   */
  async function partiallyFailedExport(
    harness: Harness,
    users: readonly string[],
  ): Promise<{ record: RequestRecord; job: Job }> {
    harness.sandbox.seed({ users: users.map((id) => ({ id })) });
    harness.sandbox.faults.script({ kind: 'http500', endpoint: 'exportUsers' });
    const { requestId } = await harness.client.requestExport({
      userIds: [...users],
    });
    const record = await harness.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });
    expect(record.status).toBe('partially_failed');
    expect(record.artifacts?.files).toHaveLength(1);
    const failed = record.batches.find((b) => b.status === 'failed')!;
    const job = await jobInState(
      harness,
      'batches',
      jobIds.batch(requestId, failed.index),
      'failed',
    );
    return { record, job };
  }

  it('keeps the files past the first conclusion’s retention and deletes them at the second’s', async () => {
    h = await startHarness({ env: { JOB_ATTEMPTS: '1' } });
    const harness = h;
    const users = ids('kept', 30);
    const { record: first, job } = await partiallyFailedExport(harness, users);
    const requestId = first.id;
    const firstDeletion = await jobInState(
      harness,
      'maintenance',
      jobIds.exportRetention(requestId),
      'delayed',
    );
    expect(firstDeletion.data).toEqual({ requestId, round: 0 });

    await job.retry('failed');
    const second = await pollUntil(
      'the request to conclude again',
      async () => {
        const r = await harness.client.getRequest(requestId);
        return r?.status === 'completed' ? r : undefined;
      },
    );
    const secondDeletion = await jobInState(
      harness,
      'maintenance',
      `${jobIds.exportRetention(requestId)}-r1`,
      'delayed',
    );
    expect(secondDeletion.data).toEqual({ requestId, round: 1 });
    const expiresAt = Date.parse(second.artifacts!.expiresAt);
    expect(expiresAt).toBeGreaterThan(Date.parse(first.artifacts!.expiresAt));
    // Delayed until the record's retention date (job timestamp ≈ now).
    expect(
      Math.abs(secondDeletion.timestamp + secondDeletion.delay - expiresAt),
    ).toBeLessThan(2000);
    const directory = join(harness.exportDir, requestId);
    const files = [
      'manifest.json',
      ...second.artifacts!.files.map((file) => file.file),
    ].map((file) => join(directory, file));
    expect(files).toHaveLength(3);

    await firstDeletion.promote();
    await jobInState(
      harness,
      'maintenance',
      jobIds.exportRetention(requestId),
      'completed',
    );
    expect(await Promise.all(files.map(exists))).toEqual([true, true, true]);
    const kept = await harness.client.getRequest(requestId);
    expect(kept?.artifacts).toEqual(second.artifacts);
    expect(kept?.events.map((e) => e.type)).not.toContain('export_deleted');
    expect(
      harness.log
        .records()
        .filter((r) => String(r.msg).includes('retention superseded')),
    ).toEqual([expect.objectContaining({ requestId, round: 0 })]);

    await secondDeletion.promote();
    const deleted = await pollUntil('the export to be deleted', async () => {
      const r = await harness.client.getRequest(requestId);
      return r?.artifacts?.deletedAt ? r : undefined;
    });
    expect(await exists(directory)).toBe(false);
    expect(deleted.events.map((e) => e.type)).toContain('export_deleted');
    expect(logMentions(harness.log, users)).toEqual([]);
  });

  it('refuses to reopen a batch once retention deleted the export, calling Stream no more', async () => {
    h = await startHarness({ env: { JOB_ATTEMPTS: '1' } });
    const harness = h;
    const users = ids('gone', 30);
    const { record: first, job } = await partiallyFailedExport(harness, users);
    const requestId = first.id;
    const deletion = await jobInState(
      harness,
      'maintenance',
      jobIds.exportRetention(requestId),
      'delayed',
    );
    await deletion.promote();
    const deleted = await pollUntil('the export to be deleted', async () => {
      const r = await harness.client.getRequest(requestId);
      return r?.artifacts?.deletedAt ? r : undefined;
    });
    const callsBefore = harness.sandbox.calls.length;

    const refused = await queues.retryUntilFailedAgain(harness, job);

    expect(refused.failedReason).toBe(
      'export files already deleted after their retention; submit a new request',
    );
    expect(await harness.client.getRequest(requestId)).toEqual(deleted);
    expect(harness.sandbox.calls).toHaveLength(callsBefore);
    const warning = harness.log
      .records()
      .find((r) => r.msg === 'batch retry refused: export files deleted');
    expect(warning).toMatchObject({
      level: 40,
      requestId,
      batchIndex: job.data.batchIndex,
    });
    expect(logMentions(harness.log, users)).toEqual([]);
  });
});
