import type { FailureReason } from '../requests/request-record.js';
import { isStreamNotFound, StreamHttpError } from '../stream/stream-errors.js';
import type { BatchRun } from './batch-run.js';
import { toFailureReason } from './failure-reason.js';

/**
 * Whether Stream refused what it was asked for, for good: a 400 (a bad id,
 * a user over Export User's 10,000-message limit) or a 404 (no such user).
 * A 401 or 403 says nothing about the users asked for, so it is not one.
 */
export function isRefusal(error: unknown): error is StreamHttpError {
  return (
    error instanceof StreamHttpError &&
    !error.retryable &&
    (error.status === 400 || error.status === 404)
  );
}

/**
 * A refused user's per-subject failure. Stream's docs leave Export User of
 * an unknown id unconfirmed; 404 code 16 is its usual answer. Such a user
 * gets `subject_not_found`: Stream holds nothing to export, which the
 * operator must still be shown. Any other refusal is `export_refused`.
 */
export async function refusalReason(
  run: BatchRun,
  error: StreamHttpError,
): Promise<FailureReason> {
  const reason = toFailureReason(error, await run.terms());
  const code = isStreamNotFound(error) ? 'subject_not_found' : 'export_refused';
  return { ...reason, code };
}
