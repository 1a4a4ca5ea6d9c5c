import type { Job, Queue } from 'bullmq';

import type { BatchJobData, RequestJobData } from '../queues/job-ids.js';
import { recordJobFailure } from './job-failure.js';
import type { PipelineContext } from './pipeline-context.js';

/** How far back each sweep looks at failed jobs; many sweeps per job. */
export const SWEEP_LOOKBACK_MS = 60 * 60 * 1000;

const PAGE = 100;

/**
 * The durable half of `recordJobFailure`. A worker records a job that
 * failed for good from BullMQ's `failed` event, in memory: when the
 * process dies first (the job stalled out as its workers kept dying),
 * nothing would conclude the request. A scheduled maintenance job runs
 * this in any worker: it records every job of `queues` that failed within
 * the lookback, newest first. Recording is idempotent, so sweeps repeat
 * harmlessly. Returns how many failed jobs it looked at.
 */
export async function sweepFailedJobs(
  ctx: PipelineContext,
  queues: readonly Queue[],
  now = Date.now(),
): Promise<number> {
  let seen = 0;
  for (const queue of queues) {
    for (let start = 0; ; start += PAGE) {
      const jobs = (await queue.getFailed(start, start + PAGE - 1)) as Job<
        RequestJobData | BatchJobData
      >[];
      const recent = jobs.filter(
        (job) => (job.finishedOn ?? now) >= now - SWEEP_LOOKBACK_MS,
      );
      for (const job of recent) {
        await recordJobFailure(ctx, queue.name, job);
      }

      seen += recent.length;
      if (jobs.length < PAGE || recent.length < jobs.length) break;
    }
  }

  return seen;
}
