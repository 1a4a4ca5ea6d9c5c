import { rm } from 'node:fs/promises';

import type { Job } from 'bullmq';

import type { RequestJobData } from '../queues/job-ids.js';
import {
  beginExportDeletion,
  recordExportDeleted,
} from '../requests/record-export-deletion.js';
import { exportDirectory } from './export-paths.js';
import { jobLogger } from './job-logger.js';
import type { PipelineContext } from './pipeline-context.js';

/** Data of an export's deletion job. */
export interface RetentionJobData extends RequestJobData {
  /**
   * The request's round when it concluded and queued this job; absent on
   * jobs queued before rounds were tracked.
   */
  readonly round?: number;
}

/**
 * Deletes an export's files when its retention ends and records when, so
 * the record shows the data is gone. Runs from a delayed job added when
 * the export concluded, one per round: the job of a conclusion that a
 * reopened batch undid deletes nothing, since the files now belong to the
 * later conclusion and its own job. Once deletion began, the request is
 * no longer reopened.
 */
export function createRetentionProcessor(ctx: PipelineContext) {
  return async (job: Job<RetentionJobData>): Promise<void> => {
    const { requestId, round } = job.data;
    const logger = jobLogger(ctx.logger, job, 'maintenance');
    const start = await beginExportDeletion(ctx.store, requestId, round);
    if (start === 'superseded') {
      logger.info(
        { round },
        'export retention superseded by a later conclusion; files kept',
      );
      return;
    }

    await rm(exportDirectory(ctx.config.exportDir, requestId), {
      recursive: true,
      force: true,
    });
    if (start === 'begun') await recordExportDeleted(ctx.store, requestId);
    logger.info('export files deleted after the retention period');
  };
}
