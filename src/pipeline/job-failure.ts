import type { Job } from 'bullmq';

import type { BatchJobData, RequestJobData } from '../queues/job-ids.js';
import { QUEUE_NAMES } from '../queues/queue-names.js';
import { endBatchAfterJobFailure } from './batch-processor.js';
import type { PipelineContext } from './pipeline-context.js';
import { concludeUnfinalized, markRequestFailed } from './request-failure.js';

/** Why a job failed without our code recording it on the request. */
const JOB_FAILED = {
  code: 'job_failed',
  message: 'the job failed without recording an outcome',
};

/**
 * Records on its request a job that failed for good: a batch ends failed,
 * a plan fails the request, a finalize concludes it partially failed, so
 * a request always concludes. Our processors record their own final
 * failures before failing; this covers the rest (a job that stalled too
 * often because its workers kept dying). Safe to repeat: each step does
 * nothing when the outcome is already recorded.
 */
export async function recordJobFailure(
  ctx: PipelineContext,
  queue: string,
  job: Job<RequestJobData | BatchJobData>,
): Promise<void> {
  switch (queue) {
    case QUEUE_NAMES.batches:
      return endBatchAfterJobFailure(ctx, job as Job<BatchJobData>);
    case QUEUE_NAMES.requests:
      return markRequestFailed(ctx, job.data.requestId, 'planning_failed');
    case QUEUE_NAMES.finalize:
      return concludeUnfinalized(ctx, job.data.requestId, JOB_FAILED);
    default:
      return undefined;
  }
}
