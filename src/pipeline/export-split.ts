import path from 'node:path';

import type {
  ExportSplit,
  FailureReason,
  SubjectFailure,
} from '../requests/request-record.js';
import { isStreamNotFound } from '../stream/stream-errors.js';
import type { BatchRun } from './batch-run.js';
import {
  ensurePrivateDirectory,
  exportDirectory,
  exportFileNames,
  makePrivate,
} from './export-paths.js';
import { isRefusal, refusalReason } from './export-refusal.js';
import { exportUserByTask } from './export-split-task.js';
import { callStream } from './stream-call.js';

/**
 * Turns an export batch that Export Users cannot serve (`cause`) into one
 * Export User call per user. The plan is saved on the batch before any
 * call, so every later run of the batch resumes it instead of submitting
 * the batch again.
 */
export async function startExportSplit(
  run: BatchRun,
  cause: FailureReason,
): Promise<void> {
  run.logger.warn(
    { batchIndex: run.outcome.index, size: run.outcome.size, reason: cause },
    'Export Users cannot serve the batch; exporting its users one by one',
  );
  const split: ExportSplit = { cause, done: 0, files: [], refused: [] };
  await run.save({ status: 'pending', split });
  return exportEachUser(run, split);
}

/**
 * Exports the batch's users not yet handled, in batch order, each with
 * Export User under the shared budget, saving progress on the batch after
 * each one. A deferral, a retried attempt or a crash resumes at the first
 * user not handled; at worst the user whose file was written as the worker
 * died is asked for again, into the same file. Users Stream refuses become
 * the batch's per-subject failures, and the batch completes.
 */
export async function exportEachUser(
  run: BatchRun,
  saved: ExportSplit,
): Promise<void> {
  const { ctx } = run;
  const ids = await run.ids();
  const directory = exportDirectory(ctx.config.exportDir, run.requestId);
  await ensurePrivateDirectory(directory);
  let split = saved;
  for (const [position, userId] of ids.entries()) {
    if (position < split.done) continue;
    split = await exportUserAt(run, split, userId, directory);
    await run.save({ split });
  }

  const failures: SubjectFailure[] = split.refused.flatMap((entry) => {
    const subject = ids[entry.position];
    if (subject === undefined) return [];
    return [{ subject, target: 'users', reason: entry.reason }];
  });
  run.logger.info(
    {
      batchIndex: run.outcome.index,
      exported: split.files.length,
      refused: failures.length,
    },
    'exported the batch user by user with Export User',
  );
  await run.complete({ via: 'sync' }, failures);
}

/** Exports the user at `split.done`; a refusal is noted, not thrown. */
async function exportUserAt(
  run: BatchRun,
  split: ExportSplit,
  userId: string,
  directory: string,
): Promise<ExportSplit> {
  const { ctx } = run;
  const position = split.done;
  if (split.task?.position === position) {
    return taskOutcome(run, split, userId, directory);
  }

  const file = exportFileNames.splitUser(run.outcome.index, position);
  try {
    const written = await callStream(ctx.budget, 'exportUser', () =>
      ctx.stream.exportUser(userId, path.join(directory, file)),
    );
    await makePrivate(written.data.path);
    const { bytes, sha256 } = written.data;
    const entry = { file, bytes, sha256, userCount: 1, position };
    return { ...split, done: position + 1, files: [...split.files, entry] };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (isStreamNotFound(error)) {
      const reason = await refusalReason(run, error);
      return refuse(split, position, reason);
    }

    // Refused for its size, perhaps: Export Users may serve it.
    return taskOutcome(run, split, userId, directory);
  }
}

/** Goes on with the user's Export Users task (see export-split-task.ts). */
async function taskOutcome(
  run: BatchRun,
  split: ExportSplit,
  userId: string,
  directory: string,
): Promise<ExportSplit> {
  const outcome = await exportUserByTask(run, split, userId, directory);
  if (outcome.kind === 'refused') {
    return refuse(split, split.done, outcome.reason);
  }

  const { task: _done, ...rest } = split;
  return {
    ...rest,
    done: split.done + 1,
    files: [...split.files, outcome.entry],
  };
}

function refuse(
  split: ExportSplit,
  position: number,
  reason: FailureReason,
): ExportSplit {
  const { task: _done, ...rest } = split;
  const refused = [...split.refused, { position, reason }];
  return { ...rest, done: position + 1, refused };
}
