import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';

import { GdprError, isRetryable } from '../errors/gdpr-error.js';
import type { FailureReason } from '../requests/request-record.js';
import { DeferSignal } from './pipeline-errors.js';

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

/** How a processor ends an attempt that threw. */
export interface AttemptFailure {
  readonly job: Job;
  readonly token: string | undefined;
  readonly logger: Logger;
  /** Fields for both log lines, besides the reason. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** The scrubbed reason; only asked for when the error is a real failure. */
  reasonOf(error: unknown): FailureReason | Promise<FailureReason>;
  /** Records the failure for good (the attempts are used up). */
  recordFinal(reason: FailureReason): Promise<void>;
  readonly retryMessage: string;
  readonly finalMessage: string;
}

/**
 * The one end of a failed attempt: a `DeferSignal` delays the job; a
 * retryable error is logged and thrown as `AttemptFailedError`; otherwise
 * the failure is recorded and the job ends for good. Always throws.
 */
export async function endFailedAttempt(
  error: unknown,
  failure: AttemptFailure,
): Promise<never> {
  const { job, logger, fields } = failure;
  if (error instanceof DeferSignal) {
    return delayJob(job, failure.token, error.at);
  }

  const reason = await failure.reasonOf(error);
  if (willRetry(job, error)) {
    logger.warn({ ...fields, reason }, failure.retryMessage);
    throw new AttemptFailedError(reason);
  }

  await failure.recordFinal(reason);
  logger.error({ ...fields, reason }, failure.finalMessage);
  throw finalFailure(reason);
}
