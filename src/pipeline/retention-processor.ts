import { rm } from 'node:fs/promises';

import type { Job } from 'bullmq';

import type { RequestJobData } from '../queues/job-ids.js';
import type { ExportArtifacts } from '../requests/request-record.js';
import { exportDirectory } from './export-paths.js';
import { jobLogger } from './job-logger.js';
import type { PipelineContext } from './pipeline-context.js';

/**
 * Deletes an export's files when its retention ends and records when, so
 * the record shows the data is gone. Runs from a delayed job added when
 * the export finished.
 */
export function createRetentionProcessor(ctx: PipelineContext) {
  return async (job: Job<RequestJobData>): Promise<void> => {
    const { requestId } = job.data;
    const logger = jobLogger(ctx.logger, job, 'maintenance');
    await rm(exportDirectory(ctx.config.exportDir, requestId), {
      recursive: true,
      force: true,
    });

    const json = await ctx.store.redis.hget(
      ctx.store.keys(requestId).meta,
      'artifacts',
    );
    if (json) {
      const artifacts = JSON.parse(json) as ExportArtifacts;
      const updated = { ...artifacts, deletedAt: new Date().toISOString() };
      await ctx.store.setMeta(requestId, {
        artifacts: JSON.stringify(updated),
      });
      await ctx.store.addEvent(requestId, 'export_deleted');
    }

    logger.info('export files deleted after the retention period');
  };
}
