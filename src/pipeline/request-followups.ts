import { JOB_NAMES, jobIds } from '../queues/job-ids.js';
import { retryingJob } from '../queues/job-options.js';
import { sealSubjects } from '../requests/record-sealing.js';
import type { ExportArtifacts } from '../requests/request-record.js';
import type { PipelineContext } from './pipeline-context.js';
import { roundJobId } from './round-job-id.js';

/**
 * Idempotent follow-ups of a finished request: its subjects are indexed
 * (and pseudonymised when configured) if finalize did not already, its
 * keys expire after the record retention, an export's files get their
 * deletion job, and the completion webhook is queued when one is
 * configured. Safe to repeat.
 */
export async function afterFinish(
  ctx: PipelineContext,
  requestId: string,
): Promise<void> {
  const { store, config } = ctx;
  await sealFinishedSubjects(ctx, requestId);
  await store.expireAfterRetention(requestId);
  const meta = await store.meta(requestId);
  if (meta.artifacts) {
    const artifacts = JSON.parse(meta.artifacts) as ExportArtifacts;
    if (artifacts.deletedAt === undefined) {
      await ctx.queues.maintenance.add(
        JOB_NAMES.deleteExport,
        { requestId },
        retryingJob(jobIds.exportRetention(requestId), config.worker.attempts, {
          delay: Math.max(0, Date.parse(artifacts.expiresAt) - Date.now()),
        }),
      );
    }
  }

  if (config.webhook.url) {
    const jobId = await roundJobId(ctx, requestId, jobIds.webhook(requestId));
    await ctx.queues.webhooks.add(
      JOB_NAMES.deliver,
      { requestId },
      retryingJob(jobId, config.worker.attempts),
    );
  }
}

/**
 * Indexes a request's subjects for `status --subject` and, with
 * RECORD_PSEUDONYMISE, replaces its ids by keyed fingerprints. Once per
 * request; a no-op when already done.
 */
export async function sealFinishedSubjects(
  ctx: PipelineContext,
  requestId: string,
): Promise<void> {
  const { pseudonymise, pseudonymKey } = ctx.config.retention;
  const sealed = await sealSubjects(
    ctx.store,
    requestId,
    pseudonymise ? pseudonymKey : undefined,
  );
  if (sealed && pseudonymise) {
    ctx.logger.info({ requestId }, 'request subjects pseudonymised');
  }
}
