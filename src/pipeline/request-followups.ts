import { JOB_NAMES, jobIds } from '../queues/job-ids.js';
import { retryingJob } from '../queues/job-options.js';
import { sealSubjects } from '../requests/record-sealing.js';
import {
  type ExportArtifacts,
  type RequestStatus,
  TERMINAL_STATUSES,
} from '../requests/request-record.js';
import type { PipelineContext } from './pipeline-context.js';
import type { RetentionJobData } from './retention-processor.js';
import { jobIdOfRound, roundJobId } from './round-job-id.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Idempotent follow-ups of a finished request: its subjects are indexed
 * (and pseudonymised when configured) if finalize did not already, its
 * keys expire after the record retention, an export's files get the
 * deletion job of this conclusion, and the completion webhook is queued
 * when one is configured. Safe to repeat.
 */
export async function afterFinish(
  ctx: PipelineContext,
  requestId: string,
): Promise<void> {
  const { store, config } = ctx;
  await sealFinishedSubjects(ctx, requestId);
  await store.expireAfterRetention(requestId);
  await scheduleExportDeletion(ctx, requestId);
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
 * Queues the deletion of a concluded export's files for when the
 * retention of this conclusion ends (the manifest's `expiresAt`; without
 * a manifest, because finalize could not write one, EXPORT_RETENTION_DAYS
 * from the conclusion). One job per round: a request reopened and
 * concluded again gets a new job, and the earlier round's job, still
 * delayed, deletes nothing when it runs (see retention-processor.ts).
 */
async function scheduleExportDeletion(
  ctx: PipelineContext,
  requestId: string,
): Promise<void> {
  // One read, so the round and the artifacts are of the same conclusion.
  const meta = await ctx.store.meta(requestId);
  const status = meta.status as RequestStatus | undefined;
  if (meta.kind !== 'export' || status === undefined) return;
  if (!TERMINAL_STATUSES.includes(status)) return;
  const artifacts = meta.artifacts
    ? (JSON.parse(meta.artifacts) as ExportArtifacts)
    : undefined;
  if (artifacts?.deletedAt !== undefined) return;
  const expiresAt = artifacts
    ? Date.parse(artifacts.expiresAt)
    : Date.parse(meta.finishedAt ?? new Date().toISOString()) +
      ctx.config.retention.exportDays * DAY;

  const data: RetentionJobData = { requestId, round: Number(meta.round ?? 0) };
  const jobId = jobIdOfRound(jobIds.exportRetention(requestId), meta.round);
  await ctx.queues.maintenance.add(
    JOB_NAMES.deleteExport,
    data,
    retryingJob(jobId, ctx.config.worker.attempts, {
      delay: Math.max(0, expiresAt - Date.now()),
    }),
  );
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
