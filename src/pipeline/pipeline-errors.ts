import { GdprError } from '../errors/gdpr-error.js';

/**
 * Not a failure: the job must wait until `at` (rate budget spent, endpoint
 * paused, or a task still running). The processor turns it into
 * `moveToDelayed` + `DelayedError`, which uses no attempt.
 */
export class DeferSignal extends Error {
  readonly at: number;

  constructor(at: number) {
    super('deferred');
    this.name = 'DeferSignal';
    this.at = at;
  }
}

/** A Stream task ended in `failed` or `error`; a resubmission may work. */
export class TaskFailedError extends GdprError {
  readonly code = 'task_failed';
  readonly retryable = true;
}

/** A task ran longer than TASK_TIMEOUT_MS in one attempt. */
export class TaskTimeoutError extends GdprError {
  readonly code = 'task_timeout';
  readonly retryable = true;
}

/** A completed export task without a usable download URL. */
export class ExportResultError extends GdprError {
  readonly code = 'export_result_missing';
  readonly retryable = true;
}
