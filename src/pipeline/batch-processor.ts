import type { Job } from 'bullmq';

import type { BatchJobData } from '../queues/job-ids.js';
import type {
  BatchOutcome,
  ErasureOptions,
} from '../requests/request-record.js';
import { pollBatch } from './batch-poll.js';
import {
  isOperatorRetry,
  markFailedJob,
  reopenFailedBatch,
} from './batch-reopen.js';
import { BatchRun } from './batch-run.js';
import { submitBatch } from './batch-submit.js';
import { toFailureReason } from './failure-reason.js';
import { endFailedAttempt } from './job-control.js';
import { jobLogger } from './job-logger.js';
import type { PipelineContext } from './pipeline-context.js';

/**
 * Processes one batch job: a step machine whose state is the batch
 * outcome in Redis, not the job's data. Failed and the job retried by an
 * operator → reopen (see batch-reopen.ts); ended → nothing to do; a task
 * id recorded → poll it; otherwise → submit. Every wait is a delay of the
 * job; every failure is either retried (transient) or recorded on the
 * batch and final, so the request always concludes.
 */
export function createBatchProcessor(ctx: PipelineContext) {
  return async (job: Job<BatchJobData>, token?: string): Promise<void> => {
    const { requestId, batchIndex } = job.data;
    const logger = jobLogger(ctx.logger, job, 'batches');
    let stored = await ctx.store.getBatch(requestId, batchIndex);
    if (
      stored?.status === 'failed' &&
      (await isOperatorRetry(ctx, job, stored))
    ) {
      stored = await reopenFailedBatch(ctx, job, stored, logger);
    }

    if (stored === undefined || isEnded(stored)) return;

    const options = await erasureOptions(ctx, requestId);
    const run = new BatchRun(ctx, requestId, stored, logger);
    await beginAttempt(run, job.attemptsMade + 1);
    try {
      if (run.outcome.taskId) await pollBatch(run, options);
      else await submitBatch(run, options);
    } catch (error) {
      return endFailedAttempt(error, {
        job,
        token,
        logger,
        fields: { batchIndex },
        reasonOf: async (cause) => toFailureReason(cause, await run.terms()),
        recordFinal: async (reason) => {
          await markFailedJob(ctx, job);
          await run.fail(reason);
        },
        retryMessage: 'batch attempt failed; will retry',
        finalMessage: 'batch failed',
      });
    }
  };
}

/**
 * Safety net for a batch job that failed without our code recording it
 * (e.g. stalled too often): records the batch failed so the request
 * still concludes.
 */
export async function endBatchAfterJobFailure(
  ctx: PipelineContext,
  job: Job<BatchJobData>,
): Promise<void> {
  const { requestId, batchIndex } = job.data;
  const stored = await ctx.store.getBatch(requestId, batchIndex);
  if (stored === undefined || isEnded(stored)) return;
  const run = new BatchRun(ctx, requestId, stored, ctx.logger);
  await markFailedJob(ctx, job);
  await run.fail({
    code: 'job_failed',
    message: 'the batch job failed without recording an outcome',
  });
}

function isEnded(outcome: BatchOutcome): boolean {
  return outcome.status === 'completed' || outcome.status === 'failed';
}

async function beginAttempt(run: BatchRun, attempt: number): Promise<void> {
  if (attempt <= run.outcome.attempts) return;
  await run.save({
    attempts: attempt,
    // A new attempt gets a fresh task timeout on the same task.
    pollingSince: run.outcome.taskId ? new Date().toISOString() : undefined,
  });
}

async function erasureOptions(
  ctx: PipelineContext,
  requestId: string,
): Promise<ErasureOptions | undefined> {
  const [kind, options] = await ctx.store.redis.hmget(
    ctx.store.keys(requestId).meta,
    'kind',
    'options',
  );
  if (kind !== 'erasure' || !options) return undefined;
  return JSON.parse(options) as ErasureOptions;
}
