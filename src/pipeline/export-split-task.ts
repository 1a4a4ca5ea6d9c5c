import path from 'node:path';

import type { ExportSplit, FailureReason } from '../requests/request-record.js';
import { isStreamNotFound } from '../stream/stream-errors.js';
import type { StreamTask } from '../stream/stream-types.js';
import type { BatchRun } from './batch-run.js';
import { exportFileNames, makePrivate } from './export-paths.js';
import { isRefusal, refusalReason } from './export-refusal.js';
import { DeferSignal } from './pipeline-errors.js';
import { callStream } from './stream-call.js';

/** What became of a split user exported through Export Users. */
export type TaskOutcome =
  | { readonly kind: 'file'; readonly entry: ExportSplit['files'][number] }
  | { readonly kind: 'refused'; readonly reason: FailureReason };

/**
 * A user of a split batch that Export User refused (over its 10,000
 * messages, say; Stream's docs point to Export Users as the way around)
 * gets Export Users of that one user, as a task: submitted, its id saved
 * on the split before any wait, polled on the growing schedule of
 * TASK_POLL_*, its file downloaded beside the others. Each wait delays the
 * job (a DeferSignal) and a later run resumes the recorded task. Resolves
 * with the user's file, or with a refusal when Stream refuses this too,
 * the task fails or it outlives TASK_TIMEOUT_MS.
 */
export async function exportUserByTask(
  run: BatchRun,
  split: ExportSplit,
  userId: string,
  directory: string,
): Promise<TaskOutcome> {
  const { ctx } = run;
  const { taskPollInitialMs, taskPollMaxMs, taskTimeoutMs } = ctx.config.worker;
  const position = split.done;
  const pending = split.task;
  if (pending?.position !== position) {
    let taskId: string;
    try {
      const response = await callStream(ctx.budget, 'exportUsers', () =>
        ctx.stream.exportUsers([userId]),
      );
      taskId = response.data.taskId;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return { kind: 'refused', reason: await refusalReason(run, error) };
    }

    const task = {
      position,
      taskId,
      since: new Date().toISOString(),
      pollDelayMs: taskPollInitialMs,
    };
    await run.save({ split: { ...split, task } });
    throw new DeferSignal(Date.now() + taskPollInitialMs);
  }

  let task: StreamTask;
  try {
    const response = await callStream(ctx.budget, 'getTask', () =>
      ctx.stream.getTask(pending.taskId),
    );
    task = response.data;
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    // Stream forgot the task: submit the user's export again.
    const { task: _forgotten, ...rest } = split;
    return exportUserByTask(run, rest, userId, directory);
  }

  if (task.status === 'completed' && typeof task.result?.url === 'string') {
    const url = task.result.url;
    const file = exportFileNames.splitUserTask(run.outcome.index, position);
    const written = await callStream(ctx.budget, 'downloadExport', () =>
      ctx.stream.downloadExport(url, path.join(directory, file)),
    );
    await makePrivate(written.data.path);
    const { bytes, sha256 } = written.data;
    const entry = { file, bytes, sha256, userCount: 1, position };
    return { kind: 'file', entry: { ...entry, taskId: pending.taskId } };
  }

  if (
    task.status === 'completed' ||
    task.status === 'failed' ||
    task.status === 'error'
  ) {
    const message =
      task.status === 'completed'
        ? "the user's Export Users task completed without a download URL"
        : 'Export User refused the user and its Export Users task failed';
    return { kind: 'refused', reason: { code: 'export_refused', message } };
  }

  if (Date.now() - Date.parse(pending.since) > taskTimeoutMs) {
    return {
      kind: 'refused',
      reason: {
        code: 'task_timeout',
        message: `the user's Export Users task did not finish within ${taskTimeoutMs} ms`,
      },
    };
  }

  const delay = pending.pollDelayMs;
  const next = Math.min(Math.round(delay * 1.5), taskPollMaxMs);
  await run.save({
    split: { ...split, task: { ...pending, pollDelayMs: next } },
  });
  throw new DeferSignal(Date.now() + delay);
}
