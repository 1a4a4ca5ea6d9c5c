import type { Job } from 'bullmq';

import type { RequestJobData } from '../queues/job-ids.js';
import {
  type RequestStatus,
  TERMINAL_STATUSES,
  type Verification,
} from '../requests/request-record.js';
import { writeExportManifest } from './export-manifest.js';
import { toFailureReason } from './failure-reason.js';
import { endFailedAttempt } from './job-control.js';
import { jobLogger } from './job-logger.js';
import type { PipelineContext } from './pipeline-context.js';
import { concludeRequest } from './request-conclusion.js';
import { concludeUnfinalized } from './request-failure.js';
import { afterFinish, sealFinishedSubjects } from './request-followups.js';
import { verifyErasure } from './verification.js';

/**
 * Concludes a request once every batch ended: verifies an erasure against
 * Stream's query endpoints (the batches not checked as they ended,
 * resumably), writes an export's manifest and
 * schedules its deletion, sets the final status, lets the record expire
 * after the retention period and queues the completion webhook.
 */
export function createFinalizeProcessor(ctx: PipelineContext) {
  return async (job: Job<RequestJobData>, token?: string): Promise<void> => {
    const { requestId } = job.data;
    const logger = jobLogger(ctx.logger, job, 'finalize');
    const status = (await ctx.store.meta(requestId)).status as
      RequestStatus | undefined;
    if (status === undefined) return;
    if (TERMINAL_STATUSES.includes(status)) {
      return afterFinish(ctx, requestId);
    }

    // A finalize of an earlier round, outrun by a reopened batch: the
    // batch queues this round's finalize when it ends.
    const progress = await ctx.store.batchProgress(requestId);
    if (progress.done < progress.total) return;

    try {
      const finalStatus = await finalize(ctx, requestId);
      logger.info({ status: finalStatus }, 'request finished');
    } catch (error) {
      return endFailedAttempt(error, {
        job,
        token,
        logger,
        reasonOf: (cause) => toFailureReason(cause),
        recordFinal: (reason) => concludeUnfinalized(ctx, requestId, reason),
        retryMessage: 'finalize attempt failed; will retry',
        finalMessage: 'request could not be finalized',
      });
    }
  };
}

async function finalize(
  ctx: PipelineContext,
  requestId: string,
): Promise<RequestStatus> {
  const { store } = ctx;
  const record = await store.get(requestId, { subjectLimit: 0 });
  if (record === undefined) return 'failed';
  let stillListedCount = 0;
  if (record.kind === 'erasure') {
    stillListedCount = (await verifyErasure(ctx, requestId, record.batches))
      .stillListedCount;
    const verification: Omit<Verification, 'stillListed'> = {
      checkedAt: new Date().toISOString(),
      passed: stillListedCount === 0,
      stillListedCount,
    };
    await store.setMeta(requestId, {
      verification: JSON.stringify(verification),
    });
  } else if (record.artifacts === undefined) {
    // Written once: a retry after the subjects were sealed would otherwise
    // read fingerprints into the manifest.
    const artifacts = await writeExportManifest(ctx, requestId, record.batches);
    await store.setMeta(requestId, { artifacts: JSON.stringify(artifacts) });
  }

  const conclusion = concludeRequest(record, stillListedCount);
  if (conclusion.error) {
    await store.setMeta(requestId, { error: JSON.stringify(conclusion.error) });
  }

  // Before the final status, so a finished record never shows clear ids
  // when pseudonymisation is on.
  await sealFinishedSubjects(ctx, requestId);
  await store.transition(requestId, conclusion.status);
  await afterFinish(ctx, requestId);
  return conclusion.status;
}
