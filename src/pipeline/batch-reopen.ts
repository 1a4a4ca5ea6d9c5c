import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';

import type { BatchJobData } from '../queues/job-ids.js';
import { reopenBatch } from '../requests/record-reopening.js';
import type { BatchOutcome } from '../requests/request-record.js';
import type { PipelineContext } from './pipeline-context.js';

/** Meta field holding the job's counters when its batch failed. */
function markerField(batchIndex: number): string {
  return `failedJob_b${batchIndex}`;
}

function markerOf(job: Job): string {
  return `${job.attemptsMade}:${job.stalledCounter}`;
}

/**
 * Notes the batch job's attempt and stall counters as the batch is
 * recorded failed, so a later run of the job can tell a redelivery of
 * this very attempt from an operator's retry (see `isOperatorRetry`).
 */
export async function markFailedJob(
  ctx: PipelineContext,
  job: Job<BatchJobData>,
): Promise<void> {
  const { requestId, batchIndex } = job.data;
  await ctx.store.redis.hset(
    ctx.store.keys(requestId).meta,
    markerField(batchIndex),
    markerOf(job),
  );
}

/**
 * Whether this run of a job whose batch is failed comes from a retry of
 * the failed job (the dashboard's Retry, `job.retry()`). The rule: a
 * redelivery of the attempt that recorded the failure (a worker died
 * before BullMQ moved the job to failed) is the only other way to get
 * here, and a redelivery always goes through the stalled checker, so it
 * has the same `attemptsMade` and a higher `stalledCounter` than noted.
 * Anything else (attemptsMade counted up by the move to failed, or reset
 * by `resetAttemptsMade`) is a retry. Without a note (a failure recorded
 * by an older version), a retry is recognised by BullMQ having counted
 * the failed attempt.
 */
export async function isOperatorRetry(
  ctx: PipelineContext,
  job: Job<BatchJobData>,
  outcome: BatchOutcome,
): Promise<boolean> {
  const { requestId, batchIndex } = job.data;
  const noted = await ctx.store.redis.hget(
    ctx.store.keys(requestId).meta,
    markerField(batchIndex),
  );
  if (noted === null) return job.attemptsMade >= outcome.attempts;
  const [attemptsMade, stalled] = noted.split(':').map(Number);
  const redelivered =
    job.attemptsMade === attemptsMade && job.stalledCounter > (stalled ?? 0);
  return !redelivered;
}

/**
 * Reopens a failed batch for another round: back to `waiting_on_stream`
 * when it has a task (the task is polled again, nothing resubmitted),
 * else `pending`, with a fresh attempt count; a concluded request goes
 * back to `running` and is finalized (and announced) again once the batch
 * ends; an export's files are then kept until the retention of that new
 * conclusion. Throws `UnrecoverableError` when the request was sealed (its
 * ids were replaced by fingerprints and cannot be sent again) or is an
 * export whose files were deleted after their retention (the other
 * batches' files are gone, so the export could only be half restored).
 * Returns the reopened outcome, or undefined when there is nothing to
 * reopen.
 */
export async function reopenFailedBatch(
  ctx: PipelineContext,
  job: Job<BatchJobData>,
  outcome: BatchOutcome,
  logger: Logger,
): Promise<BatchOutcome | undefined> {
  const { requestId, batchIndex } = job.data;
  const reopened = reopenedOutcome(outcome);
  const result = await reopenBatch(
    ctx.store,
    requestId,
    reopened,
    markerField(batchIndex),
  );
  if (result === 'sealed') {
    logger.warn({ batchIndex }, 'batch retry refused: request sealed');
    throw new UnrecoverableError(
      'request already sealed; submit a new request',
    );
  }

  if (result === 'export_deleted') {
    logger.warn({ batchIndex }, 'batch retry refused: export files deleted');
    throw new UnrecoverableError(
      'export files already deleted after their retention; submit a new request',
    );
  }

  if (result === 'missing' || result === 'not_failed') return undefined;
  logger.info(
    { batchIndex, requestReopened: result === 'request' },
    'failed batch reopened by a retry',
  );
  return reopened;
}

function reopenedOutcome(outcome: BatchOutcome): BatchOutcome {
  const {
    error: _error,
    finishedAt: _finishedAt,
    pollingSince: _pollingSince,
    pollDelayMs: _pollDelayMs,
    ...rest
  } = outcome;
  return {
    ...rest,
    status: outcome.taskId ? 'waiting_on_stream' : 'pending',
    attempts: 0,
  };
}
