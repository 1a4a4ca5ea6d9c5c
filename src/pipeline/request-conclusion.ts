import type {
  FailureReason,
  RequestRecord,
  RequestStatus,
} from '../requests/request-record.js';

export interface Conclusion {
  readonly status: RequestStatus;
  readonly error?: FailureReason;
}

/**
 * The final status: `completed` when every batch completed, Stream
 * reported no per-subject failure and (for erasures) no subject is still
 * listed; `failed` when nothing succeeded; `partially_failed` otherwise.
 */
export function concludeRequest(
  record: RequestRecord,
  stillListedCount: number,
): Conclusion {
  const failedBatches = record.batches.filter((b) => b.status === 'failed');
  const completedBatches = record.batches.length - failedBatches.length;
  const failureCount = record.failureCount ?? record.failures.length;
  const total = record.counts.users + record.counts.channels;
  if (
    failedBatches.length === 0 &&
    failureCount === 0 &&
    stillListedCount === 0
  ) {
    return { status: 'completed' };
  }

  const failedSubjects =
    failedBatches.reduce((sum, b) => sum + b.size, 0) + failureCount;
  const unsuccessful = Math.max(failedSubjects, stillListedCount);
  const status =
    completedBatches === 0 || unsuccessful >= total
      ? 'failed'
      : 'partially_failed';
  return {
    status,
    error: describe(
      failedBatches.length,
      record,
      failureCount,
      stillListedCount,
    ),
  };
}

function describe(
  failedBatches: number,
  record: RequestRecord,
  failureCount: number,
  stillListedCount: number,
): FailureReason {
  const parts: string[] = [];
  if (failedBatches > 0) {
    parts.push(`${failedBatches} of ${record.batches.length} batches failed`);
  }

  if (failureCount > 0) {
    parts.push(`Stream reported ${failureCount} subjects not handled`);
  }

  if (stillListedCount > 0) {
    parts.push(`${stillListedCount} subjects are still listed by Stream`);
  }

  const code =
    failedBatches > 0
      ? 'batches_failed'
      : failureCount > 0
        ? 'subjects_failed'
        : 'still_listed';
  return { code, message: parts.join('; ') };
}
