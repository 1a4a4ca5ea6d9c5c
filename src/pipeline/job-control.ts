import { DelayedError, type Job, UnrecoverableError } from 'bullmq';

import { GdprError, isRetryable } from '../errors/gdpr-error.js';
import type { FailureReason } from '../requests/request-record.js';

/**
 * Delays the job until `at` without using an attempt and without holding
 * the worker slot (BullMQ's step-job pattern). Always throws.
 */
export async function delayJob(
  job: Job,
  token: string | undefined,
  at: number,
): Promise<never> {
  await job.moveToDelayed(Math.max(at, Date.now()), token);
  throw new DelayedError();
}

/** True when this run is the job's last allowed attempt. */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** Whether another attempt may help with this error. */
export function willRetry(job: Job, error: unknown): boolean {
  return isRetryable(error) && !isLastAttempt(job);
}

/**
 * The error BullMQ stores as a retryable attempt's `failedReason`: our
 * scrubbed reason, never the original message.
 */
export class AttemptFailedError extends GdprError {
  readonly code: string;
  readonly retryable = true;

  constructor(reason: FailureReason) {
    super(reason.message);
    this.code = reason.code;
  }
}

/** Ends the job for good with a scrubbed message. */
export function finalFailure(reason: FailureReason): UnrecoverableError {
  return new UnrecoverableError(`${reason.code}: ${reason.message}`);
}
