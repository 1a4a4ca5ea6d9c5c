import type { JobsOptions } from 'bullmq';

/** The backoff type our workers' `backoffStrategy` implements. */
export const BACKOFF_TYPE = 'jitter';

const PRIORITY_EPOCH = Date.UTC(2020, 0, 1);
const HOUR = 60 * 60 * 1000;
/** BullMQ's largest priority (2^21). */
const MAX_PRIORITY = 2_097_152;

/**
 * BullMQ priority from a deadline: hours since 2020, so a request due
 * sooner runs first (lower is earlier in BullMQ) and the scale lasts
 * beyond 2200.
 */
export function deadlinePriority(deadlineAt: Date | string): number {
  const ms = new Date(deadlineAt).getTime();
  const hours = Math.floor((ms - PRIORITY_EPOCH) / HOUR);
  return Math.min(MAX_PRIORITY, Math.max(1, hours));
}

/** Options shared by every job we add: retries with our jittered backoff. */
export function retryingJob(
  jobId: string,
  attempts: number,
  extra: JobsOptions = {},
): JobsOptions {
  return {
    jobId,
    attempts,
    backoff: { type: BACKOFF_TYPE },
    ...extra,
  };
}

/**
 * Full-jitter exponential backoff: a random delay between 0 and
 * base * 2^(attempt-1), capped. Spreads retries of many batches that
 * failed together (e.g. a Stream outage) instead of stampeding.
 */
export function jitteredBackoff(
  attemptsMade: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(random() * ceiling);
}
