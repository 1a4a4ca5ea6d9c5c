import type { Job } from 'bullmq';

import {
  type BatchJobData,
  JOB_NAMES,
  jobIds,
  type RequestJobData,
} from '../queues/job-ids.js';
import { deadlinePriority, retryingJob } from '../queues/job-options.js';
import type { RequestStatus } from '../requests/request-record.js';
import { TERMINAL_STATUSES } from '../requests/request-record.js';
import { planBatches } from './batch-plan.js';
import { jobLogger } from './job-logger.js';
import type { PipelineContext } from './pipeline-context.js';

/** Jobs per addBulk call; keeps each call's Redis work short. */
const ADD_CHUNK = 500;

/**
 * Plans a request: batch outcomes first (only where none exists, so a
 * re-run keeps progress), the batch total, then one job per batch in
 * chunks, prioritised by deadline. Every step is idempotent, so a crash
 * anywhere is repaired by the job's retry.
 */
export function createPlanProcessor(ctx: PipelineContext) {
  return async (job: Job<RequestJobData>): Promise<void> => {
    const { requestId } = job.data;
    const logger = jobLogger(ctx.logger, job, 'requests');
    const meta = await ctx.store.meta(requestId);
    const status = meta.status as RequestStatus | undefined;
    if (status === undefined || TERMINAL_STATUSES.includes(status)) return;

    await ctx.store.transition(requestId, 'running', { from: ['queued'] });
    const kind = meta.kind === 'export' ? 'export' : 'erasure';
    const batches = planBatches(
      kind,
      Number(meta.users ?? 0),
      Number(meta.channels ?? 0),
    );
    await ctx.store.initBatches(requestId, batches);
    await ctx.store.setMeta(requestId, { batchTotal: batches.length });

    const priority = deadlinePriority(meta.deadlineAt ?? new Date());
    const attempts = ctx.config.worker.attempts;
    for (let i = 0; i < batches.length; i += ADD_CHUNK) {
      await ctx.queues.batches.addBulk(
        batches.slice(i, i + ADD_CHUNK).map((batch) => ({
          name: JOB_NAMES.batch,
          data: { requestId, batchIndex: batch.index } satisfies BatchJobData,
          opts: retryingJob(jobIds.batch(requestId, batch.index), attempts, {
            priority,
          }),
        })),
      );
    }

    if (status === 'queued') {
      await ctx.store.addEvent(
        requestId,
        'planned',
        `${batches.length} batches`,
      );
    }

    logger.info(
      { kind, batches: batches.length },
      'request started: batches queued',
    );
  };
}
