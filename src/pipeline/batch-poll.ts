import type {
  ErasureOptions,
  SubjectFailure,
} from '../requests/request-record.js';
import { scrubText } from '../stream/scrub.js';
import { isStreamNotFound } from '../stream/stream-errors.js';
import type { StreamTask } from '../stream/stream-types.js';
import { downloadTaskFile, exportSingleUser } from './batch-export.js';
import type { BatchRun } from './batch-run.js';
import { submitBatch } from './batch-submit.js';
import { startExportSplit } from './export-split.js';
import { toFailureReason } from './failure-reason.js';
import {
  DeferSignal,
  TaskFailedError,
  TaskTimeoutError,
} from './pipeline-errors.js';
import { callStream } from './stream-call.js';
import { checkEndingBatch } from './verification.js';

/**
 * A multi-user export batch whose task failed this many times is taken as
 * one Stream cannot serve and is exported user by user. Stream gives no
 * reason a client can act on, so one failed task is taken as transient.
 */
const FAILED_EXPORT_TASKS_BEFORE_SPLIT = 2;

/**
 * Polls the batch's recorded task once. Still running: the job is delayed
 * by a growing interval (x1.5 up to TASK_POLL_MAX_MS) and holds no worker
 * slot meanwhile. Running longer than TASK_TIMEOUT_MS within one attempt:
 * a retryable `task_timeout`, with the task id kept so the next attempt
 * resumes polling instead of resubmitting. Failed: the task id moves to the
 * history and the batch is resubmitted on the next attempt; an export
 * batch of one user goes to Export User at once, a larger one after
 * FAILED_EXPORT_TASKS_BEFORE_SPLIT failed tasks (see export-split.ts).
 */
export async function pollBatch(
  run: BatchRun,
  options: ErasureOptions | undefined,
): Promise<void> {
  const { ctx, outcome } = run;
  const taskId = outcome.taskId ?? '';
  const { taskTimeoutMs, taskPollInitialMs, taskPollMaxMs } = ctx.config.worker;
  const since = Date.parse(outcome.pollingSince ?? outcome.submittedAt ?? '');
  if (Number.isFinite(since) && Date.now() - since > taskTimeoutMs) {
    throw new TaskTimeoutError(
      `Stream task did not finish within ${taskTimeoutMs} ms`,
    );
  }

  let task: StreamTask;
  try {
    const response = await callStream(ctx.budget, 'getTask', () =>
      ctx.stream.getTask(taskId),
    );
    task = response.data;
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    // Stream forgot the task: reconcile as after an unrecorded submission.
    await run.save({
      taskId: undefined,
      taskHistory: [...(outcome.taskHistory ?? []), taskId],
      status: 'submitting',
    });
    return submitBatch(run, options);
  }

  if (task.status === 'completed') return onCompleted(run, task);
  if (task.status === 'failed' || task.status === 'error') {
    return onFailed(run, task);
  }

  const delay = outcome.pollDelayMs ?? taskPollInitialMs;
  await run.save({
    pollDelayMs: Math.min(Math.round(delay * 1.5), taskPollMaxMs),
  });
  throw new DeferSignal(Date.now() + delay);
}

async function onCompleted(run: BatchRun, task: StreamTask): Promise<void> {
  if (run.outcome.target === 'export') return downloadTaskFile(run, task);
  const target = run.outcome.target;
  const results = task.result ?? {};
  const terms = await run.terms();
  const failures: SubjectFailure[] = [];
  for (const id of await run.ids()) {
    const entry = results[id];
    // Ids absent from the result are left to the verification.
    if (entry === undefined || isOk(entry)) continue;
    failures.push({
      subject: id,
      target,
      reason: {
        code: 'subject_not_deleted',
        message: scrubText(`Stream reported ${describe(entry)}`, terms),
      },
    });
  }

  if (failures.length > 0) {
    run.logger.warn(
      { batchIndex: run.outcome.index, failed: failures.length },
      'Stream reported subjects it did not delete',
    );
  }

  await run.complete({}, failures, await checkEndingBatch(run));
}

async function onFailed(run: BatchRun, task: StreamTask): Promise<void> {
  const { outcome } = run;
  const ids = await run.ids();
  const taskHistory = [...(outcome.taskHistory ?? []), task.taskId];
  await run.save({
    taskId: undefined,
    taskHistory,
    status: 'pending',
    pollingSince: undefined,
    pollDelayMs: undefined,
  });
  const single = ids[0];
  if (outcome.target === 'export' && ids.length === 1 && single !== undefined) {
    return exportSingleUser(run, single);
  }

  // Stream's description is free text that may quote anyone's id or email
  // address; only its type, when it is a plain token, is kept.
  const type = safeToken(task.error?.type);
  const error = new TaskFailedError(
    `Stream task failed${type ? ` (${type})` : ''}; description withheld`,
  );
  if (
    outcome.target === 'export' &&
    taskHistory.length >= FAILED_EXPORT_TASKS_BEFORE_SPLIT
  ) {
    return startExportSplit(run, toFailureReason(error));
  }

  throw error;
}

function isOk(entry: unknown): boolean {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    (entry as { status?: unknown }).status === 'ok'
  );
}

/** Stream's per-subject status, only when it is a plain token. */
function describe(entry: unknown): string {
  const status =
    typeof entry === 'object' && entry !== null
      ? (entry as { status?: unknown }).status
      : entry;
  return safeToken(status) ?? 'an unreadable result';
}

/** A short word such as `error` or `internal_error`, else undefined. */
function safeToken(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z][\w.-]{0,39}$/.test(value)
    ? value
    : undefined;
}
