import type { Job, Queue } from 'bullmq';

import { JOB_NAMES } from '../queues/job-ids.js';
import { sweepFailedJobs } from './failed-job-sweep.js';
import type { PipelineContext } from './pipeline-context.js';
import {
  createRetentionProcessor,
  type RetentionJobData,
} from './retention-processor.js';

/**
 * The maintenance queue's jobs: an export's deletion when its retention
 * ends, and the scheduled sweep that concludes requests whose failed jobs
 * nobody recorded (`sweptQueues`, see failed-job-sweep.ts).
 */
export function createMaintenanceProcessor(
  ctx: PipelineContext,
  sweptQueues: readonly Queue[],
) {
  const deleteExport = createRetentionProcessor(ctx);
  return async (job: Job<RetentionJobData>): Promise<void> => {
    if (job.name !== JOB_NAMES.sweepFailedJobs) return deleteExport(job);
    const seen = await sweepFailedJobs(ctx, sweptQueues);
    ctx.logger.debug(
      { queue: 'maintenance', jobId: job.id, failedJobs: seen },
      'failed jobs swept',
    );
  };
}
