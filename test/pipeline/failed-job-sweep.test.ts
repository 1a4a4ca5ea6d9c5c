import { randomUUID } from 'node:crypto';

import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';

import { recordJobFailure } from '../../src/pipeline/job-failure.js';
import type { PipelineContext } from '../../src/pipeline/pipeline-context.js';
import { createPlanProcessor } from '../../src/pipeline/plan-processor.js';
import type { RequestJobData } from '../../src/queues/job-ids.js';
import { QUEUE_NAMES } from '../../src/queues/queue-names.js';
import { RateBudget } from '../../src/rate-budget/rate-budget.js';
import { RecordStore } from '../../src/requests/record-store.js';
import { createStreamClient } from '../../src/stream/stream-client.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';

/**
 * A job BullMQ fails by itself (it stalled too often: its workers kept
 * dying) is recorded from the `failed` event of whichever worker noticed,
 * in memory. When that worker dies too, the scheduled sweep must still
 * conclude the request.
 */
describe('sweeping failed jobs nobody recorded', () => {
  let h: Harness | undefined;
  let workers: WorkersHandle | undefined;
  const opened: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await Promise.all(opened.splice(0).map((thing) => thing.close()));
    await h?.close();
    h = undefined;
  });

  function contextOf(harness: Harness): PipelineContext {
    const queue = (name: string) => {
      const q = new Queue(name, {
        connection: harness.redis,
        prefix: harness.prefix,
      });
      opened.push(q);
      return q;
    };
    return {
      config: harness.config,
      logger: harness.log.logger,
      store: new RecordStore(harness.redis, { prefix: harness.prefix }),
      budget: new RateBudget(harness.redis, {
        prefix: harness.prefix,
        defaultPerMinute: 100_000,
      }),
      stream: createStreamClient(harness.config, {
        logger: harness.log.logger,
      }),
      queues: {
        batches: queue(QUEUE_NAMES.batches),
        finalize: queue(QUEUE_NAMES.finalize),
        webhooks: queue(QUEUE_NAMES.webhooks),
        maintenance: queue(QUEUE_NAMES.maintenance),
      },
    };
  }

  /** Takes the next job of `queue` as a worker would, without a processor. */
  async function take(harness: Harness, queue: string) {
    // A worker's connection must retry forever, as BullMQ requires.
    const connection = new Redis(harness.config.redis.url, {
      maxRetriesPerRequest: null,
    });
    const manual = new Worker(queue, null, {
      connection,
      prefix: harness.prefix,
    });
    opened.push({
      close: async () => {
        await manual.close();
        connection.disconnect();
      },
    });
    const token = randomUUID();
    const job = await manual.getNextJob(token, { block: false });
    if (job === undefined) throw new Error(`no job waiting in ${queue}`);
    return { job, token };
  }

  it('ends a batch whose job BullMQ failed unrecorded, so the request concludes', async () => {
    h = await startHarness({ workers: false });
    const users = ids('sweptuser', 150);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });
    const { requestId } = await h.client.requestErasure({ userIds: users });

    // Plan it by hand, then fail its first batch the way BullMQ fails a
    // job that stalled too often: no processor of ours ever runs for it.
    const plan = await take(h, QUEUE_NAMES.requests);
    await createPlanProcessor(contextOf(h))(plan.job);
    await plan.job.moveToCompleted(undefined, plan.token, false);
    const batch = await take(h, QUEUE_NAMES.batches);
    // Unrecoverable: failed for good, no retry (BullMQ's stall-out is too).
    await batch.job.moveToFailed(
      new UnrecoverableError('job stalled more than allowable limit'),
      batch.token,
      false,
    );

    workers = await startWorkers({
      config: h.config,
      logger: h.log.logger,
      sweepEveryMs: 200,
    });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('partially_failed');
    const failed = record.batches.filter((b) => b.status === 'failed');
    expect(failed.map((b) => [b.index, b.error?.code])).toEqual([
      [batch.job.data.batchIndex, 'job_failed'],
    ]);
    // The other batch ran as usual.
    expect(record.batches.filter((b) => b.status === 'completed')).toHaveLength(
      1,
    );
  });

  it('concludes a request whose finalize job failed unrecorded, once', async () => {
    h = await startHarness({ workers: false });
    const users = ids('finaluser', 3);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });
    const { requestId } = await h.client.requestErasure({ userIds: users });
    const ctx = contextOf(h);
    const plan = await take(h, QUEUE_NAMES.requests);
    await createPlanProcessor(ctx)(plan.job);
    await plan.job.moveToCompleted(undefined, plan.token, false);
    const finalize = { data: { requestId } } as Job<RequestJobData>;

    await recordJobFailure(ctx, QUEUE_NAMES.finalize, finalize);
    const first = await h.client.getRequest(requestId);
    await recordJobFailure(ctx, QUEUE_NAMES.finalize, finalize);
    const again = await h.client.getRequest(requestId);

    expect(first?.status).toBe('partially_failed');
    expect(first?.error?.code).toBe('finalize_failed');
    // A repeat (the sweep finds the same failed job again) changes nothing.
    expect(again?.events).toEqual(first?.events);
    expect(again?.error).toEqual(first?.error);
  });
});
