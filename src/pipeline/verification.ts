import {
  recordBatchVerification,
  verifiedBatches,
} from '../requests/batch-verification-store.js';
import type { BatchOutcome } from '../requests/request-record.js';
import type { BatchRun } from './batch-run.js';
import type { PipelineContext } from './pipeline-context.js';
import { QUERY_CONCURRENCY, stillListed } from './subject-check.js';

/**
 * Verifying an erasure means asking Stream whether any subject is still
 * listed (Query Users by 100, Query Channels by 30). Each batch checks its
 * own subjects as its task completes, so the queries spread over the run
 * and over every worker process instead of queueing behind the last batch;
 * the request's finalize then checks only the batches that were not
 * checked (a check the rate budget deferred or Stream failed, a failed
 * batch, every batch again after an operator reopened one).
 */

export interface VerificationTally {
  readonly stillListedCount: number;
}

/** The ids Stream still lists, as recorded by `BatchRun.complete`. */
export interface BatchCheck {
  readonly listed: readonly string[];
}

/**
 * Checks an erasure batch's subjects as it ends. Undefined for an export
 * batch, or when the check could not be made now; the request's
 * verification makes it then, so a slow or refused query never holds the
 * batch back or costs it an attempt.
 */
export async function checkEndingBatch(
  run: BatchRun,
): Promise<BatchCheck | undefined> {
  const { target, index } = run.outcome;
  if (target === 'export') return undefined;
  try {
    return { listed: await stillListed(run.ctx, target, await run.ids()) };
  } catch (error) {
    run.logger.info(
      {
        batchIndex: index,
        reason: error instanceof Error ? error.name : 'unknown',
      },
      'batch subjects not checked as it ended; verification will check them',
    );
    return undefined;
  }
}

/**
 * Checks every erasure batch not checked yet, up to QUERY_CONCURRENCY
 * batches at once, recording each one as it is done, so a deferral (rate
 * budget) or a retry continues where it stopped and a million-subject
 * request never starts over. Throws the first failure of a window after
 * the rest of that window was recorded.
 */
export async function verifyErasure(
  ctx: PipelineContext,
  requestId: string,
  batches: readonly BatchOutcome[],
): Promise<VerificationTally> {
  const { store } = ctx;
  const isVerified = await verifiedBatches(store, requestId);
  const pending = batches.filter(
    (batch) => batch.target !== 'export' && !isVerified(batch.index),
  );
  for (let i = 0; i < pending.length; i += QUERY_CONCURRENCY) {
    const window = pending.slice(i, i + QUERY_CONCURRENCY);
    const results = await Promise.allSettled(
      window.map((batch) => verifyBatch(ctx, requestId, batch)),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  const count = await store.redis.hget(
    store.keys(requestId).meta,
    'stillListedCount',
  );
  return { stillListedCount: Number(count ?? 0) };
}

async function verifyBatch(
  ctx: PipelineContext,
  requestId: string,
  batch: BatchOutcome,
): Promise<void> {
  const target = batch.target === 'channels' ? 'channels' : 'users';
  const ids = await ctx.store.readIds(
    requestId,
    target,
    batch.offset ?? 0,
    batch.size,
  );
  const listed = await stillListed(ctx, target, ids);
  await recordBatchVerification(ctx.store, requestId, batch.index, listed);
}
