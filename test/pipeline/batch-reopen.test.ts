import type { Job } from 'bullmq';

import { isOperatorRetry } from '../../src/pipeline/batch-reopen.js';
import type { PipelineContext } from '../../src/pipeline/pipeline-context.js';
import { jobIds } from '../../src/queues/job-ids.js';
import { RecordStore } from '../../src/requests/record-store.js';
import type { RequestRecord } from '../../src/requests/request-record.js';
import { HarnessQueues } from '../support/harness-queues.js';
import { pollUntil } from '../support/poll.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';
import type { Harness } from './pipeline-harness.js';
import { startHarness } from './pipeline-harness.js';

const PSEUDONYM_KEY = 'pseudonym-key-reopen-tests-0123456789';

describe('retrying a failed batch job (dashboard Retry)', () => {
  let h: Harness | undefined;
  let receiver: WebhookReceiver | undefined;
  const queues = new HarnessQueues();

  afterEach(async () => {
    await queues.closeAll();
    await h?.close();
    h = undefined;
    await receiver?.close();
    receiver = undefined;
  });

  const queue = (harness: Harness, name: string) => queues.open(harness, name);

  /**
   * An erasure of two users and one channel whose users batch fails for
   * good: one attempt per job, and one scripted 500 on Delete Users.
   */
  async function partiallyFailedErasure(
    harness: Harness,
    tag: string,
  ): Promise<{ record: RequestRecord; job: Job }> {
    const users = [`${tag}-u1`, `${tag}-u2`];
    harness.sandbox.seed({
      users: users.map((id) => ({ id })),
      channels: [{ type: 'messaging', id: `${tag}-room`, memberIds: users }],
    });
    harness.sandbox.faults.script({ kind: 'http500', endpoint: 'deleteUsers' });
    const { requestId } = await harness.client.requestErasure({
      userIds: users,
      channelCids: [`messaging:${tag}-room`],
    });
    const record = await harness.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });
    expect(record.status).toBe('partially_failed');
    const failed = record.batches.find((b) => b.status === 'failed');
    expect(failed?.target).toBe('users');
    const job = await queues.jobInState(
      harness,
      'batches',
      jobIds.batch(requestId, failed!.index),
      'failed',
    );
    return { record, job };
  }

  it('reopens the batch and the request, which concludes completed, verified and announced again', async () => {
    receiver = await startWebhookReceiver();
    h = await startHarness({
      env: {
        JOB_ATTEMPTS: '1',
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: 'webhook-secret-0123456789',
      },
    });
    const harness = h;
    const { record: first, job } = await partiallyFailedErasure(
      harness,
      'reopen',
    );
    const requestId = first.id;
    await pollUntil('the first webhook', () =>
      receiver!.received.length === 1 ? true : undefined,
    );

    await job.retry('failed');
    const record = await pollUntil(
      'the request to conclude again',
      async () => {
        const r = await harness.client.getRequest(requestId);
        return r?.status === 'completed' ? r : undefined;
      },
    );

    expect(record.batches.every((b) => b.status === 'completed')).toBe(true);
    expect(record.verification?.passed).toBe(true);
    expect(record.error).toBeUndefined();
    expect(record.progress).toEqual({ batches: 2, done: 2 });
    expect(harness.sandbox.state.user('reopen-u1')).toBeUndefined();
    const types = record.events.map((e) => e.type);
    expect(types).toContain('batch_reopened');
    expect(types.filter((t) => t === 'running')).toHaveLength(2);
    expect(types.slice(-1)).toEqual(['completed']);
    expect(
      await harness.redis.zscore(`${harness.prefix}:idx:open`, requestId),
    ).toBeNull();

    const finalize = queue(harness, 'finalize');
    const finalizeJobs = await Promise.all([
      finalize.getJob(jobIds.finalize(requestId)),
      finalize.getJob(`${jobIds.finalize(requestId)}-r1`),
    ]);
    expect(finalizeJobs.every((j) => j !== undefined)).toBe(true);

    await pollUntil('the second webhook', () =>
      receiver!.received.length === 2 ? true : undefined,
    );
    const statuses = receiver.received.map(
      (w) => (JSON.parse(w.body) as { status: string }).status,
    );
    expect(statuses).toEqual(['partially_failed', 'completed']);
  });

  it('refuses to reopen a request whose subjects were pseudonymised, leaving it unchanged', async () => {
    h = await startHarness({
      env: {
        JOB_ATTEMPTS: '1',
        RECORD_PSEUDONYMISE: 'true',
        RECORD_PSEUDONYM_KEY: PSEUDONYM_KEY,
      },
    });
    const harness = h;
    const { record: before, job } = await partiallyFailedErasure(
      harness,
      'sealed',
    );
    const stored = await harness.client.getRequest(before.id);
    expect(stored?.subjects.pseudonymised).toBe(true);

    const refused = await queues.retryUntilFailedAgain(harness, job);

    expect(refused.failedReason).toBe(
      'request already sealed; submit a new request',
    );
    expect(await harness.client.getRequest(before.id)).toEqual(stored);
  });

  it('tells a stalled redelivery of the failing attempt from a retry, with or without reset counters', async () => {
    h = await startHarness({ env: { JOB_ATTEMPTS: '1' } });
    const harness = h;
    const { record, job } = await partiallyFailedErasure(harness, 'rule');
    const ctx = {
      store: new RecordStore(harness.redis, { prefix: harness.prefix }),
    } as unknown as PipelineContext;
    const outcome = record.batches.find((b) => b.status === 'failed')!;
    // The failing run saw attemptsMade 0 and no stall.
    const run = (attemptsMade: number, stalledCounter: number) =>
      isOperatorRetry(
        ctx,
        { data: job.data, attemptsMade, stalledCounter } as unknown as Job,
        outcome,
      );

    expect(job.attemptsMade).toBe(1);
    expect(await run(0, 1)).toBe(false);
    expect(await run(1, 0)).toBe(true);
    expect(await run(0, 0)).toBe(true);
  });
});
